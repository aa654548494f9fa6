import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import { DynamoScanStore } from '../../functions/gates/scan-store.ts';
import {
  handleScan,
  InvalidScan,
  raiseTravelAlerts,
  type ScanDeps,
  type TravelCheck,
} from '../../functions/gates/scans.ts';
import { DynamoTravelAlertStore } from '../../functions/gates/travel-alert-store.ts';
import { recountHeatCounters } from '../../functions/jobs/heat-recount.ts';
import { InboxNotifier } from '../../functions/notifications/inbox-store.ts';
import { DynamoQuizStore } from '../../functions/quizzes/quiz-store.ts';
import { quizInductions } from '../../functions/quizzes/site-quiz.ts';
import { DynamoSettingsRepository } from '../../functions/settings/settings-repository.ts';
import { fixedClock, systemClock } from '../../functions/shared/clock.ts';
import { createDocumentClient } from '../../functions/shared/dynamo/client.ts';
import { meterReads } from '../../functions/shared/dynamo/read-meter.ts';
import { DISPATCH_POLICY } from '../../functions/tickets/dispatch-rules.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;
let siteId: string;
let gateId: string;
const db = createDocumentClient();
const meter = meterReads(db);
let store: ScanDeps;

beforeAll(async () => {
  api = await startTestApi();
  const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
  siteId = (await admin.post('/sites', { name: '北仑', code: 'BL', location: { lat: 29.9, lng: 121.8 } }))
    .body.siteId;
  gateId = `gates:${siteId}:east-1`;
  hr = await api.as({ tenantId: 'gates', role: 'hr' });
  // The gate function's adapters on the metered client: reads per scan are counted.
  const table = process.env.TABLE_NAME as string;
  store = {
    scans: new DynamoScanStore(db, table, systemClock),
    inductions: quizInductions({
      quizzes: new DynamoQuizStore(db, table, new InboxNotifier(table), systemClock),
      clock: systemClock,
    }),
    travel: new DynamoTravelAlertStore(db, table, new InboxNotifier(table), (tenantId) =>
      new DynamoSettingsRepository(db, table, systemClock).read(tenantId, DISPATCH_POLICY),
    ),
    clock: systemClock,
  };
});
afterAll(() => api.close());

async function worker(daysLeft: number, badgeUid: string) {
  const personId = (await hr.post('/people', { name: '门禁', idNumber: newIdNumber() })).body
    .personId as string;
  await hr.post(`/people/${personId}/certificates`, samrCertificate(daysLeft));
  expect((await hr.post(`/people/${personId}/badges`, { badgeUid })).status).toBe(201);
  return personId;
}

const scan = (scanId: string, badgeUid: string) => ({
  scanId,
  badgeUid,
  direction: 'in',
  at: new Date().toISOString(),
});

