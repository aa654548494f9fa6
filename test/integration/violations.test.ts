// Violation points over the API (E1): a manager records violations; at the threshold the
// person is suspended for training — refused at the gate with `suspended` and in the offline
// list — until hr records the courses and a manager reinstates them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clock,
  scanStore,
  siteInductions,
  travelAlertStore,
  violationProposals,
} from '../../functions/composition-root.ts';
import { handleScan, type ScanDeps } from '../../functions/gates/scans.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

const TENANT = 'points';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let manager: ApiClient;
let siteId: string;
let scans: ScanDeps;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '石化', code: 'SH', location: { lat: 30.7, lng: 121.3 } }))
    .body.siteId;
  manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
  scans = {
    scans: scanStore(),
    inductions: siteInductions(),
    travel: travelAlertStore(),
    clock: clock(),
    refusedAtWork: violationProposals(),
  };
});
afterAll(() => api.close());

let n = 0;
const scanIn = (badgeUid: string, workType?: string) =>
  handleScan(scans, `${TENANT}:${siteId}:main`, {
    scanId: `scan-points-${String(++n).padStart(6, '0')}`,
    badgeUid,
    direction: 'in',
    at: new Date().toISOString(),
    ...(workType ? { workType } : {}),
  });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('violation points and suspension for training', () => {
  it('suspends at the threshold, refuses them at the gate as suspended, and reinstates after the courses', async () => {
    const personId = (await hr.post('/people', { name: '违章', idNumber: newIdNumber(), homeSiteId: siteId }))
      .body.personId as string;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
    const badgeUid = '0E00000001';
    expect((await hr.post(`/people/${personId}/badges`, { badgeUid })).status).toBe(201);
    expect((await scanIn(badgeUid)).decision).toBe('allow');

    const body = {
      personId,
      type: 'outside_scope',
      occurredAt: hoursAgo(2),
      siteId,
      note: '叉车证操作起重机',
    };
    expect((await hr.post('/violations', body)).status).toBe(403);
    const first = await manager.post('/violations', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'confirmed', points: 6, type: 'outside_scope' });
    expect((await manager.get(`/violations/${first.body.violationId}`)).status).toBe(200);
    expect((await scanIn(badgeUid)).decision).toBe('allow');
    expect((await manager.post('/violations', { ...body, occurredAt: hoursAgo(1) })).status).toBe(201);

    const listed = (await hr.get(`/people/${personId}/violations`)).body;
    expect(listed).toMatchObject({ pointsInForce: 12, threshold: 12, windowMonths: 12 });
    expect(listed.items).toHaveLength(2);
    expect(await scanIn(badgeUid)).toMatchObject({ decision: 'deny', reason: 'suspended' });
    const person = (await hr.get(`/people/${personId}`)).body;
    expect(person).toMatchObject({ color: 'red', gateAccess: 'frozen', dispatch: 'frozen' });
    const courses = (await hr.get(`/people/${personId}/courses`)).body;
    expect(courses).toMatchObject({
      suspended: true,
      items: [{ courseId: 'safety_refresher' }, { courseId: 'certificate_scope' }],
    });

    // Their badge tried at a hot-work gate: proposed, not counted until a manager decides.
    expect(await scanIn(badgeUid, 'hot_work')).toMatchObject({ decision: 'deny', reason: 'suspended' });
    const proposed = (await hr.get(`/people/${personId}/violations`)).body;
    const proposal = proposed.items.find((v: { status: string }) => v.status === 'proposed');
    expect(proposal).toMatchObject({ type: 'frozen_badge_used', source: 'gate', siteId });
    expect(proposed.pointsInForce).toBe(12);
    const dismissed = await manager.post(`/violations/${proposal.violationId}/dismissal`, {
      note: '已停工，未作业',
    });
    expect(dismissed.body.status).toBe('dismissed');
    expect((await manager.post(`/violations/${proposal.violationId}/confirmation`, {})).status).toBe(409);

    const reinstatement = `/people/${personId}/reinstatement`;
    expect((await manager.post(reinstatement, { note: '未培训' })).status).toBe(422);
    for (const course of ['safety_refresher', 'certificate_scope'])
      expect(
        (await hr.post(`/people/${personId}/courses/${course}/completion`, { note: '已完成' })).status,
      ).toBe(200);
    expect((await hr.post(reinstatement, { note: '培训完成' })).status).toBe(403);
    const back = await manager.post(reinstatement, { note: '培训完成，准予复工' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ personId, gateAccess: 'allowed' });
    expect((await scanIn(badgeUid)).decision).toBe('allow');
    const trail = await admin.get(`/audit?entityId=${personId}&limit=50`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining([
        'violation.record',
        'person.suspend',
        'person.course_completed',
        'person.reinstate',
      ]),
    );
  });

  it('proposes, for a manager to decide, a ticket refused for work outside a person’s certificates', async () => {
    const person = async (name: string) => {
      const id = (await hr.post('/people', { name, idNumber: newIdNumber(), homeSiteId: siteId })).body
        .personId as string;
      await hr.post(`/people/${id}/certificates`, samrCertificate(300)); // a forklift card: no hot work
      return id;
    };
    const [welder, leader] = [await person('叉车工'), await person('班长')];
    const draft = {
      siteId,
      type: 'hot_work',
      grade: '2',
      location: '2号罐区',
      plannedFrom: new Date(Date.now() + 600_000).toISOString(),
      plannedTo: new Date(Date.now() + 4 * 3_600_000).toISOString(),
      workers: [{ personId: welder, role: 'welder' }],
      leaderId: leader,
      approverIds: [leader],
    };
    const refused = await admin.post('/work-tickets', draft);
    expect(refused.status).toBe(422);
    expect(refused.body.violations).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'certificate_missing', personId: welder })]),
    );
    // The planner tries again: still the one proposal.
    expect((await admin.post('/work-tickets', draft)).status).toBe(422);
    const listed = (await hr.get(`/people/${welder}/violations`)).body;
    expect(listed.items).toEqual([
      expect.objectContaining({ type: 'outside_scope', status: 'proposed', source: 'dispatch', siteId }),
    ]);
    expect(listed.pointsInForce).toBe(0);
  });

  it('keeps the tenant’s own points table, and other tenants out', async () => {
    const policy = (await admin.get('/settings/violation-points')).body;
    expect(policy).toMatchObject({ threshold: 12, windowMonths: 12 });
    const stricter = { ...policy, threshold: 6 };
    expect((await admin.put('/settings/violation-points', stricter)).status).toBe(200);
    expect((await hr.put('/settings/violation-points', stricter)).status).toBe(403);
    const personId = (await hr.post('/people', { name: '严格', idNumber: newIdNumber(), homeSiteId: siteId }))
      .body.personId as string;
    const v = await admin.post('/violations', {
      personId,
      type: 'no_permit',
      occurredAt: hoursAgo(1),
      siteId,
    });
    expect(v.status).toBe(201);
    expect((await hr.get(`/people/${personId}/courses`)).body.suspended).toBe(true);
    const other = await api.as({ tenantId: `${TENANT}-x`, role: 'group_admin' });
    expect((await other.get(`/violations/${v.body.violationId}`)).status).toBe(404);
    expect((await other.get(`/people/${personId}/violations`)).status).toBe(404);
    await admin.put('/settings/violation-points', policy);
  });
});
