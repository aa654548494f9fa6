// Runs before every test file: points the AWS SDK at the emulator and gives the file a
// fresh table and ID-hash secret, created from the same definitions as production.
import { randomUUID } from 'node:crypto';
import { inject, vi } from 'vitest';
import { localEnvironment, provisionLocal } from '../../infra/local/provision.ts';

// A worker runs many files in one process (isolate: false, vitest.config.ts), so each file
// starts from what the worker started with: the environment as it was before the first file
// (a file's changes and the previous file's resources dropped), the project's own modules
// evaluated afresh (their clients and memoised settings read this file's environment; the
// packages under node_modules stay loaded, which is the point), real timers.
const worker = globalThis as { emulatorWorkerEnv?: NodeJS.ProcessEnv };
worker.emulatorWorkerEnv ??= { ...process.env };
const initial = worker.emulatorWorkerEnv;
for (const key of Object.keys(process.env)) if (!(key in initial)) delete process.env[key];
Object.assign(process.env, initial);
vi.resetModules();
vi.useRealTimers();

const suffix = randomUUID().slice(0, 8);
const resources = {
  tableName: `test-${suffix}`,
  idHashKeySecretId: `test/${suffix}/id-hash-key`,
  workQueueName: `test-work-${suffix}`,
  registryBaseUrl: inject('registrySimulatorUrl'),
  onboardingProviderUrl: inject('onboardingSimulatorUrl'),
};
// This worker's own server (one per worker: global-setup.ts).
const endpoints = inject('emulatorEndpoints');
const endpoint = endpoints[(Number(process.env.VITEST_POOL_ID ?? 1) - 1) % endpoints.length] as string;
Object.assign(process.env, localEnvironment(endpoint, resources), {
  LOG_LEVEL: 'SILENT',
  METRICS: 'off',
  // Every response of the local gateway is checked against schemas/openapi.json.
  OPENAPI_RESPONSE_CHECK: '1',
  // A message rendered without one of its parameters throws (functions/shared/i18n/messages.ts).
  STRICT_MESSAGES: '1',
  // Every worker busy on a 2-core machine, moto now and then takes seconds for one request:
  // that is the test machine's load, not a stalled dependency (an archives completion met the
  // 4 s deadline in a CI run). The deadline itself is tested with the product's values in
  // test/integration/stalled-dependency.test.ts, which drops this.
  AWS_CALL_DEADLINE_MS: '10000',
});
Object.assign(process.env, await provisionLocal(resources));
// The china project: tokens from the local OIDC issuer, mail over SMTP.
if (process.env.PROFILE === 'china')
  Object.assign(process.env, {
    MAIL_PROVIDER: 'smtp',
    SMTP_URL: inject('smtpSinkUrl'),
  });
