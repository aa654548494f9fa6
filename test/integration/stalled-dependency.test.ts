// A stalled database: the emulator frozen (SIGSTOP) accepts connections and never answers,
// as a DynamoDB endpoint behind a broken network path does. Every request — /health, reads,
// writes, the directory read behind authentication — must answer 503 with Retry-After within
// seconds, not hang (a field probe once waited 20 s for nothing); and the API recovers when
// the database does. This file runs its own emulator: pausing the shared one would stall
// every other file.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_DEADLINE_MS } from '../../functions/shared/aws-client-config.ts';
import { type Emulator, startMoto } from '../../infra/local/emulator.ts';
import { localEnvironment, provisionLocal } from '../../infra/local/provision.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber } from '../support/fixtures.ts';

let emulator: Emulator;
let api: TestApi;
let admin: ApiClient;
let siteId: string;

beforeAll(async () => {
  // The product's deadline, not the one the other emulator files lift (test/setup/emulator-env.ts).
  delete process.env.AWS_CALL_DEADLINE_MS;
  emulator = await startMoto();
  // Same resources, on this file's own emulator (the clients read the endpoint when first built).
  const resources = {
    tableName: process.env.TABLE_NAME as string,
    idHashKeySecretId: process.env.ID_HASH_KEY_SECRET_ID as string,
    workQueueName: `stall-${Date.now()}`,
    registryBaseUrl: process.env.REGISTRY_BASE_URL as string,
  };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: localEnvironment(emulator.endpoint, resources).AWS_ENDPOINT_URL,
  });
  Object.assign(process.env, await provisionLocal(resources));
  api = await startTestApi();
  admin = await api.as({ tenantId: 'stall-group', role: 'group_admin' });
  siteId = (await admin.post('/sites', { name: '停滞', code: 'ST', location: { lat: 30, lng: 120 } })).body
    .siteId;
}, 60_000);

afterAll(async () => {
  emulator?.resume();
  await api?.close();
  await emulator?.stop();
});

/** What one request answers, and how long it took. */
async function timed(call: () => Promise<{ status: number; headers: Headers; body: unknown }>) {
  const started = Date.now();
  const res = await call();
  return { ...res, ms: Date.now() - started };
}

describe('a stalled database', () => {
  it('answers 503 with Retry-After within seconds on every kind of request, and recovers', async () => {
    expect((await admin.get('/people')).status).toBe(200);
    emulator.pause();
    try {
      const requests: [string, () => Promise<{ status: number; headers: Headers; body: unknown }>][] = [
        ['GET /health', () => api.anonymous().get('/health')],
        ['GET /people', () => admin.get('/people')],
        [
          'POST /people',
          () => admin.post('/people', { name: '张伟', idNumber: newIdNumber(), homeSiteId: siteId }),
        ],
        // A caller the directory has not seen yet: authentication itself reads the table.
        ['GET /sites as a new identity', async () => (await api.identity('never-seen')).get('/sites')],
      ];
      const answers = await Promise.all(requests.map(([, call]) => timed(call)));
      answers.forEach((res, i) => {
        const name = requests[i]?.[0];
        expect(res.status, name).toBe(503);
        expect(res.headers.get('retry-after'), name).toMatch(/^\d+$/);
        // Within the deadline of one call and a little: never the function's own timeout (10 s).
        expect(res.ms, name).toBeLessThan(CALL_DEADLINE_MS * 2);
      });
      expect(answers[0]?.body).toMatchObject({ status: 'degraded', dependencies: { table: 'unavailable' } });
      expect(answers[1]?.body).toMatchObject({ status: 503, code: 'dependency_unavailable' });
    } finally {
      emulator.resume();
    }
    // Back: the table answers again. The health probe's cache holds its answer 5 s: the clock
    // is moved past that instead of waiting it out.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5_100 });
    try {
      expect((await api.anonymous().get('/health')).status).toBe(200);
      expect((await admin.get('/people')).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);
});
