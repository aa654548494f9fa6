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
  Object.assign(process.env, localEnvironment(endpoint, resources), {
    LOG_LEVEL: 'SILENT',
    METRICS: 'off',
    // A loaded emulator answers slower than any deployment: no 4 s deadline here.
    AWS_CALL_DEADLINE_MS: '30000',
    ...options.env,
  });
  Object.assign(process.env, await provisionLocal(resources));
  return { tableName: resources.tableName };
}

/** The p-th percentile of samples (nearest rank). */
export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

export interface SizedRow {
  call: string;
  size: number;
  p50: number;
  p99: number;
  requests: number;
  items: number;
}

/** Calls at two tenant sizes, with the ratio of items read (large / small): 1.00 = does not grow. */
export function sizeTable(rows: SizedRow[], [small, large]: number[], width: number): string[] {
  const lines = [
    `${'call'.padEnd(width)}  people   p50 ms   p99 ms   requests   items   items ×(large/small)`,
  ];
  for (const r of rows) {
    const base = rows.find((x) => x.call === r.call && x.size === small);
    const ratio = r.size === large && base ? (base.items ? r.items / base.items : 1).toFixed(2) : '';
    lines.push(
      `${r.call.padEnd(width)} ${String(r.size).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.requests.toFixed(1).padStart(10)} ${r.items.toFixed(1).padStart(7)}   ${ratio}`,
    );
  }
  return lines;
}

/** A group admin's calls to a local gateway: JSON in and out, a non-2xx answer throws. */
export async function adminCaller(gatewayUrl: string, key: Uint8Array, tenantId: string) {
  const { mintDevToken } = await import('../../infra/local/dev-tokens.ts');
  const token = await mintDevToken(key, { tenantId, role: 'group_admin' });
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}
