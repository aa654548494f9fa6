import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One moto server per worker (and the providers' simulators) for the whole run, shared by both
// emulator projects (a file gets its own table, so the projects never see each other's data;
// starting a set per project cost ~3 s of a 2-core machine at the start of every run). Unit
// tests use none of it.
const emulator = {
  setupFiles: ['test/setup/emulator-env.ts'],
};

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default leaves one of the machine's cores idle (cores − 1 = 1 worker on the
    // 2-core machine). The emulator files wait on moto more than they compute, and each
    // worker has its own moto server (test/setup/global-setup.ts), so two run side by side.
    maxWorkers: Math.max(2, availableParallelism()),
    // EMF metric lines stay out of the test output (test/unit/metrics.test.ts turns them on).
    env: { METRICS: 'off' },
    projects: [
      // Rules and use cases against in-memory fakes: no emulator, milliseconds a test. One
      // process a worker for all of them (isolate: false): a fresh process a file spent more
      // starting Node and loading modules than testing (41 s → 30 s, CPU 76 s → 48 s; passes
      // in shuffled order, so no file leans on another's leftovers).
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup/unit-env.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'global',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', '**/node_modules/**'],
          ...emulator,
        },
      },
      // API tests again through the china profile's identity and mail paths (docs/deploy.md):
      // OIDC tokens checked by JWKS, their identities bound through the user directory, a
      // subcontractor's scope from the token's own claim names; SMTP mail. The people and
      // certificate files left this project (~12 s of a run): their routes pass the same
      // gateway check as these, and test/e2e/china-profile.test.ts drives the profile whole.
      {
        extends: true,
        test: {
          name: 'china',
          include: [
            'test/integration/subcontractors.test.ts',
            'test/integration/notifications-api.test.ts',
            'test/integration/users.test.ts',
          ],
          ...emulator,
          env: { PROFILE: 'china' },
        },
      },
    ],
  },
});
