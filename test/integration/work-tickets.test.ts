// Work tickets (X4) over the local API against the emulator: every broken rule listed, the
// lifecycle from draft to closed, suspension when someone turns red, scope and roles.
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import { handleScan } from '../../functions/gates/scans.ts';
import { jobsAdapters, jobsHandler } from '../../functions/jobs/handler.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { fireDueOneTimeSchedules } from '../../infra/local/scheduler.ts';
import { type ApiClient, auditTrail, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate, today, yearsFromToday } from '../support/fixtures.ts';
import { decodeEveryWay } from '../support/qr-decode.ts';

let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteId: string;
let farSiteId: string;
const TENANT = 'ticket-group';

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '镇海', code: 'ZH', location: { lat: 29.95, lng: 121.7 } }))
    .body.siteId;
  // Shanghai Jinshan, ~110 km from Zhenhai.
  farSiteId = (
    await admin.post('/sites', { name: '金山', code: 'JS', location: { lat: 30.72, lng: 121.34 } })
  ).body.siteId;
});
afterAll(() => api.close());

async function person(name: string, homeSiteId = siteId) {
  const idNumber = newIdNumber();
  const personId = (await hr.post('/people', { name, idNumber, homeSiteId })).body.personId as string;
  // Every person holds some certificate in force, or they would be red (frozen).
  await hr.post(`/people/${personId}/certificates`, samrCertificate(400));
  return { personId, idNumber };
}