describe('gate decisions (X2)', () => {
  it('allows a green worker with at most two reads, and records the check-in', async () => {
    const personId = await worker(300, '04a1b2c3d4');
    Object.assign(meter, { calls: 0, items: 0 });
    const decision = await handleScan(store, gateId, scan('scan-green-0001', '04A1B2C3D4'));
    expect(decision).toMatchObject({
      decision: 'allow',
      reason: 'ok',
      person: { personId, nameMasked: '门*', color: 'green' },
    });
    // Badge + site policy in one BatchGetItem, then the gate view: the check-in's writes
    // (scan, presence, heat counters) read nothing more.
    expect(meter.calls).toBe(2);
    expect(await getItem(`T#gates#PERSON#${personId}`, 'PRESENCE')).toMatchObject({
      siteId,
      gateId,
      direction: 'in',
    });
    // The check-in opens a shift: the status shows the fatigue window.
    const status = (await hr.get(`/people/${personId}/status`)).body;
    expect(status.fatigue).toMatchObject({ onSite: true, siteId, continuousMinutes: 0, flagged: false });
  });

  it('denies a red worker, the badge of nobody, and a revoked badge — each with its reason', async () => {
    await worker(-1, '04A1B2C3D5');
    expect(await handleScan(store, gateId, scan('scan-red-00001', '04A1B2C3D5'))).toMatchObject({
      decision: 'deny',
      reason: 'person_frozen',
    });
    expect(await handleScan(store, gateId, scan('scan-none-0001', 'FFFFFFFF'))).toMatchObject({
      decision: 'deny',
      reason: 'badge_unknown',
    });
    const personId = await worker(300, '04A1B2C3D6');
    expect((await hr.raw('DELETE', `/people/${personId}/badges/04a1b2c3d6`, undefined)).status).toBe(204);
    expect(await handleScan(store, gateId, scan('scan-revk-0001', '04A1B2C3D6'))).toMatchObject({
      decision: 'deny',
      reason: 'badge_revoked',
    });
    expect((await hr.raw('DELETE', `/people/${personId}/badges/04a1b2c3d6`, undefined)).status).toBe(404);
  });

  it('answers a redelivered scan with the first decision and one check-in, even if the person changed since', async () => {
    const personId = await worker(300, '04A1B2C3D7');
    const delivered = scan('scan-dup-00001', '04A1B2C3D7'); // QoS 1 redelivers the very same message
    const first = await handleScan(store, gateId, delivered);
    await hr.post(`/people/${personId}/certificates`, samrCertificate(-2, { category: 'Q2' })); // now red
    const again = await handleScan(store, gateId, delivered);
    expect(again).toMatchObject({ decision: first.decision, reason: first.reason, duplicate: true });
    expect(await handleScan(store, gateId, scan('scan-dup-00002', '04A1B2C3D7'))).toMatchObject({
      decision: 'deny',
      reason: 'person_frozen',
    });
  });

  it('moves a badge bound to someone else, so the old holder can no longer use it', async () => {
    const first = await worker(300, '04A1B2C3D8');
    const secondId = (await hr.post('/people', { name: '新', idNumber: newIdNumber() })).body.personId;
    await hr.post(`/people/${secondId}/certificates`, samrCertificate(300));
    const moved = await hr.post(`/people/${secondId}/badges`, { badgeUid: '04A1B2C3D8' });
    expect(moved.body).toMatchObject({ personId: secondId, replacedPersonId: first });
    expect((await handleScan(store, gateId, scan('scan-move-0001', '04A1B2C3D8'))).person?.personId).toBe(
      secondId,
    );
    expect(await getItem(`T#gates#PERSON#${first}`, 'BADGE#04A1B2C3D8')).toMatchObject({ active: false });
  });

  it('shows who is on site now on the heat map, per site and per H3 cell, with filters', async () => {
    await worker(300, '0C0C0C01');
    await handleScan(store, gateId, scan('scan-heat-0001', '0C0C0C01'));
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    const siteFeature = async (query = '') => {
      const res = await admin.get(`/heatmap${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/geo+json');
      return res.body.features.find(
        (f: { properties: { siteId?: string } }) => f.properties.siteId === siteId,
      );
    };
    const all = await siteFeature();
    expect(all.geometry).toEqual({ type: 'Point', coordinates: [121.8, 29.9] });
    expect(all.properties.total).toBeGreaterThanOrEqual(1);
    expect(all.properties.h3).toMatch(/^87[0-9a-f]+$/);
    // (A worker who checked in and turned red since is still on site, and shows red.)
    expect((await siteFeature('?color=red')).properties.total).toBe(all.properties.red);
    expect((await siteFeature('?color=green')).properties.total).toBe(all.properties.green);
    expect((await siteFeature('?category=N1')).properties.total).toBe(all.properties.total);
    expect((await siteFeature('?category=Q1')).properties.total).toBe(0);
    // Leaving takes the person off the map.
    await handleScan(store, gateId, { ...scan('scan-heat-0002', '0C0C0C01'), direction: 'out' });
    expect((await siteFeature()).properties.total).toBe(all.properties.total - 1);
    const elsewhere = await api.as({
      tenantId: 'gates',
      role: 'site_manager',
      siteIds: ['site_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect((await elsewhere.get('/heatmap')).body.features).toEqual([]);
  });

  it('keeps the site counters exact through check-in, a status change on site and check-out; the nightly recount agrees', async () => {
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    const counts = async (query = '') =>
      (await admin.get(`/heatmap${query}`)).body.features.find(
        (f: { properties: { siteId?: string } }) => f.properties.siteId === siteId,
      ).properties as { total: number; green: number; yellow: number; red: number };
    const before = {
      all: await counts(),
      q2: await counts('?category=Q2'),
      redN1: await counts('?color=red&category=N1'),
    };
    const personId = await worker(300, '0C0C0C09');
    await handleScan(store, gateId, scan('scan-count-001', '0C0C0C09'));
    expect(await counts()).toEqual({
      ...before.all,
      total: before.all.total + 1,
      green: before.all.green + 1,
    });
    // On site, an expired Q2 certificate turns the person red: the counters follow at once.
    const expired = await hr.post(
      `/people/${personId}/certificates`,
      samrCertificate(-3, { category: 'Q2', number: `TS-Q2-${Date.now()}` }),
    );
    expect(expired.status).toBe(201);
    expect(await counts()).toEqual({ ...before.all, total: before.all.total + 1, red: before.all.red + 1 });
    expect((await counts('?category=Q2')).red).toBe(before.q2.red + 1);
    expect((await counts('?color=red&category=N1')).total).toBe(before.redN1.total + 1);
    const recount = () =>
      asFunction('jobs', () => recountHeatCounters({ ...allAdapters() }, { repair: true })).then(
        (r) => r.tenants.find((t) => t.tenantId === 'gates')?.differences ?? [],
      );
    expect(await recount()).toEqual([]);
    // A counter written around the product (here: by hand) is reported and set right.
    await db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: 'T#gates', sk: `HEAT#${siteId}` },
        UpdateExpression: 'ADD #g :three',
        ExpressionAttributeNames: { '#g': 'color#green' },
        ExpressionAttributeValues: { ':three': 3 },
      }),
    );
    const drift = await recount();
    expect(drift).toEqual([
      { siteId, attribute: 'color#green', stored: before.all.green + 3, counted: before.all.green },
    ]);
    expect(await recount()).toEqual([]);
    await handleScan(store, gateId, { ...scan('scan-count-002', '0C0C0C09'), direction: 'out' });
    expect(await counts()).toEqual(before.all);
  });

  it('lets a site manager see a worker of another site while checked in at theirs', async () => {
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    const home = (await admin.post('/sites', { name: '外地', code: 'HOME', location: { lat: 31, lng: 121 } }))
      .body.siteId;
    const personId = (await hr.post('/people', { name: '访客', idNumber: newIdNumber(), homeSiteId: home }))
      .body.personId;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
    await hr.post(`/people/${personId}/badges`, { badgeUid: '0D0D0D01' });
    const manager = await api.as({ tenantId: 'gates', role: 'site_manager', siteIds: [siteId] });
    expect((await manager.get(`/people/${personId}`)).status).toBe(404);
    await handleScan(store, gateId, scan('scan-visit-001', '0D0D0D01'));
    expect((await manager.get(`/people/${personId}`)).status).toBe(200);
    await handleScan(store, gateId, { ...scan('scan-visit-002', '0D0D0D01'), direction: 'out' });
    expect((await manager.get(`/people/${personId}`)).status).toBe(404);
  });

  it('lists the people checked in at a site now, whatever their home site', async () => {
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    const other = (await admin.post('/sites', { name: '别处', code: 'OTH', location: { lat: 30, lng: 120 } }))
      .body.siteId;
    const personId = (await hr.post('/people', { name: '来客', idNumber: newIdNumber(), homeSiteId: other }))
      .body.personId;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
    await hr.post(`/people/${personId}/badges`, { badgeUid: '0D0D0D02' });
    const manager = await api.as({ tenantId: 'gates', role: 'site_manager', siteIds: [siteId] });
    const onSite = async () =>
      (await manager.get(`/people?onSite=true&siteId=${siteId}`)).body.items.map(
        (p: { personId: string }) => p.personId,
      );
    expect(await onSite()).not.toContain(personId);
    // Home-site lists stay as they were: the visitor is not one of this site's people.
    expect(
      (await manager.get(`/people?siteId=${siteId}`)).body.items.map((p: any) => p.personId),
    ).not.toContain(personId);
    await handleScan(store, gateId, scan('scan-list-0001', '0D0D0D02'));
    expect(await onSite()).toContain(personId);
    const red = (await manager.get(`/people?onSite=true&siteId=${siteId}&color=red`)).body.items;
    expect(red.map((p: any) => p.personId)).not.toContain(personId);
    // Another site's manager does not get this site's list.
    const elsewhere = await api.as({ tenantId: 'gates', role: 'site_manager', siteIds: [other] });
    expect((await elsewhere.get(`/people?onSite=true&siteId=${siteId}`)).status).toBe(403);
    await handleScan(store, gateId, { ...scan('scan-list-0002', '0D0D0D02'), direction: 'out' });
    expect(await onSite()).not.toContain(personId);
  });

  it('flags fatigue against the tenant’s own limits', async () => {
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    expect((await admin.get('/settings/fatigue-thresholds')).body).toEqual({
      maxContinuousMinutes: 720,
      maxMinutesIn24h: 840,
    });
    const personId = await worker(300, '0E0E0E01');
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    await handleScan(store, gateId, { ...scan('scan-tired-001', '0E0E0E01'), at: threeHoursAgo });
    expect((await hr.get(`/people/${personId}/status`)).body.fatigue).toMatchObject({ flagged: false });
    const bad = await admin.put('/settings/fatigue-thresholds', {
      maxContinuousMinutes: 600,
      maxMinutesIn24h: 300,
    });
    expect(bad.status).toBe(400);
    expect(
      (await hr.put('/settings/fatigue-thresholds', { maxContinuousMinutes: 120, maxMinutesIn24h: 600 }))
        .status,
    ).toBe(403);
    try {
      const put = await admin.put('/settings/fatigue-thresholds', {
        maxContinuousMinutes: 120,
        maxMinutesIn24h: 600,
      });
      expect(put.status).toBe(200);
      expect((await hr.get(`/people/${personId}/status`)).body.fatigue).toMatchObject({
        flagged: true,
        reasons: ['continuous_too_long'],
      });
    } finally {
      await admin.put('/settings/fatigue-thresholds', { maxContinuousMinutes: 720, maxMinutesIn24h: 840 });
      await handleScan(store, gateId, { ...scan('scan-tired-002', '0E0E0E01'), direction: 'out' });
    }
  });

  it('drills into a person on the map: current site, last jobs’ work types, certificates, fatigue', async () => {
    const personId = await worker(300, '0E0E0E02');
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    // History: each scan handled at the time it was made.
    const tap = (id: string, direction: 'in' | 'out', h: number, workType?: string) =>
      handleScan({ ...store, clock: fixedClock(hoursAgo(h)) }, gateId, {
        ...scan(id, '0E0E0E02'),
        direction,
        at: hoursAgo(h),
        ...(workType ? { workType } : {}),
      });
    await tap('scan-job-00001', 'in', 30, 'lifting');
    await tap('scan-job-00002', 'out', 24);
    await tap('scan-job-00003', 'in', 10, 'hot_work');
    await tap('scan-job-00004', 'out', 6);
    await tap('scan-job-00005', 'in', 2, 'confined_space');
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    const res = await admin.get(`/heatmap/people/${personId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      personId,
      nameMasked: '门*',
      color: 'green',
      gateAccess: 'allowed',
      currentSite: { siteId, name: '北仑', gateId },
      fatigue: { onSite: true, siteId, continuousMinutes: 120, minutesInLast24h: 360, flagged: false },
    });
    expect(res.body.lastJobs.map((j: any) => j.workTypes)).toEqual([
      ['confined_space'],
      ['hot_work'],
      ['lifting'],
    ]);
    expect(res.body.lastJobs[1]).toMatchObject({ siteId, siteName: '北仑' });
    expect(res.body.certificates).toEqual([
      expect.objectContaining({ category: 'N1', current: true, valid: true, color: 'green' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('idNumber');
    // A bad work type is a malformed scan.
    await expect(tap('scan-job-00006', 'in', 1, 'juggling')).rejects.toThrow(InvalidScan);
    // Visibility follows the person record: a manager of another site sees nothing; auditors may look.
    const elsewhere = await api.as({
      tenantId: 'gates',
      role: 'site_manager',
      siteIds: ['site_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect((await elsewhere.get(`/heatmap/people/${personId}`)).status).toBe(404);
    const here = await api.as({ tenantId: 'gates', role: 'site_manager', siteIds: [siteId] });
    expect((await here.get(`/heatmap/people/${personId}`)).status).toBe(200); // checked in here now
    const sub = await api.as({ tenantId: 'gates', role: 'subcontractor', subcontractorId: 'acme' });
    expect((await sub.get(`/heatmap/people/${personId}`)).status).toBe(403);
    expect(
      (
        await (
          await api.as({ tenantId: 'other-group', role: 'group_admin' })
        ).get(`/heatmap/people/${personId}`)
      ).status,
    ).toBe(404);
    await tap('scan-job-00007', 'out', 0);
    expect((await admin.get(`/heatmap/people/${personId}`)).body.currentSite).toBeNull();
  });

  it('knows a shift longer than the check-ins it reads: in 50 hours ago, still there', async () => {
    const personId = await worker(300, '0E0E0E03');
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    await handleScan({ ...store, clock: fixedClock(hoursAgo(50)) }, gateId, {
      ...scan('scan-long-0001', '0E0E0E03'),
      at: hoursAgo(50),
    });
    // Another gate on the way: the shift goes on, it does not start again.
    await handleScan(store, gateId, { ...scan('scan-long-0002', '0E0E0E03'), at: hoursAgo(20) });
    const fatigue = (await hr.get(`/people/${personId}/status`)).body.fatigue;
    expect(fatigue).toMatchObject({ onSite: true, flagged: true });
    expect(fatigue.continuousMinutes).toBeGreaterThanOrEqual(50 * 60 - 1);
    expect(fatigue.reasons).toContain('continuous_too_long');
    await handleScan(store, gateId, { ...scan('scan-long-0003', '0E0E0E03'), direction: 'out' });
    expect(await getItem(`T#gates#PERSON#${personId}`, 'PRESENCE')).not.toHaveProperty('shiftStartedAt');
  });

  it('never replays another scan’s answer: a scanId is one scan at one gate, with one badge and direction', async () => {
    await worker(300, '0F0F0F01');
    await worker(-3, '0F0F0F02'); // frozen
    const allowed = await handleScan(store, gateId, scan('scan-replay-01', '0F0F0F01'));
    expect(allowed).toMatchObject({ decision: 'allow' });
    // The frozen worker's badge under the same scanId at another gate: a new scan, decided on its own.
    const otherGate = `gates:${siteId}:west-9`;
    expect(await handleScan(store, otherGate, scan('scan-replay-01', '0F0F0F02'))).toMatchObject({
      decision: 'deny',
      reason: 'person_frozen',
    });
    // ...and at the same gate: a replay, refused, never the first scan's allow.
    expect(await handleScan(store, gateId, scan('scan-replay-01', '0F0F0F02'))).toMatchObject({
      decision: 'deny',
      reason: 'scan_id_reused',
    });
    // The same scan redelivered (same badge, direction, time) still gets its first answer.
    const first = { ...scan('scan-replay-02', '0F0F0F01') };
    await handleScan(store, gateId, first);
    expect(await handleScan(store, gateId, first)).toMatchObject({ decision: 'allow', duplicate: true });
    expect(await handleScan(store, gateId, { ...first, direction: 'out' })).toMatchObject({
      reason: 'scan_id_reused',
    });
  });

  it('orders presence by the scan’s time, not its arrival, and refuses times no gate could send', async () => {
    const personId = await worker(300, '0F0F0F03');
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    await handleScan(store, gateId, { ...scan('scan-order-001', '0F0F0F03'), at: minutesAgo(10) });
    // An "out" from before that "in", delivered late (an offline gate catching up).
    await handleScan(store, gateId, {
      ...scan('scan-order-002', '0F0F0F03'),
      direction: 'out',
      at: minutesAgo(60),
    });
    expect(await getItem(`T#gates#PERSON#${personId}`, 'PRESENCE')).toMatchObject({ direction: 'in' });
    const future = await handleScan(store, gateId, {
      ...scan('scan-order-003', '0F0F0F03'),
      at: '2099-01-01T00:00:00Z',
    });
    expect(future).toMatchObject({ decision: 'deny', reason: 'scan_time_invalid' });
    const ancient = await handleScan(store, gateId, {
      ...scan('scan-order-004', '0F0F0F03'),
      direction: 'out',
      at: minutesAgo(25 * 60),
    });
    expect(ancient).toMatchObject({ decision: 'deny', reason: 'scan_time_invalid' });
    expect(await getItem(`T#gates#SCAN#${siteId}:east-1#scan-order-003`, 'SCAN')).toBeUndefined();
    expect(await getItem(`T#gates#PERSON#${personId}`, 'PRESENCE')).toMatchObject({ direction: 'in' });
    // A later "out" does take them off site.
    await handleScan(store, gateId, { ...scan('scan-order-005', '0F0F0F03'), direction: 'out' });
    expect(await getItem(`T#gates#PERSON#${personId}`, 'PRESENCE')).toMatchObject({ direction: 'out' });
  });

  it('tells both sites’ managers when one person checks in 50+ km apart within 24 h, after the decision and without adding to its reads', async () => {
    const admin = await api.as({ tenantId: 'gates', role: 'group_admin' });
    const far = (
      await admin.post('/sites', { name: '北京', code: 'BJ', location: { lat: 39.9, lng: 116.4 } })
    ).body.siteId as string;
    const near = (
      await admin.post('/sites', { name: '北仑二', code: 'BL2', location: { lat: 29.91, lng: 121.81 } })
    ).body.siteId as string;
    const inboxOf = async (site: string) =>
      (await (await api.as({ tenantId: 'gates', role: 'site_manager', siteIds: [site] })).get('/me/inbox'))
        .body.items as {
        kind: string;
        personId: string;
        title: string;
        body: string;
        travel?: Record<string, unknown>;
      }[];
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3600_000).toISOString();
    const scanAt = (scanId: string, badgeUid: string, hoursAgo: number) => ({
      ...scan(scanId, badgeUid),
      at: at(hoursAgo),
    });

    const traveller = await worker(300, '0BB00001');
    expect((await handleScan(store, gateId, scanAt('trav-a-000001', '0BB00001', 3))).travel).toBeUndefined();
    Object.assign(meter, { calls: 0, items: 0 });
    const inBeijing = await handleScan(store, `gates:${far}:main`, scanAt('trav-b-000001', '0BB00001', 0));
    expect(inBeijing).toMatchObject({ decision: 'allow' });
    expect(meter.calls).toBe(2); // the decision's two reads, nothing more
    expect(inBeijing.travel?.candidates.map((c) => c.siteId)).toEqual([siteId]);
    // The operator's kill switch (docs/operations.md): no alert while it is on.
    process.env.KILL_SWITCHES = 'travel-alert';
    expect(await raiseTravelAlerts(store, inBeijing.travel as TravelCheck)).toEqual([]);
    expect((await inboxOf(far)).filter((m) => m.kind === 'travel_alert' && m.personId === traveller)).toEqual(
      [],
    );
    delete process.env.KILL_SWITCHES;
    const breaches = await raiseTravelAlerts(store, inBeijing.travel as TravelCheck);
    expect(breaches).toMatchObject([{ fromSiteId: siteId, toSiteId: far, hours: 3 }]);
    expect(breaches[0]?.km).toBeGreaterThan(1000);
    for (const site of [siteId, far]) {
      const alerts = (await inboxOf(site)).filter(
        (m) => m.kind === 'travel_alert' && m.personId === traveller,
      );
      expect(alerts, site).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        title: '异地打卡预警：门*',
        travel: { fromSiteId: siteId, toSiteId: far },
      });
      expect(alerts[0]?.body).toContain(`${breaches[0]?.km} 公里`);
    }
    // A redelivered scan raises nothing again.
    expect(
      (await handleScan(store, `gates:${far}:main`, scanAt('trav-b-000001', '0BB00001', 0))).travel,
    ).toBeUndefined();

    // Next door within the hour: a candidate, but no breach and no notice.
    const neighbour = await worker(300, '0BB00002');
    await handleScan(store, gateId, scanAt('trav-a-000002', '0BB00002', 1));
    const nextDoor = await handleScan(store, `gates:${near}:main`, scanAt('trav-n-000002', '0BB00002', 0));
    expect(nextDoor.travel?.candidates).toHaveLength(1);
    expect(await raiseTravelAlerts(store, nextDoor.travel as TravelCheck)).toEqual([]);
    expect((await inboxOf(near)).filter((m) => m.personId === neighbour)).toEqual([]);

    // The tenant's own window: with 1 h, Beijing two hours before Beilun is no breach.
    const policy = (await admin.get('/settings/dispatch-policy')).body;
    expect((await admin.put('/settings/dispatch-policy', { ...policy, distanceHours: 1 })).status).toBe(200);
    try {
      const commuter = await worker(300, '0BB00003');
      await handleScan(store, `gates:${far}:main`, scanAt('trav-b-000003', '0BB00003', 2));
      const back = await handleScan(store, gateId, scanAt('trav-a-000003', '0BB00003', 0));
      expect(back.travel?.candidates.map((c) => c.siteId)).toEqual([far]);
      expect(await raiseTravelAlerts(store, back.travel as TravelCheck)).toEqual([]);
      expect((await inboxOf(far)).filter((m) => m.personId === commuter)).toEqual([]);
    } finally {
      await admin.put('/settings/dispatch-policy', policy);
    }
  });

  it('refuses malformed scans and gate ids', async () => {
    await expect(handleScan(store, 'not-a-gate', scan('scan-bad-00001', '04A1B2C3D4'))).rejects.toThrow(
      InvalidScan,
    );
    await expect(handleScan(store, gateId, { scanId: 'x' })).rejects.toThrow(InvalidScan);
  });

  it('keeps badges of another tenant out of reach (404) and refuses auditors (403)', async () => {
    const personId = await worker(300, '04A1B2C3D9');
    const other = await api.as({ tenantId: 'elsewhere', role: 'hr' });
    expect((await other.post(`/people/${personId}/badges`, { badgeUid: '0A0B0C0D' })).status).toBe(404);
    const auditor = await api.as({ tenantId: 'gates', role: 'auditor' });
    expect((await auditor.post(`/people/${personId}/badges`, { badgeUid: '0A0B0C0D' })).status).toBe(403);
  });
});
