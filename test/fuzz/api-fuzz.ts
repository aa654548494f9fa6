// A seeded, bounded fuzz run of every operation in schemas/openapi.json, as an attacker or
// a careless client would call them: wrong types, boundary and oversized values, ill-formed
// Unicode, invalid calendar dates, unknown fields, broken JSON; no, expired and forged
// tokens; every role; another tenant's ids. It holds, for every request:
//   - no 5xx;
//   - every 4xx a function answers is application/problem+json (API Gateway's own
//     401/404/413 answers are its {"message"} JSON, as in AWS);
//   - a refused request (4xx) writes nothing (no DynamoDB write commits while it runs);
//   - tenant A's callers never see anything of tenant B;
//   - no ID number the run submitted appears in any response body or log line.
// FUZZ_SEED picks another sequence; the seed is printed with the per-operation counts.
// The operations are dealt to shards (api-fuzz-<n>.test.ts), each its own file with its own
// table and tenants, so the vitest workers run them side by side.
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { LocalGateProvisioner } from '../../infra/local/local-gates.ts';
import openapi from '../../schemas/openapi.json' with { type: 'json' };
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { samrCertificate } from '../support/fixtures.ts';
import { captureOutput, type OutputCapture } from '../support/output.ts';
import { dropRecordFiles } from '../support/record-files.ts';

type Json = Record<string, unknown>;
type Schema = Json & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
};

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
let state = SEED >>> 0;
/** mulberry32: a small seeded PRNG, so a failing run can be repeated exactly. */
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const submittedIds = new Set<string>();
function freshIdNumber(): string {
  const year = 1960 + Math.floor(random() * 40);
  const day = `${year}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const first17 = `3301${String(Math.floor(random() * 90) + 10)}${day}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  const id = `${first17}${residentIdCheckChar(first17)}`;
  submittedIds.add(id);
  return id;
}

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() as string;
    return resolve((openapi.components.schemas as unknown as Record<string, Schema>)[name]);
  }
  return schema;
}

interface Fixture {
  tenantId: string;
  siteId: string;
  personId: string;
  certificateId: string;
  badgeUid: string;
  batchId: string;
  quizId: string;
  idNumber: string;
  name: string;
}

/** A value the schema accepts, as far as a generator can tell (names give dates and ids away). */
function validValue(schema: Schema, field: string, fx: Fixture, depth = 0): unknown {
  const s = resolve(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return pick(s.enum);
  const variant = s.anyOf ?? s.oneOf;
  if (variant) return validValue(variant.find((v) => resolve(v).type !== 'null') ?? {}, field, fx, depth);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'object' || s.properties) {
    const out: Json = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (s.required?.includes(k) || random() < 0.5) out[k] = validValue(v, k, fx, depth + 1);
    }
    return out;
  }
  if (type === 'array') {
    const n = Math.max(s.minItems ?? 0, 1);
    return Array.from({ length: n }, () => validValue(s.items ?? {}, field, fx, depth + 1));
  }
  if (type === 'integer' || type === 'number') {
    const min = s.minimum ?? 0;
    const max = s.maximum ?? min + 100;
    return Math.floor(min + random() * (max - min));
  }
  if (type === 'boolean') return random() < 0.5;
  // Strings: the field name says what it is.
  if (field === 'idNumber') return freshIdNumber();
  if (field === 'number') return `TS-FZ-${Math.floor(random() * 1e6)}`;
  if (/On$/.test(field)) return pick(['2026-06-01', '2025-01-15', '2027-03-01']);
  if (field === 'siteId' || field === 'homeSiteId') return fx.siteId;
  if (field === 'personId') return fx.personId;
  if (field === 'badgeUid')
    return `0F${Math.floor(random() * 1e8)
      .toString(16)
      .padStart(8, '0')}`.toUpperCase();
  if (/mail|safetyHeads/i.test(field)) return 'safety@fuzz.example';
  if (field === 'unifiedSocialCreditCode') return '91350100M000100Y43';
  if (field === 'content') return `TS-FZ-1\n${freshIdNumber()}`;
  const length = Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 8, 8));
  return 'x'.repeat(length);
}

