// Starts one moto server for the whole run and stops it afterwards; each test file gets
// its own table in it (emulator-env.ts), so files never see each other's data.
import type { TestProject } from 'vitest/node';
import { startMoto } from '../../infra/local/emulator.ts';
import { startOnboardingSimulator } from '../../infra/local/onboarding-simulator.ts';
import { startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { startSmtpSink } from '../../infra/local/smtp-sink.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorEndpoint: string;
    registrySimulatorUrl: string;
    onboardingSimulatorUrl: string;
    smtpSinkUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const emulator = await startMoto();
  project.provide('emulatorEndpoint', emulator.endpoint);
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
    await emulator.stop();
  };
}