async function welder(name: string, issuedDaysAgo = 30) {
  const p = await person(name);
  const res = await hr.post(`/people/${p.personId}/certificates`, {
    scheme: 'MEM',
    category: 'welding',
    number: `T${p.idNumber}`,
    issuedOn: daysFromToday(-issuedDaysAgo),
    expiresOn: yearsFromToday(6, -issuedDaysAgo - 1),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return p.personId;
}

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

function hotWork(workers: string[], leaderId: string, guardianId: string | undefined, approverIds: string[]) {
  return {
    siteId,
    type: 'hot_work',
    grade: '1',
    location: '3号罐区',
    plannedFrom: inMinutes(-5),
    plannedTo: inMinutes(240),
    workers: workers.map((personId) => ({ personId, role: 'welder' })),
    leaderId,
    ...(guardianId ? { guardianId } : {}),
    approverIds,
  };
}

describe('work tickets (X4)', () => {
  let leader: string;
  let guardian: string;
  let approver: string;
  let approver2: string;

  beforeAll(async () => {
    leader = (await person('队长')).personId;
    guardian = (await person('监护')).personId;
    approver = (await person('审批甲')).personId;
    approver2 = (await person('审批乙')).personId;
  });

  it('refuses a ticket with every broken rule listed, then accepts it fixed', async () => {
    const welderOk = await welder('焊工甲');
    const unqualified = (await person('无证')).personId;
    const draft = {
      ...hotWork([welderOk, unqualified], leader, welderOk, [approver]),
      plannedTo: inMinutes(10 * 60), // grade 1: at most 8 h
    };
    const refused = await admin.post('/work-tickets', draft, { 'accept-language': 'en' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('dispatch_rules_broken');
    const codes = refused.body.violations.map((v: { code: string; personId?: string }) => [
      v.code,
      v.personId,
    ]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['window_too_long', undefined],
        ['certificate_missing', unqualified],
        ['guardian_is_worker', welderOk],
      ]),
    );
    expect(refused.body.violations).toHaveLength(3);
    expect(refused.body.violations[0].message).toMatch(/limit of 8 h/);
    // Nothing was written: the people hold no open ticket.
    expect(await getItem(`T#${TENANT}#PERSON#${welderOk}`, 'GATE')).not.toHaveProperty('openTickets');

    const ok = await admin.post('/work-tickets', hotWork([welderOk], leader, guardian, [approver]));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'draft', siteId, type: 'hot_work', approvals: [] });
    expect(ok.body).not.toHaveProperty('createdBy');
    expect(ok.body.ticketId).toMatch(/^tkt_/);
    // Cancelled so the guardian is free for the next tests.
    expect(
      (await admin.post(`/work-tickets/${ok.body.ticketId}/cancel`, { reason: 'test' })).body.status,
    ).toBe('cancelled');
  });

  it('refuses a role the type does not list, naming the type’s roles (it once switched the certificate rule off)', async () => {
    const electrician = (await person('电工')).personId;
    for (const role of ['hot_worker', 'welders', 'electrician']) {
      const body = {
        ...hotWork([electrician], leader, guardian, [approver]),
        workers: [{ personId: electrician, role }],
      };
      const refused = await admin.post('/work-tickets', body, { 'accept-language': 'en' });
      expect(refused.status, role).toBe(400);
      expect(refused.body.errors).toEqual([
        {
          field: 'workers.0.role',
          code: 'role_not_in_type',
          message: 'Type hot_work has no such role; one of: welder, cutter, fire_watcher.',
        },
      ]);
    }
    // As a welder they lack the card; as the fire watcher they need none.
    const asWelder = { ...hotWork([electrician], leader, guardian, [approver]) };
    expect((await admin.post('/work-tickets', asWelder)).body.violations).toEqual([
      expect.objectContaining({ code: 'certificate_missing', personId: electrician }),
    ]);
    const watcher = await admin.post('/work-tickets', {
      ...asWelder,
      workers: [{ personId: electrician, role: 'fire_watcher' }],
    });
    expect(watcher.status).toBe(201);
    await admin.post(`/work-tickets/${watcher.body.ticketId}/cancel`, { reason: 'test' });
  });

  it('takes a 72 h grade-2 permit for a permit, not a shift; planned shifts meet the fatigue limits', async () => {
    const w = await welder('焊工七二');
    const long = {
      ...hotWork([w], leader, guardian, [approver]),
      grade: '2',
      plannedTo: inMinutes(72 * 60 - 10),
    };
    const tooLongShift = await admin.post(
      '/work-tickets',
      { ...long, shifts: [{ from: inMinutes(0), to: inMinutes(13 * 60) }] },
      { 'accept-language': 'en' },
    );
    expect(tooLongShift.status).toBe(422);
    expect(tooLongShift.body.violations).toEqual([
      {
        code: 'fatigue_limit',
        detail: { shift: 1, minutes: 780, max: 720 },
        message: 'Planned shift 1 of 780 min is over the fatigue limit of 720 min.',
      },
    ]);
    const shifts = [0, 24, 48].map((h) => ({ from: inMinutes(h * 60), to: inMinutes(h * 60 + 600) }));
    const created = await admin.post('/work-tickets', { ...long, shifts });
    expect(created.status).toBe(201);
    expect(created.body.shifts).toEqual(shifts);
    expect((await admin.get(`/work-tickets/${created.body.ticketId}`)).body.shifts).toEqual(shifts);
    await admin.post(`/work-tickets/${created.body.ticketId}/cancel`, { reason: 'test' });
    const noShifts = await admin.post('/work-tickets', long);
    expect(noShifts.status).toBe(201);
    await admin.post(`/work-tickets/${noShifts.body.ticketId}/cancel`, { reason: 'test' });
  });

  it('keeps roles and sites apart, and other tenants out', async () => {
    const w = await welder('焊工乙');
    const body = hotWork([w], leader, guardian, [approver]);
    expect((await hr.post('/work-tickets', body)).status).toBe(403);
    const elsewhere = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [farSiteId] });
    expect((await elsewhere.post('/work-tickets', body)).status).toBe(404);
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    const created = await manager.post('/work-tickets', body);
    expect(created.status).toBe(201);
    const id = created.body.ticketId as string;
    expect((await elsewhere.get(`/work-tickets/${id}`)).status).toBe(404);
    const stranger = await api.as({ tenantId: 'another-group', role: 'group_admin' });
    expect((await stranger.get(`/work-tickets/${id}`)).status).toBe(404);
    expect((await stranger.post(`/work-tickets/${id}/cancel`, {})).status).toBe(404);
    // Another tenant's people do not exist here.
    expect((await stranger.post('/work-tickets', body)).status).toBe(404); // the site is not theirs
    expect((await manager.post(`/work-tickets/${id}/cancel`, {})).body.status).toBe('cancelled');
  });

  it('goes from draft through signatures and a gas analysis to active and closed', async () => {
    const w = await welder('焊工丙');
    // The welder is on site (checked in, no work type declared at the gate).
    await hr.post(`/people/${w}/badges`, { badgeUid: '7B7B7B01' });
    await asFunction('gates', () =>
      handleScan(allAdapters(), `${TENANT}:${siteId}:main`, {
        scanId: 'lifecycle-scan-in-1',
        badgeUid: '7B7B7B01',
        direction: 'in',
        at: inMinutes(-3),
      }),
    );
    const created = await admin.post('/work-tickets', hotWork([w], leader, guardian, [approver, approver2]));
    expect(created.status).toBe(201);
    const id = created.body.ticketId as string;

    // Only the named approvers sign, each once; the last signature approves.
    const notApprover = await api.as({
      tenantId: TENANT,
      role: 'site_manager',
      siteIds: [siteId],
      personId: leader,
    });
    expect((await notApprover.post(`/work-tickets/${id}/approvals`, {})).status).toBe(403);
    const a1 = await api.as({
      tenantId: TENANT,
      role: 'site_manager',
      siteIds: [siteId],
      personId: approver,
    });
    const a2 = await api.as({ tenantId: TENANT, role: 'group_admin', personId: approver2 });
    expect((await a1.post(`/work-tickets/${id}/approvals`, { comment: '同意' })).body.status).toBe('draft');
    const again = await a1.post(`/work-tickets/${id}/approvals`, {});
    expect(again.body.approvals).toHaveLength(1);
    expect((await admin.post(`/work-tickets/${id}/activate`, {})).status).toBe(409); // not approved yet
    expect((await a2.post(`/work-tickets/${id}/approvals`, {})).body.status).toBe('approved');

    // Hot work needs a passing gas analysis taken within 30 minutes.
    const noGas = await admin.post(`/work-tickets/${id}/activate`, {});
    expect(noGas.status).toBe(422);
    expect(noGas.body.violations).toEqual([expect.objectContaining({ code: 'gas_analysis_required' })]);
    const failing = await admin.post(`/work-tickets/${id}/gas-analyses`, {
      takenAt: inMinutes(-2),
      analystId: leader,
      readings: { oxygenPct: 18.5, flammable: { volumePct: 0.6, lowerExplosiveLimitPct: 5 } },
    });
    expect(failing.body.gasAnalyses[0]).toMatchObject({
      pass: false,
      failures: ['oxygen_out_of_range', 'flammable_over_limit'],
    });
    expect((await admin.post(`/work-tickets/${id}/activate`, {})).status).toBe(422);
    const stale = await admin.post(`/work-tickets/${id}/gas-analyses`, {
      takenAt: inMinutes(-45),
      analystId: leader,
      readings: { oxygenPct: 20.8, flammable: { volumePct: 0.1, lowerExplosiveLimitPct: 5 } },
    });
    expect(stale.body.gasAnalyses[1].pass).toBe(true);
    expect((await admin.post(`/work-tickets/${id}/activate`, {})).status).toBe(422); // too old
    await admin.post(`/work-tickets/${id}/gas-analyses`, {
      takenAt: inMinutes(-1),
      analystId: leader,
      readings: { oxygenPct: 20.8, flammable: { volumePct: 0.1, lowerExplosiveLimitPct: 5 } },
    });
    const active = await admin.post(`/work-tickets/${id}/activate`, {});
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: 'active' });

    const board = (await admin.get(`/work-tickets?siteId=${siteId}`)).body.items;
    expect(board.map((t: { ticketId: string }) => t.ticketId)).toContain(id);

    const closed = await admin.post(`/work-tickets/${id}/close`, { reason: '完工' });
    expect(closed.body).toMatchObject({ status: 'closed', endReason: '完工' });
    expect((await admin.post(`/work-tickets/${id}/close`, {})).status).toBe(409);
    expect(
      (await admin.get(`/work-tickets?siteId=${siteId}`)).body.items.map(
        (t: { ticketId: string }) => t.ticketId,
      ),
    ).not.toContain(id);
    // The people are free again and the work is in their history.
    expect(await getItem(`T#${TENANT}#PERSON#${guardian}`, `TICKET#${id}`)).toHaveProperty('ended');
    const history = await getItem(`T#${TENANT}#PERSON#${w}`, 'WORKHISTORY');
    expect(history?.lastTicket_hot_work).toBeTruthy();
    // The heat map's drill-down takes the shift's work type from the closed ticket.
    const drill = await admin.get(`/heatmap/people/${w}`);
    expect(drill.body.lastJobs[0]).toMatchObject({
      siteId,
      workTypes: ['hot_work'],
      workTypesFrom: 'tickets',
      ticketIds: [id],
    });
  });

  it('suspends an open ticket the moment someone on it turns red, and tells the leader', async () => {
    const w = await welder('焊工丁');
    const id = (await admin.post('/work-tickets', hotWork([w], leader, guardian, [approver]))).body.ticketId;
    // An expired certificate entered for the welder turns them red.
    const expired = await hr.post(
      `/people/${w}/certificates`,
      samrCertificate(-3, { category: 'Q2', number: 'TS-Q2-expired1' }),
    );
    expect(expired.status).toBe(201);
    expect((await hr.get(`/people/${w}/status`)).body.color).toBe('red');
    const ticket = (await admin.get(`/work-tickets/${id}`)).body;
    expect(ticket).toMatchObject({ status: 'suspended', suspension: { personId: w } });
    expect(ticket.suspension.reasons).toContain('expired');
    const self = await api.as({
      tenantId: TENANT,
      role: 'auditor',
      personId: leader,
      subject: 'leader-self',
    });
    const notices = (await self.get('/me/inbox')).body.items.filter(
      (m: { kind: string }) => m.kind === 'ticket_suspended',
    );
    expect(notices.map((m: { ticket: { ticketId: string } }) => m.ticket.ticketId)).toContain(id);
    // Suspended work cannot start; it can only be closed or cancelled.
    expect((await admin.post(`/work-tickets/${id}/activate`, {})).status).toBe(409);
    expect((await admin.post(`/work-tickets/${id}/cancel`, {})).body.status).toBe('cancelled');
    // And a red person is refused a new ticket.
    const refused = await admin.post('/work-tickets', hotWork([w], leader, guardian, [approver]));
    expect(refused.body.violations).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'person_frozen', personId: w })]),
    );
  });

  it('holds a guardian to one ticket at a time, a returning welder to a re-exam, a visitor to a permit', async () => {
    const w1 = await welder('焊工戊');
    const w2 = await welder('焊工己', 300); // certificate issued 10 months ago, no work since
    const first = await admin.post('/work-tickets', hotWork([w1], leader, guardian, [approver]));
    expect(first.status).toBe(201);
    const visitor = (await person('外来', farSiteId)).personId;
    const second = await admin.post('/work-tickets', hotWork([w2], visitor, guardian, [approver]));
    expect(second.status).toBe(422);
    expect(second.body.violations.map((v: { code: string }) => v.code).sort()).toEqual([
      'cross_site_permit_required',
      'guardian_overloaded',
      'practical_reexam_required',
    ]);
    // A recorded re-exam clears the returning welder.
    expect(
      (
        await hr.post(`/people/${w2}/practical-reexams`, {
          workType: 'hot_work',
          passedOn: daysFromToday(-1),
          examiner: '考核站',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await hr.post(`/people/${w2}/practical-reexams`, {
          workType: 'hot_work',
          passedOn: daysFromToday(-9),
          examiner: 'x',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await admin.post(`/people/${w2}/practical-reexams`, {
          workType: 'hot_work',
          passedOn: daysFromToday(1),
          examiner: 'x',
        })
      ).status,
    ).toBe(400);
    await admin.post(`/work-tickets/${first.body.ticketId}/cancel`, {});
    expect((await admin.post('/work-tickets', hotWork([w2], leader, guardian, [approver]))).status).toBe(201);
  });

  it('lets hr declare a new welder’s last practice elsewhere, so no record is not read as six months away', async () => {
    const w = await welder('焊工新', 400); // a card from 13 months ago, nothing recorded here
    const ownGuardian = (await person('监护新')).personId;
    const draft = hotWork([w], leader, ownGuardian, [approver]);
    const refused = await admin.post('/work-tickets', draft, { 'accept-language': 'en' });
    expect(refused.status).toBe(422);
    expect(refused.body.violations).toEqual([
      expect.objectContaining({ code: 'practical_reexam_required', personId: w }),
    ]);
    // The refusal says how to resolve it, both ways.
    expect(refused.body.violations[0].message).toContain(`/people/${w}/practical-reexams`);
    expect(refused.body.violations[0].message).toContain(`/people/${w}/practice-declarations`);
    const declaration = {
      workType: 'hot_work',
      lastPracticedOn: daysFromToday(-20),
      source: '中石化镇海炼化检修项目',
    };
    const other = await api.as({ tenantId: 'another-group', role: 'hr' });
    expect((await other.post(`/people/${w}/practice-declarations`, declaration)).status).toBe(404);
    const auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
    const byAuditor = await auditor.post(`/people/${w}/practice-declarations`, declaration);
    expect(byAuditor.status, JSON.stringify(byAuditor.body)).toBe(403);
    expect(
      (
        await hr.post(`/people/${w}/practice-declarations`, {
          ...declaration,
          lastPracticedOn: daysFromToday(1),
        })
      ).status,
    ).toBe(400);
    const declared = await hr.post(`/people/${w}/practice-declarations`, {
      ...declaration,
      evidenceNote: '前单位证明，存人事档案',
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      personId: w,
      workType: 'hot_work',
      lastPracticedOn: daysFromToday(-20),
    });
    // An older date does not replace it.
    expect(
      (
        await hr.post(`/people/${w}/practice-declarations`, {
          ...declaration,
          lastPracticedOn: daysFromToday(-90),
        })
      ).status,
    ).toBe(409);
    const created = await admin.post('/work-tickets', draft);
    expect(created.status).toBe(201);
    await admin.post(`/work-tickets/${created.body.ticketId}/cancel`, { reason: 'test' });
    // Audited, with its source.
    // Audit days are China days (as every other audit test reads them).
    const trail = await auditTrail(TENANT, today());
    expect(trail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'person.practice-declared',
          entityId: w,
          details: expect.objectContaining({ source: '中石化镇海炼化检修项目' }),
        }),
      ]),
    );
  });

  it('takes the last practice at registration, in the same write, from hr only', async () => {
    const practice = [
      { workType: 'hot_work', lastPracticedOn: daysFromToday(-30), source: '宝钢湛江基地检修' },
    ];
    const body = (extra: Record<string, unknown>) => ({
      name: '焊工登记',
      idNumber: newIdNumber(),
      homeSiteId: siteId,
      ...extra,
    });
    // A subcontractor's admin may register their people, but not vouch for their history.
    const sub = await api.as({
      tenantId: TENANT,
      role: 'subcontractor',
      subcontractorId: 'sub_any00000000000',
    });
    const bySub = await sub.post('/people', body({ practice }));
    expect(bySub.status).toBe(403);
    for (const [broken, field] of [
      [[{ ...practice[0], lastPracticedOn: daysFromToday(2) }], 'practice.0.lastPracticedOn'],
      [[practice[0], { ...practice[0], lastPracticedOn: daysFromToday(-60) }], 'practice'],
      [[{ ...practice[0], workType: 'juggling' }], 'practice.0.workType'],
    ] as const) {
      const idNumber = newIdNumber();
      const res = await hr.post('/people', body({ idNumber, practice: broken }));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      // Refused whole: the ID number is still free.
      expect((await hr.post('/people', body({ idNumber }))).status).toBe(201);
    }
    const idNumber = newIdNumber();
    const created = await hr.post('/people', body({ idNumber, practice }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const w = created.body.personId as string;
    await hr.post(`/people/${w}/certificates`, samrCertificate(400));
    await hr.post(`/people/${w}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number: `T${idNumber}`,
      issuedOn: daysFromToday(-400), // 13 months: without the declaration, a re-exam would be due
      expiresOn: yearsFromToday(6, -401),
    });
    const ownGuardian = (await person('监护登记')).personId;
    const ticket = await admin.post('/work-tickets', hotWork([w], leader, ownGuardian, [approver]));
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    await admin.post(`/work-tickets/${ticket.body.ticketId}/cancel`, { reason: 'test' });
    const trail = await auditTrail(TENANT, today());
    expect(trail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'person.practice-declared',
          entityId: w,
          details: expect.objectContaining({ source: '宝钢湛江基地检修', type: 'hot_work' }),
        }),
      ]),
    );
  });

  it('refuses someone who checked in more than 50 km away within 24 hours', async () => {
    const w = await welder('焊工庚');
    await hr.post(`/people/${w}/badges`, { badgeUid: '7A7A7A01' });
    const decision = await asFunction('gates', () =>
      handleScan(allAdapters(), `${TENANT}:${farSiteId}:main`, {
        scanId: 'far-away-scan-1',
        badgeUid: '7A7A7A01',
        direction: 'in',
        at: inMinutes(-120),
      }),
    );
    expect(decision).toMatchObject({ decision: 'allow' });
    const g2 = (await person('监护二')).personId;
    const res = await admin.post('/work-tickets', hotWork([w], leader, g2, [approver]));
    expect(res.status).toBe(422);
    expect(res.body.violations).toEqual([
      expect.objectContaining({
        code: 'too_far_too_soon',
        personId: w,
        detail: { fromSiteId: farSiteId, km: expect.any(Number) },
      }),
    ]);
    expect(res.body.violations[0].detail.km).toBeGreaterThan(50);
  });

  it('expires a ticket when its window ends, by a one-time schedule the ticket armed; an early end drops it', async () => {
    const scheduler = new SchedulerClient({});
    const group = process.env.TICKET_SCHEDULE_GROUP as string;
    const schedule = (ticketId: string) =>
      scheduler.send(new GetScheduleCommand({ Name: ticketId, GroupName: group })).catch(() => undefined);
    const w = await welder('焊工辛');
    const g = (await person('监护三')).personId;
    const id = (
      await admin.post('/work-tickets', { ...hotWork([w], leader, g, [approver]), plannedTo: inMinutes(30) })
    ).body.ticketId as string;
    const armed = await schedule(id);
    expect(armed?.ScheduleExpression).toMatch(/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/);
    expect(armed?.ActionAfterCompletion).toBe('DELETE');
    expect(JSON.parse(armed?.Target?.Input ?? '{}')).toEqual({
      job: 'ticket-expiry',
      tenantId: TENANT,
      ticketId: id,
    });

    const runJob = jobsHandler(jobsAdapters());
    const fire = (now: Date) =>
      fireDueOneTimeSchedules(group, (input) => asFunction('jobs', () => runJob(input)), now);
    expect(await fire(new Date(Date.now() + 20 * 60_000))).toEqual([]); // not due yet
    expect((await admin.get(`/work-tickets/${id}`)).body.status).toBe('draft');
    const fired = await fire(new Date(Date.now() + 31 * 60_000));
    expect(fired).toEqual([{ job: 'ticket-expiry', tenantId: TENANT, ticketId: id }]);
    expect(await schedule(id)).toBeUndefined();
    // Stored as expired (read straight from the table: a read would expire it lazily anyway).
    expect(await getItem(`T#${TENANT}#TICKET#${id}`, 'TICKET')).toMatchObject({
      status: 'expired',
      endReason: 'window_ended',
    });
    expect(await getItem(`T#${TENANT}#PERSON#${g}`, `TICKET#${id}`)).toHaveProperty('ended');
    // A repeated delivery changes nothing.
    expect(await runJob({ job: 'ticket-expiry', tenantId: TENANT, ticketId: id })).toEqual({
      ticketId: id,
      expired: false,
    });

    const early = (await admin.post('/work-tickets', hotWork([w], leader, g, [approver]))).body
      .ticketId as string;
    expect(await schedule(early)).toBeDefined();
    await admin.post(`/work-tickets/${early}/cancel`, {});
    expect(await schedule(early)).toBeUndefined();
  });
});