/** Mutations of a body: each names what it does, for the counts. */
function bodyMutations(schema: Schema, fx: Fixture): { kind: string; body: string | undefined }[] {
  const s = resolve(schema);
  const valid = validValue(s, '', fx) as Json;
  const fields = Object.keys(s.properties ?? {});
  const out: { kind: string; body: string | undefined }[] = [
    { kind: 'valid-ish', body: JSON.stringify(valid) },
    { kind: 'empty body', body: undefined },
    { kind: 'broken JSON', body: '{"a":' },
    { kind: 'null', body: 'null' },
    { kind: 'array', body: '[]' },
    { kind: 'unknown field', body: JSON.stringify({ ...valid, fuzzUnknownField: 1 }) },
    { kind: 'deep nesting', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
    {
      kind: 'lone surrogate',
      body: JSON.stringify(valid)
        .replace(/"x+"/, '"\\ud83d"')
        .replace(/^\{\}$/, '{"\\udc00":1}'),
    },
  ];
  for (let i = 0; i < Math.min(fields.length, 3); i++) {
    const field = pick(fields);
    const fs = resolve(s.properties?.[field]);
    const wrong = fs.type === 'string' ? 12345 : fs.type === 'array' ? { not: 'an array' } : 'not-this-type';
    out.push({ kind: 'wrong type', body: JSON.stringify({ ...valid, [field]: wrong }) });
    out.push({ kind: 'oversized string', body: JSON.stringify({ ...valid, [field]: 'Ω'.repeat(70_000) }) });
    out.push({
      kind: 'invalid calendar date',
      body: JSON.stringify({
        ...valid,
        [field]: pick(['2026-02-30', '20261128', '2026-11-28T10:00', '2026-13-01']),
      }),
    });
    out.push({
      kind: 'boundary number',
      body: JSON.stringify({ ...valid, [field]: pick([-1, 0, 1e308, 2 ** 53, -0.5]) }),
    });
  }
  return out;
}

interface Call {
  operation: string;
  kind: string;
  client: ApiClient;
  method: string;
  path: string;
  body?: string;
}

let api: TestApi;
let a: Fixture;
let b: Fixture;
const clientsA: Record<string, ApiClient> = {};
let forged: ApiClient;
let expired: ApiClient;
const counts: Record<string, number> = {};
const failures: string[] = [];
let output: OutputCapture | undefined;
const realWrite = process.stdout.write.bind(process.stdout);

async function seedTenant(tenantId: string): Promise<Fixture> {
  const admin = await api.as({ tenantId, role: 'group_admin' });
  const siteId = (
    await admin.post('/sites', {
      name: `${tenantId}工地`,
      code: `${tenantId.slice(-1)}1`,
      location: { lat: 30, lng: 120 },
    })
  ).body.siteId;
  const idNumber = freshIdNumber();
  const name = tenantId === 'fuzz-b' ? '乙方秘密' : '甲方';
  const personId = (await admin.post('/people', { name, idNumber, homeSiteId: siteId })).body.personId;
  const certificateId = (
    await admin.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number: `T${idNumber}`,
      issuedOn: '2025-03-01',
      expiresOn: '2031-02-28',
    })
  ).body.certificateId;
  await admin.post(`/people/${personId}/certificates`, samrCertificate(200));
  const badgeUid = tenantId === 'fuzz-b' ? '0B0B0B0B0B' : '0A0A0A0A0A';
  await admin.post(`/people/${personId}/badges`, { badgeUid });
  const batchId = (
    await admin.post('/verifications/batches', { format: 'text', content: `T${idNumber}\nTS-1` })
  ).body.batchId;
  await admin.put(`/sites/${siteId}/safety`, {
    notice: '安全须知',
    quizRequired: true,
    questions: [0, 1, 2].map((i) => ({ text: `问题${i}`, options: ['对', '错'], answer: 0 })),
  });
  expect(personId && certificateId && batchId).toBeTruthy();
  return {
    tenantId,
    siteId,
    personId,
    certificateId,
    badgeUid,
    batchId,
    quizId: 'quiz_0000000000000000000000',
    idNumber,
    name,
  };
}

function pathFor(template: string, fx: Fixture): string {
  return template
    .replace('{personId}', fx.personId)
    .replace('{certificateId}', fx.certificateId)
    .replace('{siteId}', fx.siteId)
    .replace('{batchId}', fx.batchId)
    .replace('{quizId}', fx.quizId)
    .replace('{badgeUid}', fx.badgeUid)
    .replace('{gate}', 'east-1');
}

const GATEWAY_MESSAGES = new Set(['Unauthorized', 'Not Found', 'Request Entity Too Large', 'Bad Request']);
/**
 * DynamoDB writes the process committed, whichever client sent them: every request to the
 * emulator passes Node's http client, whose diagnostics channel names the operation (the
 * X-Amz-Target header) and the answer. A refused request that committed none wrote nothing
 * to the table; counting is exact where comparing the whole table after every call was
 * most of this run's time.
 */
