import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import type { Allowlist } from '../../functions/gates/allowlist.ts';
import {
  type AllowlistDeps,
  publishChangedAllowlists,
  refreshAllAllowlists,
} from '../../functions/gates/allowlists.ts';
import type { GatePublisher } from '../../functions/gates/gate-publisher.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { LocalGateProvisioner } from '../../infra/local/local-gates.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';
import { captureMetrics } from '../support/metrics.ts';

const TENANT = 'allow-group';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteId: string;
let otherSiteId: string;
// The jobs' own adapters, run as the jobs function (its table grants are enforced), with a
// recorder as the gate transport.
let deps: AllowlistDeps;
const asJob = <T>(run: () => Promise<T>) => asFunction('jobs', run);
/** What reached the gates: the transport is MQTT's business (see test/e2e/gate-mqtt.test.ts). */
const sent: { topic: string; payload: string; retain: boolean }[] = [];
const recorder: GatePublisher = {
  publish: async (topic, payload, { retain }) => {
    sent.push({ topic, payload, retain });
  },
};

beforeAll(async () => {
  deps = { ...allAdapters(), publisher: recorder };
  api = await startTestApi({
    gateDevices: {
      provisioner: new LocalGateProvisioner(await LocalCa.create(), 'mqtts://127.0.0.1:8883'),
      publisher: recorder,
    },
  });
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '舟山', code: 'ZS', location: { lat: 30, lng: 122.1 } })).body
    .siteId;
  otherSiteId = (
    await admin.post('/sites', { name: '嘉兴', code: 'JX', location: { lat: 30.7, lng: 120.7 } })
  ).body.siteId;
  for (const [site, gate] of [
    [siteId, 'east'],
    [siteId, 'west'],
    [otherSiteId, 'main'],
  ] as const) {
    expect((await admin.post(`/sites/${site}/gates`, { gate })).status).toBe(201);
  }
});
afterAll(() => api.close());

async function worker(daysLeft: number, badgeUid: string) {
  const personId = (await hr.post('/people', { name: '离线', idNumber: newIdNumber() })).body
    .personId as string;
  await hr.post(`/people/${personId}/certificates`, samrCertificate(daysLeft));
  await hr.post(`/people/${personId}/badges`, { badgeUid });
  return personId;
}

/** The verified payload of the latest list sent to a gate (a list that fails verification throws). */
async function latest(gate: string): Promise<Allowlist> {
  const topic = `gates/${TENANT}:${siteId}:${gate}/allowlist/0`;
  const message = sent.filter((s) => s.topic === topic).at(-1);
  expect(message?.retain).toBe(true);
  const jwks = (await api.anonymous().get('/gates/allowlist-keys')).body;
  const { kid } = decodeProtectedHeader(message?.payload as string);
  const jwk = jwks.keys.find((k: { kid: string }) => k.kid === kid);
  const { payload } = await compactVerify(message?.payload as string, await importJWK(jwk, 'ES256'));
  return JSON.parse(new TextDecoder().decode(payload));
}

