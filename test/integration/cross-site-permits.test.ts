// Cross-site permits (X4) on the emulator: the real ASL definition runs on Step Functions,
// signature requests travel over the work queue with their task tokens, and the tests
// read the execution history.
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import { requestPermit } from '../../functions/permits/cross-site-permits.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate, yearsFromToday } from '../support/fixtures.ts';

let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let homeSite: string;
let awaySite: string;
let homeManager: ApiClient;
let awayManager: ApiClient;
let poller: WorkPoller;
const sfn = new SFNClient({});
const TENANT = 'permit-group';

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  homeSite = (await admin.post('/sites', { name: '宁波', code: 'NB', location: { lat: 29.87, lng: 121.55 } }))
    .body.siteId;
  awaySite = (await admin.post('/sites', { name: '舟山', code: 'ZS', location: { lat: 29.99, lng: 122.2 } }))
    .body.siteId;
  homeManager = await api.as({
    tenantId: TENANT,
    role: 'site_manager',
    siteIds: [homeSite],
    subject: 'mgr-home',
  });
  awayManager = await api.as({
    tenantId: TENANT,
    role: 'site_manager',
    siteIds: [awaySite],
    subject: 'mgr-away',
  });
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
});
afterAll(async () => {
  await poller.stop();
  await api.close();
});

async function traveller(name: string) {
  const idNumber = newIdNumber();
  const personId = (await hr.post('/people', { name, idNumber, homeSiteId: homeSite })).body
    .personId as string;
  await hr.post(`/people/${personId}/certificates`, samrCertificate(400));
  return { personId, idNumber };
}

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const permitBody = (personId: string, fromH = 1, toH = 9) => ({
  personId,
  fromSiteId: homeSite,
  toSiteId: awaySite,
  from: hoursFromNow(fromH),
  to: hoursFromNow(toH),
  reason: '检修支援',
});

/** Waits until the permit satisfies the check (the workflow and the queue run on their own). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const permitOf = (id: string) => admin.get(`/permits/${id}`).then((r) => r.body);
const executionArn = (permitId: string) =>
  `${(process.env.PERMIT_STATE_MACHINE_ARN as string).replace(':stateMachine:', ':execution:')}:${permitId}`;
async function history(permitId: string): Promise<HistoryEvent[]> {
  return (
    (
      await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: executionArn(permitId), maxResults: 1000 }),
      )
    ).events ?? []
  );
}
const types = (events: HistoryEvent[]) => events.map((e) => e.type);

/** Both signature requests reached the managers' inboxes (tokens kept on the permit). */
async function requestsDelivered(permitId: string) {
  for (const [manager, siteId] of [
    [homeManager, homeSite],
    [awayManager, awaySite],
  ] as const) {
    const inbox = await eventually(
      () =>
        manager
          .get('/me/inbox')
          .then((r) => r.body.items as { kind: string; permit?: { permitId: string } }[]),
      (items) => items.some((m) => m.kind === 'permit_signature_request' && m.permit?.permitId === permitId),
    );
    expect(
      inbox.some((m) => m.permit?.permitId === permitId),
      `signature request for ${siteId}`,
    ).toBe(true);
  }
}