const WRITE_OPERATIONS =
  /^DynamoDB_20120810\.(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/;
let committedWrites = 0;
function countCommittedWrites(): () => void {
  const onResponse = (message: unknown) => {
    const { request, response } = message as {
      request: { getHeader(name: string): unknown };
      response: { statusCode?: number };
    };
    if (response.statusCode === 200 && WRITE_OPERATIONS.test(String(request.getHeader('x-amz-target') ?? '')))
      committedWrites += 1;
  };
  diagnostics.subscribe('http.client.response.finish', onResponse);
  return () => diagnostics.unsubscribe('http.client.response.finish', onResponse);
}

async function run(call: Call): Promise<void> {
  counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  const headers = await preconditionFor(call);
  const writesBefore = committedWrites;
  const res = await call.client.raw(call.method, call.path, call.body, headers).catch((error: Error) => ({
    status: 0,
    headers: new Headers(),
    body: `unparseable: ${error.message}`,
  }));
  const where = `${call.operation} [${call.kind}] → ${res.status}`;
  const text = JSON.stringify(res.body ?? '');
  if (res.status === 0 || res.status >= 500) failures.push(`${where}: ${text.slice(0, 300)}`);
  if (res.status >= 400 && res.status < 500) {
    const gateway = typeof res.body?.message === 'string' && GATEWAY_MESSAGES.has(res.body.message);
    if (!gateway && res.headers.get('content-type') !== 'application/problem+json')
      failures.push(`${where}: not problem+json (${res.headers.get('content-type')})`);
  }
  for (const secret of [b.personId, b.certificateId, b.siteId, b.name, b.batchId])
    if (call.client !== clientsB && text.includes(secret))
      failures.push(`${where}: shows tenant B's ${secret}`);
  for (const id of submittedIds) if (text.includes(id)) failures.push(`${where}: echoes an ID number`);
  // A refused request must leave the table as it was: not one write committed meanwhile.
  if (res.status >= 400 && res.status < 500 && committedWrites !== writesBefore)
    failures.push(`${where}: a refused request wrote (${committedWrites - writesBefore} writes committed)`);
}

/**
 * A correction (PATCH) needs If-Match: most calls name the version the caller reads (so the
 * body reaches validation and the write), some an old or malformed one, some none.
 */
async function preconditionFor(call: Call): Promise<Record<string, string> | undefined> {
  if (call.method !== 'PATCH') return undefined;
  const roll = random();
  if (roll < 0.15) return undefined;
  if (roll < 0.25) return { 'if-match': pick(['"v0"', '"v999"', 'W/"v1"', '*', '"v1", "v2"']) };
  const read = await call.client.raw('GET', call.path, undefined).catch(() => undefined);
  const etag = read?.headers.get('etag');
  return etag ? { 'if-match': etag } : { 'if-match': '"v1"' };
}

let clientsB: ApiClient;
let stopCounting = () => {};

/** Registers the fuzz run of every `shards`-th operation, starting at `shard` (0-based). */
export function fuzzShard(shard: number, shards: number) {
  state = (SEED + shard) >>> 0;
  const mine = (index: number) => index % shards === shard;

  beforeAll(async () => {
    // Gates are provisioned by the local CA, as under `npm start`.
    api = await startTestApi({
      gateDevices: {
        provisioner: new LocalGateProvisioner(await LocalCa.create(), 'mqtts://127.0.0.1:8883'),
      },
    });
    a = await seedTenant('fuzz-a');
    b = await seedTenant('fuzz-b');
    // Every tenant role (a worker's own account linked to the seeded person), and the platform operator.
    for (const role of [
      'group_admin',
      'site_manager',
      'hr',
      'subcontractor',
      'auditor',
      'worker',
      'platform_admin',
    ] as const) {
      clientsA[role] = await api.as({
        tenantId: role === 'platform_admin' ? '' : 'fuzz-a',
        role,
        ...(role === 'site_manager' ? { siteIds: [a.siteId] } : {}),
        ...(role === 'subcontractor' ? { subcontractorId: 'fuzz-sub' } : {}),
        personId: a.personId,
      });
    }
    clientsB = await api.as({ tenantId: 'fuzz-b', role: 'group_admin' });
    const { mintToken } = await import('../../infra/local/dev-tokens.ts');
    const bearing = (token: string): ApiClient => ({
      ...api.anonymous(),
      raw: (m, p, body, headers) =>
        api.anonymous().raw(m, p, body, { ...headers, authorization: `Bearer ${token}` }),
    });
    const admin = { tenantId: 'fuzz-a', role: 'group_admin' as const };
    forged = bearing(await mintToken(new TextEncoder().encode('not-the-key-not-the-key-not-the-k'), admin));
    expired = bearing(await mintToken(api.key, { ...admin, ttlSeconds: -60 }));
    stopCounting = countCommittedWrites();
    // Every log line of the run, at the most verbose level.
    output = captureOutput({ logLevel: 'DEBUG', stderr: true });
  }, 120_000);

  afterAll(async () => {
    stopCounting();
    output?.stop();
    await api?.close();
    await dropRecordFiles();
  });

  describe(`every operation of the OpenAPI document, fuzzed (shard ${shard + 1} of ${shards})`, () => {
    it('never answers 5xx, answers problems, writes nothing when refusing, and leaks no tenant or ID number', async () => {
      const started = Date.now();
      let index = -1;
      for (const [template, operations] of Object.entries(
        openapi.paths as Record<string, Record<string, Json>>,
      )) {
        for (const [method, op] of Object.entries(operations)) {
          index += 1;
          if (!mine(index)) continue;
          const operation = String(op.operationId);
          const M = method.toUpperCase();
          const secured = !(Array.isArray(op.security) && op.security.length === 0);
          const params = (op.parameters ?? []) as { name: string; in: string }[];
          const bodySchema = (op.requestBody as Json | undefined)?.content as
            | Record<string, { schema: Schema }>
            | undefined;
          const path = pathFor(template, a);
          const call = (kind: string, client: ApiClient, p = path, body?: string) =>
            run({ operation, kind, client, method: M, path: p, body });
          const validBody = bodySchema
            ? JSON.stringify(validValue(bodySchema['application/json']?.schema ?? {}, '', a))
            : undefined;

          // Tokens and roles.
          if (secured) {
            await call('no token', api.anonymous(), path, validBody);
            await call('expired token', expired, path, validBody);
            await call('forged token', forged, path, validBody);
          }
          for (const role of Object.keys(clientsA))
            await call(`role ${role}`, clientsA[role] as ApiClient, path, validBody);
          const admin = clientsA.group_admin as ApiClient;

          // Another tenant's ids, oversized and odd ids.
          if (template.includes('{')) {
            await call("tenant B's ids", admin, pathFor(template, b), validBody);
            await call('oversized id', admin, template.replace(/\{\w+\}/, 'i'.repeat(2000)), validBody);
            await call(
              'odd id',
              admin,
              template.replace(/\{\w+\}/, pick(['..%2F..%2Fetc', '%00', '%E0%A4%A', '%ED%A0%BD', ' '])),
              validBody,
            );
          }

          // Query parameters.
          for (const q of params.filter((p) => p.in === 'query')) {
            for (const value of [
              '-1',
              '0',
              '999999999999',
              'x'.repeat(5000),
              '%ED%A0%BD',
              'red,green',
              '2026-02-30',
              'eyJwayI6IlQjZnV6ei1iIn0',
            ]) {
              await call(`query ${q.name}`, admin, `${path}?${q.name}=${value}`);
            }
          }

          // Bodies.
          const json = bodySchema?.['application/json']?.schema;
          if (json) for (const m of bodyMutations(json, a)) await call(`body ${m.kind}`, admin, path, m.body);
        }
      }
      const total = Object.values(counts).reduce((x, y) => x + y, 0);
      realWrite(
        `\nAPI fuzz (seed ${SEED}, shard ${shard + 1}/${shards}): ${total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s\n${Object.entries(
          counts,
        )
          .map(([op, n]) => `  ${op.padEnd(32)} ${n}`)
          .join('\n')}\n`,
      );
      // The logs were captured (refusals are logged), and hold no ID number the run submitted.
      const logs = output?.lines.join('\n') ?? '';
      expect(logs).toContain('request refused');
      // The write count saw the writes of the requests that succeeded (it counts at all).
      expect(committedWrites).toBeGreaterThan(0);
      for (const id of submittedIds)
        if (logs.includes(id)) failures.push(`a log line holds the ID number ${id.slice(0, 4)}…`);
      expect(failures).toEqual([]);
    }, 400_000);
  });
}