describe('signed offline allowlists (X2)', () => {
  it('publishes each site’s list, signed, retained, to every gate of the site', async () => {
    await worker(300, '0B0B0B01');
    await worker(-1, '0B0B0B02');
    const run = await asJob(() => publishChangedAllowlists(deps));
    expect(run.changes).toBeGreaterThanOrEqual(3); // the new gates and badges
    expect(run.tenants[TENANT]?.map((s) => s.siteId).sort()).toEqual([siteId, otherSiteId].sort());
    const east = await latest('east');
    expect(east).toMatchObject({
      typ: 'gate-allowlist',
      tenantId: TENANT,
      siteId,
      version: 1,
      allow: ['0B0B0B01'],
      deny: { '0B0B0B02': 'person_frozen' },
    });
    expect(Date.parse(east.expiresAt) - Date.parse(east.issuedAt)).toBe(24 * 3600_000);
    // The green worker's certificate runs out in 300 days: the list says from when to refuse.
    expect(east.until['0B0B0B01']).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/);
    expect(Date.parse(east.until['0B0B0B01'] as string) - Date.now()).toBeGreaterThan(299 * 86_400_000);
    expect(await latest('west')).toEqual(east);
    // Nothing changed since: nothing is published.
    const before = sent.length;
    expect((await asJob(() => publishChangedAllowlists(deps))).changes).toBe(0);
    expect(sent.length).toBe(before);
  });

  it('lists a site’s gates with the allowlist version they were sent', async () => {
    const res = await admin.get(`/sites/${siteId}/gates`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: { gateId: string; status: string }) => [g.gateId, g.status])).toEqual([
      [`${TENANT}:${siteId}:east`, 'active'],
      [`${TENANT}:${siteId}:west`, 'active'],
    ]);
    expect(res.body.allowlist).toMatchObject({ version: (await latest('east')).version, parts: 1 });
    const elsewhere = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [otherSiteId] });
    expect((await elsewhere.get(`/sites/${siteId}/gates`)).status).toBe(404);
    expect((await elsewhere.get(`/sites/${otherSiteId}/gates`)).body.items).toHaveLength(1);
    expect((await hr.get(`/sites/${siteId}/gates`)).status).toBe(403);
  });

  it('refuses a tampered list', async () => {
    const topic = `gates/${TENANT}:${siteId}:east/allowlist/0`;
    const jws = sent.filter((s) => s.topic === topic).at(-1)?.payload as string;
    const [h, p, s] = jws.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(p, 'base64url').toString());
    forged.allow.push('0B0B0B02');
    const jwk = (await api.anonymous().get('/gates/allowlist-keys')).body.keys[0];
    await expect(
      compactVerify(
        `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`,
        await importJWK(jwk, 'ES256'),
      ),
    ).rejects.toThrow();
  });

  it('republishes when someone turns red, a badge is revoked, or the site starts requiring its quiz', async () => {
    const turning = await worker(300, '0B0B0B03');
    const revoked = await worker(300, '0B0B0B04');
    await asJob(() => publishChangedAllowlists(deps));
    const v = (await latest('east')).version;
    expect((await latest('east')).allow).toEqual(['0B0B0B01', '0B0B0B03', '0B0B0B04']);

    await hr.post(`/people/${turning}/certificates`, samrCertificate(-2, { category: 'Q2' })); // now red
    expect((await hr.raw('DELETE', `/people/${revoked}/badges/0B0B0B04`, undefined)).status).toBe(204);
    await asJob(() => publishChangedAllowlists(deps));
    const after = await latest('east');
    expect(after.version).toBe(v + 1);
    expect(after.allow).toEqual(['0B0B0B01']);
    expect(after.deny).toEqual({ '0B0B0B02': 'person_frozen', '0B0B0B03': 'person_frozen' });

    await admin.put(`/sites/${siteId}/safety`, {
      notice: '进入本工地须佩戴安全帽并完成入场答题。',
      questions: [1, 2, 3].map((i) => ({ text: `第 ${i} 题：安全帽？`, options: ['戴', '不戴'], answer: 0 })),
      quizRequired: true,
    });
    await asJob(() => publishChangedAllowlists(deps));
    expect((await latest('east')).deny['0B0B0B01']).toBe('quiz_required');
  });

  it('splits a long list into signed parts, and clears the parts a shorter list no longer has', async () => {
    const small = { ...deps, partSize: 2 };
    const run = await asJob(() => refreshAllAllowlists(small));
    const east = run.tenants[TENANT]?.find((s) => s.siteId === siteId);
    expect(east?.parts).toBe(2); // 3 active badges (one was revoked), 2 per part
    const topic = (part: number) => `gates/${TENANT}:${siteId}:east/allowlist/${part}`;
    const lastOn = (part: number) => sent.filter((s) => s.topic === topic(part)).at(-1);
    const jwk = (await api.anonymous().get('/gates/allowlist-keys')).body.keys[0];
    const parts = await Promise.all(
      [0, 1].map(async (part) => {
        const { payload } = await compactVerify(
          lastOn(part)?.payload as string,
          await importJWK(jwk, 'ES256'),
        );
        return JSON.parse(new TextDecoder().decode(payload)) as Allowlist;
      }),
    );
    expect(parts.map((p) => [p.part, p.parts, p.version])).toEqual([
      [0, 2, east?.version],
      [1, 2, east?.version],
    ]);
    expect(parts.flatMap((p) => [...p.allow, ...Object.keys(p.deny)]).sort()).toEqual([
      '0B0B0B01',
      '0B0B0B02',
      '0B0B0B03',
    ]);
    // Back to one part: part 1's retained message is cleared with an empty payload.
    await asJob(() => refreshAllAllowlists(deps));
    expect(lastOn(1)).toEqual({ topic: topic(1), payload: '', retain: true });
    expect((await latest('east')).parts).toBe(1);
  });

  it('refreshes every list before it expires, even without changes, and says so in metrics', async () => {
    const v = (await latest('east')).version;
    const metrics = captureMetrics();
    const run = await asJob(() => refreshAllAllowlists(deps));
    const points = await metrics.stop();
    expect(run.tenants[TENANT]?.length).toBe(2);
    expect((await latest('east')).version).toBe(v + 1);
    // One publish a site list, the age of the list it replaced, and the refresh's heartbeat.
    const published = points.filter(
      (p) => p.name === 'AllowlistPublished' && p.dimensions.cause === 'refresh',
    );
    expect(published.length).toBeGreaterThanOrEqual(2);
    expect(published.every((p) => p.dimensions.outcome === 'published')).toBe(true);
    const ages = points.filter((p) => p.name === 'AllowlistAge');
    expect(ages.length).toBe(published.length);
    for (const a of ages) expect(a.value).toBeGreaterThanOrEqual(0);
    expect(points.filter((p) => p.name === 'AllowlistRefresh')).toEqual([
      { name: 'AllowlistRefresh', value: 1, dimensions: { service: 'special-ops' } },
    ]);
  });
});
