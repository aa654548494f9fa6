// One benchmark's resources on its emulator: table, secrets, queue and keys from the same
// definitions as production, and the environment the handlers read pointed at them.
import { localEnvironment, provisionLocal } from '../../infra/local/provision.ts';

export async function provisionBench(
  endpoint: string,
  name: string,
  options: { registryBaseUrl?: string; env?: Record<string, string> } = {},
): Promise<{ tableName: string }> {
  const resources = {
    tableName: name,
    idHashKeySecretId: `bench/${name}`,
    workQueueName: name,
    registryBaseUrl: options.registryBaseUrl ?? 'http://127.0.0.1:9',
  };
  Object.assign(process.env, localEnvironment(endpoint, resources), { LOG_LEVEL: 'SILENT', ...options.env });
  Object.assign(process.env, await provisionLocal(resources));
  return { tableName: resources.tableName };
}
