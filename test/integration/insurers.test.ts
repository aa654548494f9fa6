// The insurer link over the API (E2): an insurer subscribes with its terms and key; points at
// its threshold, a suspension and a reinstatement reach it signed, carrying only the policy
// number, a reference, the masked name, the event and its date; its signed acknowledgement
// sets the cover shown on the person. Replays, forged keys, other tenants' events and a
// stalled insurer are refused or retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeps } from '../../functions/composition-root.ts';
import { relayEvents } from '../../functions/webhooks/webhooks.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { BASE_COVER, InsurerSimulator } from '../../infra/local/insurer-simulator.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

const TENANT = 'insured';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let manager: ApiClient;
let poller: WorkPoller;
let insurer: InsurerSimulator;
let siteId: string;
let webhookId: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '码头', code: 'MT', location: { lat: 30.6, lng: 122.1 } }))
    .body.siteId;
  manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
  insurer = new InsurerSimulator(api.gateway.url);
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
});
afterAll(async () => {
  await poller?.stop();
  await insurer?.close();
  await api.close();
});

async function until<T>(read: () => T | Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await relayEvents(webhookDeps());
    await new Promise((r) => setTimeout(r, 200));
  }
}

const terms = (publicKeyPem: string) => ({
  name: '中国人保财险',
  policies: [{ policyNumber: 'PICC-2027-0001' }, { policyNumber: 'PICC-2027-MT01', siteId }],
  pointsThreshold: 6,
  publicKeyPem,
});

