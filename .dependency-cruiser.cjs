// Layering rules, checked in `npm test` (dependency-cruiser: it resolves the TypeScript
// import graph itself — type-only imports included — and reads cycles across folders, which
// Biome's restricted imports cannot). No rule has a known violation: any breach fails.
// Where code goes: docs/architecture.md, "Layers".

/** Pure rule modules: no adapter, use case or handler below them. */
const PURE =
  '^functions/(domain/.+|blacklist/blacklist-rules|certificates/(categories|stamps)|gates/(decision|allowlist)|tickets/(ticket-types|dispatch-rules|ticket-lifecycle|ticket-document)|permits/permit|quizzes/quiz|reports/((health|subcontractor)-metrics|audit-actions)|batches/row-outcome|onboarding/(admission|consent|forgery|image-signals)|users/user-rules|sites/geofence|shared/(text|calendar|identity-numbers|spreadsheet-cells|errors|i18n/messages|auth/principal|auth/permissions))[.]ts$';

/** The only files that may talk to AWS: adapters, named for what they adapt. */
const ADAPTERS =
  '^functions/(.+-(repository|store|vault|publisher|signer|certificates|mailer|timers|workflow|provider)|shared/(dynamo/.+|secrets|tenant-secrets|work-queue|logger)|gates/provisioning|verification/registry-http)[.]ts$';

/** A capability's folder (the group is the capability). */
const CAPABILITY = '^functions/(?!domain/|shared/|jobs/|worker/)([^/]+)/';
/** Entry points, which compose capabilities: handlers, the scheduled jobs, the queue worker. */
const ENTRY_POINTS = '/handler[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle ties modules that should be layered: break it with a port.',
      severity: 'error',
      from: { path: '^(functions|infra|schemas|iot-rules)/' },
      to: { circular: true },
    },
    {
      name: 'aws-sdk-only-in-adapters',
      comment: 'Use cases and handlers get AWS through a port; only adapter files import @aws-sdk.',
      severity: 'error',
      from: { path: '^functions/', pathNot: ADAPTERS },
      to: { path: '@aws-sdk/' },
    },
    {
      name: 'pure-rules-stay-pure',
      comment:
        'A rule module imports other rules and small libraries, never an adapter, use case or handler.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^functions/', pathNot: PURE },
    },
    {
      name: 'pure-rules-no-aws',
      severity: 'error',
      from: { path: PURE },
      to: { path: '@aws-sdk/' },
    },
    {
      name: 'capabilities-form-a-dag',
      comment:
        'A capability imports only itself, functions/domain/ and functions/shared/; what crosses capabilities is a port the composition root wires. Entry points (handlers, jobs, worker) may import capabilities.',
      severity: 'error',
      from: { path: CAPABILITY, pathNot: ENTRY_POINTS },
      to: { path: '^functions/[^/]+/', pathNot: '^functions/($1|domain|shared)/' },
    },
    {
      name: 'domain-is-below-capabilities',
      comment: 'functions/domain/ holds the shared vocabulary and ports: it imports only shared/.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { path: '^functions/(?!domain/|shared/)' },
    },
    {
      name: 'shared-is-below-capabilities',
      comment: 'functions/shared/ serves every capability and imports none of them.',
      severity: 'error',
      from: { path: '^functions/shared/' },
      to: { path: '^functions/(?!shared/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(cdk[.]out|[.]local)/' },
  },
};
