// Mutation testing of the pure rule modules (`npm run mutation`, also run by .ci/run): a
// test suite that lets a mutant of a rule survive does not pin that rule. Unit tests only,
// so a run takes minutes, not the integration suite's emulator time.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.unit.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'functions/certificates/status.ts',
    'functions/certificates/stamps.ts',
    'functions/certificates/scheme-rules.ts',
    'functions/gates/decision.ts',
    'functions/gates/fatigue.ts',
    'functions/quizzes/quiz.ts',
    'functions/verification/outcome.ts',
    'functions/reports/health-metrics.ts',
    'functions/shared/calendar.ts',
    'functions/shared/identity-numbers.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  reporters: ['clear-text', 'progress'],
  clearTextReporter: { allowColor: false, logTests: false },
  // Measured 86.6 % on 2026-12-01 (76.9 % before this session's rule tests); the
  // goal is 90 % on every module (issue 9), break just below today's score so it only rises.
  thresholds: { high: 90, low: 80, break: 86 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