describe('the insurer link', () => {
  it('registers an insurer with its terms and key; refuses a bad key and tenants’ events', async () => {
    const url = await insurer.listen();
    const badKey = await admin.post('/webhooks', {
      url,
      insurer: terms('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'),
    });
    expect(badKey.status).toBe(400);
    const wrongEvents = await admin.post('/webhooks', {
      url,
      events: ['person.status_changed'],
      insurer: terms(insurer.publicKeyPem),
    });
    expect(wrongEvents.status).toBe(400);
    expect((await hr.post('/webhooks', { url, insurer: terms(insurer.publicKeyPem) })).status).toBe(403);

    const res = await admin.post('/webhooks', { url, insurer: terms(insurer.publicKeyPem) });
    expect(res.status).toBe(201);
    expect(res.body.events).toEqual([
      'certificate.lapsed',
      'person.suspended',
      'person.reinstated',
      'person.points_changed',
    ]);
    expect(res.body.insurer).toMatchObject({
      name: '中国人保财险',
      pointsThreshold: 6,
      acknowledgementKeyId: `${TENANT}/${res.body.webhookId}`,
    });
    webhookId = res.body.webhookId;
    insurer.trusted = {
      keyId: res.body.signing.keyId,
      publicKeyPem: res.body.signing.publicKeyPem,
      acknowledgementKeyId: res.body.insurer.acknowledgementKeyId,
    };
  });

  it('tells the insurer of points at its threshold and a suspension, and keeps the cover it answers', async () => {
    const idNumber = newIdNumber();
    const personId = (
      await hr.post('/people', { name: '保险测试', idNumber, homeSiteId: siteId, phone: '13800138000' })
    ).body.personId as string;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
    const body = {
      personId,
      type: 'outside_scope',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      siteId,
    };
    expect((await manager.post('/violations', body)).status).toBe(201);
    expect((await manager.post('/violations', body)).status).toBe(201);

    const received = await until(
      () => insurer.received.filter((d) => d.insured?.reference === personId),
      (r) =>
        r.some((d) => d.type === 'person.suspended') &&
        r.filter((d) => d.type === 'person.points_changed').length === 2,
    );
    const types = received.map((d) => d.type).sort();
    expect(types).toEqual(['person.points_changed', 'person.points_changed', 'person.suspended']);
    for (const d of received) {
      // The home site's policy, the masked name, the day: nothing else about the person.
      expect(d).toMatchObject({
        policyNumber: 'PICC-2027-MT01',
        insured: { reference: personId, nameMasked: '保***' },
      });
      expect(d.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const text = JSON.stringify(d);
      expect(text).not.toContain(idNumber);
      expect(text).not.toContain('13800138000');
      expect(text).not.toContain(siteId);
    }
    expect(
      received
        .filter((d) => d.type === 'person.points_changed')
        .map((d) => Number(d.points))
        .sort((a, b) => a - b),
    ).toEqual([6, 12]);

    const acks = await until(
      () => insurer.acknowledged.filter((a) => received.some((d) => d.id === a.eventId)),
      (a) => a.length === 3,
    );
    expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
    const covers = (await hr.get(`/people/${personId}/insurance`)).body;
    expect(covers.items).toHaveLength(1);
    expect(covers.items[0]).toMatchObject({
      webhookId,
      insurer: '中国人保财险',
      policyNumber: 'PICC-2027-MT01',
      currency: 'CNY',
    });
    // Each acknowledgement replaces the cover: the last one's amount stands.
    const last = acks[acks.length - 1]?.eventId;
    expect(covers.items[0].eventId).toBe(last);

    // Reinstated after the courses: told, and the cover restored.
    const courses = (await hr.get(`/people/${personId}/courses`)).body.items as { courseId: string }[];
    for (const c of courses)
      expect(
        (await hr.post(`/people/${personId}/courses/${c.courseId}/completion`, { note: '已完成' })).status,
      ).toBe(200);
    expect((await manager.post(`/people/${personId}/reinstatement`, { note: '培训合格' })).status).toBe(200);
    await until(
      () =>
        insurer.acknowledged.filter((a) =>
          insurer.received.find(
            (d) => d.id === a.eventId && d.type === 'person.reinstated' && d.insured?.reference === personId,
          ),
        ),
      (a) => a.length === 1,
    );
    const after = (await hr.get(`/people/${personId}/insurance`)).body.items[0];
    expect(after.amount).toBe(BASE_COVER);

    // Another tenant never sees it; the audit trail names the insurer.
    const other = await api.as({ tenantId: 'insured-other', role: 'group_admin' });
    expect((await other.get(`/people/${personId}/insurance`)).status).toBe(404);
    const trail = await admin.get(`/audit?entityId=${personId}&limit=50`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toContain('insurer.acknowledge');
  });

  it('refuses a replayed, forged or misaddressed acknowledgement', async () => {
    const delivered = insurer.received.find((d) => d.type === 'person.suspended');
    expect(delivered).toBeDefined();
    const nonce = 'nonce-replayed-0001';
    expect((await insurer.acknowledge(delivered as never, { nonce })).status).toBe(200);
    const replay = await insurer.acknowledge(delivered as never, { nonce });
    expect(replay.status).toBe(401);
    insurer.forge = true;
    expect((await insurer.acknowledge(delivered as never)).status).toBe(401);
    insurer.forge = false;
    // An event it was never sent (a made-up id; a tenant's own event type) is not found.
    expect(
      (await insurer.acknowledge({ id: 'evt_01J00000000000000000000000', type: 'person.suspended' })).status,
    ).toBe(404);
    // Unsigned: refused before the body is read.
    const unsigned = await fetch(`${api.gateway.url}/insurers/acknowledgements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: delivered?.id }),
    });
    expect(unsigned.status).toBe(401);
  });

  it('does not tell the insurer below its threshold, and retries one that is down', async () => {
    const personId = (await hr.post('/people', { name: '阈值', idNumber: newIdNumber(), homeSiteId: siteId }))
      .body.personId as string;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
    // A small violation: 2 points, under the insurer's 6.
    const small = await manager.post('/violations', {
      personId,
      type: 'safety_rule',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      siteId,
    });
    expect(small.status).toBe(201);
    expect(small.body.points).toBeLessThan(6);
    insurer.down = true;
    expect(
      (
        await manager.post('/violations', {
          personId,
          type: 'outside_scope',
          occurredAt: new Date(Date.now() - 1_800_000).toISOString(),
          siteId,
        })
      ).status,
    ).toBe(201);
    const failed = await until(
      async () =>
        (await admin.get(`/webhooks/${webhookId}/deliveries?limit=20`)).body.items as {
          deliveryId: string;
          outcome: string;
          status?: number;
        }[],
      (items) => items.some((d) => d.outcome === 'failed' && d.status === 503),
    );
    const down = failed.find((d) => d.outcome === 'failed' && d.status === 503);
    expect(down).toBeDefined();
    insurer.down = false;
    // The queue retries it after its visibility timeout; an operator need not wait.
    expect(
      (await admin.post(`/webhooks/${webhookId}/deliveries/${down?.deliveryId}/redeliver`, {})).status,
    ).toBe(202);
    const got = await until(
      () => insurer.received.filter((d) => d.insured?.reference === personId),
      (r) => r.length >= 1,
    );
    // Only the points at the threshold (2 + 6 = 8 ≥ 6); the 2 alone was never sent.
    expect(got.map((d) => [d.type, d.points])).toEqual([['person.points_changed', 8]]);
  });
});