describe('signed tickets, their QR code and the permit board', () => {
  let id: string;
  let manager: ApiClient;

  beforeAll(async () => {
    manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    const w = await welder('焊工壬');
    const leader = (await person('队长乙')).personId;
    const guardian = (await person('监护四')).personId;
    const approver = (await person('审批丙')).personId;
    const created = await manager.post('/work-tickets', hotWork([w], leader, guardian, [approver]));
    expect(created.status).toBe(201);
    id = created.body.ticketId;
  });

  it('signs the ticket so that anyone verifies it offline with the JWKS, and online for its live state', async () => {
    const doc = await manager.get(`/work-tickets/${id}/document`);
    expect(doc.status).toBe(200);
    const jwks = await api.anonymous().get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toContain('max-age');
    const verified = await compactVerify(doc.body.jws, createLocalJWKSet(jwks.body));
    expect(verified.protectedHeader).toMatchObject({ alg: 'ES256', typ: 'work-ticket+jws' });
    const claims = JSON.parse(new TextDecoder().decode(verified.payload));
    expect(claims).toMatchObject({
      iss: 'special-ops',
      sub: id,
      ten: TENANT,
      ticket: { site: siteId, type: 'hot_work', status: 'draft' },
    });
    expect(claims.ticket.workers[0].name).toMatch(/\*/); // masked
    expect(doc.body.jws).not.toMatch(/\d{17}[\dX]/);

    const online = await api.anonymous().post('/work-tickets/verify', { token: doc.body.jws });
    expect(online.body).toMatchObject({ valid: true, ticketId: id, signedStatus: 'draft', status: 'draft' });
    // A forged payload under a genuine header and signature fails.
    const [h, , sig] = doc.body.jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, ten: 'another-group' })).toString('base64url')}.${sig}`;
    expect((await api.anonymous().post('/work-tickets/verify', { token: forged })).body).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
    expect((await api.anonymous().post('/work-tickets/verify', { token: 'a.b' })).status).toBe(400);
    // Other tenants and other sites cannot fetch it.
    const stranger = await api.as({ tenantId: 'another-group', role: 'group_admin' });
    expect((await stranger.get(`/work-tickets/${id}/document`)).status).toBe(404);
  });

  it('prints a compact signed core as the QR code, which browser and phone scanners read, even half-size and blurred', async () => {
    const res = await manager.fetch(`/work-tickets/${id}/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    // The full ticket (1,038 characters, version 23) was read by ZXing but not by jsqr.
    const reads = decodeEveryWay(png);
    const code = reads['jsqr, original'] as string;
    expect(code.length).toBeLessThan(600);
    expect(reads).toEqual(Object.fromEntries(Object.keys(reads).map((k) => [k, code])));
    // Offline: our key verifies it, and it says what the guard needs at a glance.
    const jwks = (await api.anonymous().get('/.well-known/jwks.json')).body;
    const verified = await compactVerify(code, createLocalJWKSet(jwks));
    expect(verified.protectedHeader).toMatchObject({ alg: 'ES256', typ: 'wt-ref+jws' });
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toMatchObject({
      sub: id,
      ten: TENANT,
      site: siteId,
      t: 'hot_work',
      st: 'draft',
      n: 1,
      h: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/),
    });
    // Online: the details it leaves out, names masked, and that the people are the same.
    const online = await api.anonymous().post('/work-tickets/verify', { token: code });
    expect(online.body).toMatchObject({
      valid: true,
      ticketId: id,
      status: 'draft',
      peopleMatch: true,
      ticket: {
        type: 'hot_work',
        location: '3号罐区',
        workers: [{ name: expect.stringMatching(/\*/), role: 'welder' }],
      },
    });
    expect(JSON.stringify(online.body)).not.toContain('per_');
    expect(decodeProtectedHeader(code).typ).toBe('wt-ref+jws');
  });

  it('shows the site’s open tickets on a board behind a signed, expiring link', async () => {
    expect((await hr.post(`/sites/${siteId}/permit-board-links`, {})).status).toBe(403);
    const elsewhere = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [farSiteId] });
    expect((await elsewhere.post(`/sites/${siteId}/permit-board-links`, {})).status).toBe(404);
    const link = await manager.post(`/sites/${siteId}/permit-board-links`, { validHours: 2 });
    expect(link.status).toBe(201);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(2 * 3600_000 + 1000);
    const board = await api.anonymous().get(link.body.path);
    expect(board.status).toBe(200);
    const mine = board.body.tickets.find((t: { ticketId: string }) => t.ticketId === id);
    expect(mine).toMatchObject({ type: 'hot_work', status: 'draft', location: '3号罐区' });
    expect(mine.workers[0]).toEqual({ name: expect.stringMatching(/\*/), role: 'welder' });
    expect(JSON.stringify(board.body)).not.toContain('per_'); // no person ids on a public board
    // A ticket token is not a board link, a tampered link is refused, and so is no link.
    const doc = await manager.get(`/work-tickets/${id}/document`);
    expect((await api.anonymous().get(`/permit-board?token=${doc.body.jws}`)).status).toBe(401);
    const tampered = `${link.body.token.slice(0, -4)}AAAA`;
    expect((await api.anonymous().get(`/permit-board?token=${tampered}`)).status).toBe(401);
    expect((await api.anonymous().get('/permit-board')).status).toBe(400);
  });
});
