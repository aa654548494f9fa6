// Starts the moto servers for the run and stops them afterwards: one per vitest worker,
// because one moto process (Python, one core) serialises every request and the workers
// would wait on it rather than use the machine's cores. Each test file gets its own table
// in its worker's server (emulator-env.ts), so files never see each other's data.
import type { TestProject } from 'vitest/node';
import { startMoto } from '../../infra/local/emulator.ts';
import { startOnboardingSimulator } from '../../infra/local/onboarding-simulator.ts';
import { startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { startSmtpSink } from '../../infra/local/smtp-sink.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One moto server per worker slot (VITEST_POOL_ID picks). */
    emulatorEndpoints: string[];
    registrySimulatorUrl: string;
    onboardingSimulatorUrl: string;
    smtpSinkUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const workers = Math.max(1, Math.min(Number(project.globalConfig.maxWorkers) || 1, 4));
  const emulators = await Promise.all(Array.from({ length: workers }, () => startMoto()));
  project.provide(
    'emulatorEndpoints',
    emulators.map((e) => e.endpoint),
  );
  const registry = await startRegistrySimulator();
  project.provide('registrySimulatorUrl', registry.url);
  const providers = await startOnboardingSimulator();
  project.provide('onboardingSimulatorUrl', providers.url);
  // Mail of the china project (MAIL_PROVIDER=smtp).
  const smtp = await startSmtpSink();
  project.provide('smtpSinkUrl', smtp.url);
  return async () => {
    await smtp.close();
    await providers.close();
    await registry.close();
    await Promise.all(emulators.map((e) => e.stop()));
  };
}