describe('cross-site permits co-signed on Step Functions (X4)', () => {
  it('lets a visitor through dispatch once both sites’ managers approved, and records each signature', async () => {
    const { personId, idNumber } = await traveller('支援甲');
    await hr.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number: `T${idNumber}`,
      issuedOn: daysFromToday(-20),
      expiresOn: yearsFromToday(6, -21),
    });
    const body = permitBody(personId, -1, 9);
    const created = await hr.post('/permits/cross-site', body);
    expect(created.status).toBe(201);
    const id = created.body.permitId as string;
    expect(created.body).toMatchObject({
      status: 'pending',
      personId,
      fromSiteId: homeSite,
      toSiteId: awaySite,
    });
    expect(created.body).not.toHaveProperty('tokens');
    // A retried request is the same permit and the same execution.
    const again = await hr.post('/permits/cross-site', body);
    expect(again.status).toBe(200);
    expect(again.body.permitId).toBe(id);

    await requestsDelivered(id);
    expect(
      (await homeManager.post(`/permits/${id}/approvals`, { decision: 'approve', comment: '同意' })).status,
    ).toBe(200);
    // The same signature again is idempotent; a change of mind is not.
    expect((await homeManager.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(200);
    expect((await homeManager.post(`/permits/${id}/approvals`, { decision: 'reject' })).status).toBe(409);
    expect((await hr.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(403);
    const stranger = await api.as({
      tenantId: TENANT,
      role: 'site_manager',
      siteIds: ['site_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect((await stranger.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(404);
    expect((await stranger.get(`/permits/${id}`)).status).toBe(404);
    expect((await awayManager.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(200);

    // The permit turns approved a moment before its execution reports SUCCEEDED: wait for both.
    const done = await eventually(
      () => permitOf(id),
      (p) => p.status === 'approved' && p.workflow === 'SUCCEEDED',
    );
    expect(done).toMatchObject({
      status: 'approved',
      workflow: 'SUCCEEDED',
      signatures: {
        from: { decision: 'approve', by: 'mgr-home', comment: '同意' },
        to: { decision: 'approve', by: 'mgr-away' },
      },
    });
    const events = await history(id);
    const signed = events.filter(
      (e) =>
        e.type === 'TaskSucceeded' &&
        e.taskSucceededEventDetails?.resource === 'sendMessage.waitForTaskToken',
    );
    expect(signed).toHaveLength(2);
    expect(types(events)).toContain('ExecutionSucceeded');
    expect(
      events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name),
    ).toEqual(expect.arrayContaining(['Approved', 'Person may cross']));
    const executions = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: process.env.PERMIT_STATE_MACHINE_ARN as string }),
    );
    expect(executions.executions?.filter((e) => e.name === id)).toHaveLength(1);
    // A decision on a finished permit is refused.
    expect((await awayManager.post(`/permits/${id}/approvals`, { decision: 'reject' })).status).toBe(409);

    // Dispatch now lets the visitor work at the away site within the permit's window.
    const approver = (
      await hr.post('/people', { name: '审批', idNumber: newIdNumber(), homeSiteId: awaySite })
    ).body.personId;
    await hr.post(`/people/${approver}/certificates`, samrCertificate(400));
    const locals = [];
    for (const n of ['队长', '监护'])
      locals.push(
        (await hr.post('/people', { name: n, idNumber: newIdNumber(), homeSiteId: awaySite })).body.personId,
      );
    for (const p of locals) await hr.post(`/people/${p}/certificates`, samrCertificate(400));
    const ticket = {
      siteId: awaySite,
      type: 'hot_work',
      grade: '1',
      location: '码头',
      plannedFrom: hoursFromNow(1),
      plannedTo: hoursFromNow(5),
      workers: [{ personId, role: 'welder' }],
      leaderId: locals[0],
      guardianId: locals[1],
      approverIds: [approver],
    };
    expect((await admin.post('/work-tickets', ticket)).status).toBe(201);
    // Outside the permit's window it is refused.
    const late = await admin.post('/work-tickets', {
      ...ticket,
      plannedFrom: hoursFromNow(8),
      plannedTo: hoursFromNow(12),
    });
    expect(late.body.violations.map((v: { code: string }) => v.code)).toContain('cross_site_permit_required');
  });

  it('stops at one rejection: the permit is rejected and the visitor stays refused', async () => {
    const { personId } = await traveller('支援乙');
    const id = (await hr.post('/permits/cross-site', permitBody(personId))).body.permitId as string;
    await requestsDelivered(id);
    expect(
      (await awayManager.post(`/permits/${id}/approvals`, { decision: 'reject', comment: '人手已够' }))
        .status,
    ).toBe(200);
    const done = await eventually(
      () => permitOf(id),
      (p) => p.status === 'rejected',
    );
    expect(done).toMatchObject({ status: 'rejected', signatures: { to: { decision: 'reject' } } });
    const events = await history(id);
    expect(types(events)).toContain('TaskFailed');
    expect(events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails?.error).toBe('PermitRejected');
    expect(
      events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name),
    ).toContain('Rejected');
    expect((await homeManager.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(409);
  });

  it('accepts a signature that arrives before the workflow asked for it', async () => {
    const { personId } = await traveller('支援丙');
    await poller.stop(); // the requests wait in the queue
    const id = (await hr.post('/permits/cross-site', permitBody(personId, 2, 6))).body.permitId as string;
    expect((await homeManager.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(200);
    expect((await awayManager.post(`/permits/${id}/approvals`, { decision: 'approve' })).status).toBe(200);
    poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    expect(
      (
        await eventually(
          () => permitOf(id),
          (p) => p.status === 'approved',
        )
      ).status,
    ).toBe('approved');
  });

  it('lets a permit lapse when nobody signs within the tenant’s window', async () => {
    const { personId } = await traveller('支援丁');
    const principal = { subject: 'hr-1', tenantId: TENANT, role: 'hr' as const, siteIds: [] };
    const root = allAdapters();
    const deps = {
      permits: root.permits,
      workflow: root.permitWorkflow,
      people: root.people,
      sites: root.sites,
      clock: root.clock,
      // Two seconds instead of 48 hours (the setting is in hours; this stands in for a tenant's).
      signingWindowHours: async () => 2 / 3600,
    };
    const { permit } = await requestPermit(deps, principal, permitBody(personId, 3, 7), 'req-timeout');
    expect(permit.timeoutSeconds).toBe(2);
    const done = await eventually(
      () => permitOf(permit.permitId),
      (p) => p.status === 'expired',
      20_000,
    );
    expect(done.status).toBe('expired');
    const events = await history(permit.permitId);
    expect(types(events)).toContain('TaskTimedOut');
    expect(
      events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name),
    ).toContain('Expired');
  });

  it('refuses what is not a cross-site permit request', async () => {
    const { personId } = await traveller('支援戊');
    expect(
      (await hr.post('/permits/cross-site', { ...permitBody(personId), toSiteId: homeSite })).status,
    ).toBe(400);
    expect(
      (
        await hr.post('/permits/cross-site', {
          ...permitBody(personId),
          from: hoursFromNow(5),
          to: hoursFromNow(1),
        })
      ).status,
    ).toBe(400);
    const wrongHome = await hr.post('/permits/cross-site', {
      ...permitBody(personId),
      fromSiteId: awaySite,
      toSiteId: homeSite,
    });
    expect(wrongHome.status).toBe(422);
    expect(wrongHome.body.violations[0].code).toBe('not_home_site');
    const auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
    expect((await auditor.post('/permits/cross-site', permitBody(personId))).status).toBe(403);
    const other = await api.as({ tenantId: 'other-group', role: 'group_admin' });
    expect((await other.post('/permits/cross-site', permitBody(personId))).status).toBe(404);
  });
});
