// The gate simulator: `npm run gate -- --site <siteId> --gate east-1 scan <badgeUid>`
// provisions the gate through the API on first use (keeping its certificate bundle in
// .local/gates/), connects over MQTT-TLS with it, publishes a scan and prints the decision.
// `… allowlist` prints the gate's signed offline allowlist (retained), verified with the
// public key from GET /gates/allowlist-keys.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import mqtt from 'mqtt';
import { LOCAL_DIR, loadOrCreateDevKey, mintDevToken } from './dev-tokens.ts';

const usage = `Usage: npm run gate -- --site <siteId> --gate <name> [--tenant demo-group] [--direction in|out] [--work-type hot_work] scan <badgeUid>
       npm run gate -- --site <siteId> --gate <name> [--tenant demo-group] allowlist`;
const { values, positionals } = parseArgs({
  options: {
    site: { type: 'string' },
    gate: { type: 'string' },
    tenant: { type: 'string', default: 'demo-group' },
    direction: { type: 'string', default: 'in' },
    'work-type': { type: 'string' },
  },
  allowPositionals: true,
});
const [command, badgeUid] = positionals;
if (
  !(command === 'allowlist' || (command === 'scan' && badgeUid)) ||
  !values.site ||
  !values.gate ||
  !['in', 'out'].includes(values.direction ?? '')
) {
  console.error(usage);
  process.exit(2);
}
const runtimeFile = join(LOCAL_DIR, 'runtime.json');
if (!existsSync(runtimeFile)) {
  console.error('The local stack is not running: start it with `npm start` first.');
  process.exit(1);
}
const { apiUrl, environment } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as {
  apiUrl: string;
  environment: Record<string, string>;
};
// The running stack's emulator and table: the token's user goes in its directory.
Object.assign(process.env, environment);

interface Bundle {
  gateId: string;
  certificatePem: string;
  privateKeyPem: string;
  caPem: string;
  mqttUrl: string;
  topics: { scan: string; decision: string; allowlist: string };
}

const gateId = `${values.tenant}:${values.site}:${values.gate}`;
const bundleFile = join(LOCAL_DIR, 'gates', `${gateId.replaceAll(':', '_')}.json`);
let bundle: Bundle;
if (existsSync(bundleFile)) {
  bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as Bundle;
} else {
  const token = await mintDevToken(loadOrCreateDevKey(), {
    tenantId: values.tenant as string,
    role: 'group_admin',
    subject: 'gate-simulator',
  });
  const res = await fetch(`${apiUrl}/sites/${values.site}/gates`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'accept-language': 'en',
    },
    body: JSON.stringify({ gate: values.gate }),
  });
  const body = (await res.json()) as Bundle & { detail?: string };
  if (res.status !== 201) {
    console.error(`Could not provision gate ${gateId}: ${res.status} ${body.detail ?? ''}`);
    process.exit(1);
  }
  mkdirSync(join(LOCAL_DIR, 'gates'), { recursive: true });
  writeFileSync(bundleFile, JSON.stringify(body), { mode: 0o600 });
  bundle = body;
}

const client = await mqtt.connectAsync(bundle.mqttUrl, {
  clientId: bundle.gateId,
  ca: bundle.caPem,
  cert: bundle.certificatePem,
  key: bundle.privateKeyPem,
  reconnectPeriod: 0,
});
if (command === 'allowlist') {
  // What a device does: take the retained parts, verify each, use the newest complete version.
  const jwks = (await (await fetch(`${apiUrl}/gates/allowlist-keys`)).json()) as { keys: JWK[] };
  const verify = async (jws: string) => {
    const { kid } = decodeProtectedHeader(jws);
    const key = jwks.keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`unknown signing key ${kid}`);
    const { payload } = await compactVerify(jws, await importJWK(key, 'ES256'));
    return JSON.parse(new TextDecoder().decode(payload)) as { part: number; parts: number };
  };
  const parts = new Map<number, { part: number; parts: number }>();
  const complete = new Promise<void>((resolve) => {
    client.on('message', (_topic, payload) => {
      if (payload.length === 0) return; // a cleared part
      void verify(payload.toString()).then((part) => {
        parts.set(part.part, part);
        if (parts.size === part.parts) resolve();
      });
    });
    setTimeout(resolve, 3000);
  });
  await client.subscribeAsync(`gates/${bundle.gateId}/allowlist/+`, { qos: 1 });
  await complete;
  await client.endAsync();
  if (parts.size === 0) {
    console.error(
      'No allowlist yet: lists are published within a minute of a change (gate-allowlists-changed).',
    );
    process.exit(1);
  }
  const all = [...parts.values()].sort((a, b) => a.part - b.part);
  console.log(`Signatures verified (ES256): ${all.length} of ${all[0]?.parts} part(s).`);
  console.log(JSON.stringify(all.length === 1 ? all[0] : all, null, 2));
  process.exit(0);
}
const scanId = randomUUID().replaceAll('-', '');
await client.subscribeAsync(bundle.topics.decision, { qos: 1 });
const decision = new Promise<unknown>((resolve) => {
  client.on('message', (_topic, payload) => {
    const body = JSON.parse(payload.toString()) as { scanId?: string };
    if (body.scanId === scanId) resolve(body);
  });
});
const started = performance.now();
await client.publishAsync(
  bundle.topics.scan,
  JSON.stringify({
    scanId,
    badgeUid,
    direction: values.direction,
    at: new Date().toISOString(),
    ...(values['work-type'] ? { workType: values['work-type'] } : {}),
  }),
  { qos: 1 },
);
const answer = await Promise.race([decision, new Promise((r) => setTimeout(() => r(undefined), 5000))]);
await client.endAsync();
if (!answer) {
  console.error('No decision within 5 s (a gate would now fall back to its offline allowlist).');
  process.exit(1);
}
console.log(
  JSON.stringify({ ...(answer as object), roundTripMs: Math.round(performance.now() - started) }, null, 2),
);
