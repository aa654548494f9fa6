// Work tickets (X4) as use cases against in-memory fakes of their ports: the dispatch rules
// fed from the people, certificates, check-ins, permits and sites the ports give; the
// lifecycle draft → approved → active → closed with its timer; expiry on read and on the
// timer; scope and roles; a refused ticket writes nothing and proposes a violation (E1).
import { describe, expect, it } from 'vitest';
import { addCertificate } from '../../functions/certificates/certificates.ts';
import type { CheckIn } from '../../functions/domain/fatigue.ts';
import type { PermitWindow } from '../../functions/domain/work-history.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Actor } from '../../functions/shared/audit.ts';
import { addDays, addYears } from '../../functions/shared/calendar.ts';
import { StaleRecord } from '../../functions/shared/dynamo/transactions.ts';
import { Conflict } from '../../functions/shared/errors.ts';
import { isOpen, type WorkTicket } from '../../functions/tickets/ticket-lifecycle.ts';
import type {
  OpenTicketLink,
  PracticeDeclaration,
  TicketStore,
  WorkHistory,
} from '../../functions/tickets/ticket-store.ts';
import type { TicketType } from '../../functions/tickets/ticket-types.ts';
import {
  activateTicket,
  approveTicket,
  cancelTicket,
  closeTicket,
  createTicket,
  declarePractice,
  dispatchFacts,
  expireOnTimer,
  findTicket,
  type NewTicket,
  openTicketsAtSite,
  recordGas,
  recordPracticalReexam,
  type TicketDeps,
} from '../../functions/tickets/work-tickets.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';
import { captureOutput } from '../support/output.ts';

const as = callerIn('acme');
const admin = as('group_admin');
const hr = as('hr');

type People = ReturnType<typeof recordFakes>['people'];

/** The ticket store in memory: version-guarded saves, open tickets by site and person. */
class InMemoryTickets implements TicketStore {
  readonly tickets = new Map<string, WorkTicket & { tenantId: string }>();
  readonly actions: string[] = [];
  readonly history = new Map<string, WorkHistory>();
  constructor(private readonly people: People) {}
  async create(actor: Actor, ticket: WorkTicket) {
    this.tickets.set(ticket.ticketId, { ...structuredClone(ticket), tenantId: actor.tenantId });
    this.actions.push('work-ticket.create');
  }
  async get(tenantId: string, ticketId: string) {
    const t = this.tickets.get(ticketId);
    if (!t || t.tenantId !== tenantId) return undefined;
    const { tenantId: _, ...ticket } = structuredClone(t);
    return ticket;
  }
  readonly saves: [string, string, string | undefined, string][] = [];
  async save(actor: Actor, before: WorkTicket, after: WorkTicket, action: string, requestId?: string) {
    this.saves.push([actor.subject, action, requestId, after.status]);
    const stored = this.tickets.get(before.ticketId);
    if (!stored || stored.version !== before.version) throw new StaleRecord();
    this.tickets.set(before.ticketId, {
      ...structuredClone(after),
      version: before.version + 1,
      tenantId: actor.tenantId,
    });
    this.actions.push(action);
  }
  async openAtSite(tenantId: string, siteId: string) {
    return [...this.tickets.values()]
      .filter((t) => t.tenantId === tenantId && t.siteId === siteId && isOpen(t.status))
      .map(({ tenantId: _, ...t }) => t);
  }
  async openTicketsOf(tenantId: string, personId: string): Promise<OpenTicketLink[]> {
    return [...this.tickets.values()]
      .filter((t) => t.tenantId === tenantId && isOpen(t.status))
      .flatMap((t) => {
        const part =
          t.guardianId === personId
            ? 'guardian'
            : t.leaderId === personId
              ? 'leader'
              : t.workers.some((w) => w.personId === personId)
                ? 'worker'
                : undefined;
        return part
          ? [
              {
                ticketId: t.ticketId,
                part,
                siteId: t.siteId,
                plannedFrom: t.plannedFrom,
                plannedTo: t.plannedTo,
              },
            ]
          : [];
      });
  }
  async peopleWithHistory(tenantId: string, personIds: string[]) {
    const out = new Map();
    for (const id of personIds) {
      const p = await this.people.get(tenantId, id);
      if (p)
        out.set(id, { ...p, history: this.history.get(id) ?? { lastTicket: {}, reexam: {}, practice: {} } });
    }
    return out;
  }
  async recordReexam(_a: Actor, personId: string, type: TicketType, passedOn: string) {
    const h = this.history.get(personId) ?? { lastTicket: {}, reexam: {}, practice: {} };
    this.history.set(personId, { ...h, reexam: { ...h.reexam, [type]: passedOn } });
  }
  async recordPractice(_a: Actor, personId: string, d: PracticeDeclaration) {
    const h = this.history.get(personId) ?? { lastTicket: {}, reexam: {}, practice: {} };
    const known = h.practice[d.workType];
    if (known && known > d.lastPracticedOn) throw new Conflict('practice_not_newer');
    this.history.set(personId, { ...h, practice: { ...h.practice, [d.workType]: d.lastPracticedOn } });
  }
}

async function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const tickets = new InMemoryTickets(f.people);
  const timers = { armed: new Map<string, string>(), cancelled: [] as string[], failing: false };
  const checkIns = new Map<string, CheckIn[]>();
  const permits = new Map<string, PermitWindow[]>();
  const proposed: { personId: string; type: string }[] = [];
  const sites = [
    { siteId: 'site_zh', location: { lat: 29.95, lng: 121.7 }, closed: false },
    // ~110 km away.
    { siteId: 'site_js', location: { lat: 30.72, lng: 121.34 }, closed: false },
    { siteId: 'site_old', location: { lat: 30, lng: 121 }, closed: true },
  ];
  const deps: TicketDeps = {
    tickets,
    timers: {
      expireAt: async (_t, id, at) => {
        if (timers.failing) throw new Error('scheduler down');
        timers.armed.set(id, at.toISOString());
      },
      cancel: async (id) => {
        timers.cancelled.push(id);
      },
    },
    certificates: f.certificates,
    checkIns: {
      checkInsSince: async (_t, id, since) =>
        (checkIns.get(id) ?? []).filter((c) => Date.parse(c.at) >= since.getTime()),
      latestCheckIns: async (_t, id) => checkIns.get(id) ?? [],
    },
    sites: { list: async (t) => (t === 'acme' ? (sites as never) : []) },
    clock: f.clock,
    permits: { permitsOf: async (_t, id) => permits.get(id) ?? [] },
    policy: f.settings,
    refusedForScope: async (fact) => {
      proposed.push({ personId: fact.personId, type: fact.type });
    },
  };
  for (const s of sites) f.records.sites.add(`acme#${s.siteId}`);
  const today = f.clock.today();
  const person = async (name: string, homeSiteId = 'site_zh', welding = false) => {
    const idNumber = newIdNumber();
    const p = await registerPerson(f, hr, { name, idNumber, homeSiteId }, 'r');
    const issuedOn = addYears(today, -1);
    await addCertificate(
      f,
      hr,
      p.personId,
      welding
        ? {
            scheme: 'MEM',
            category: 'welding',
            number: `T${idNumber}`,
            issuedOn,
            expiresOn: addDays(addYears(issuedOn, 6), -1),
          }
        : {
            scheme: 'SAMR',
            category: 'N1',
            number: `TS-N1-${Math.random().toString(36).slice(2, 10)}`,
            issuedOn,
            expiresOn: addDays(addYears(issuedOn, 4), -1),
          },
      'r',
    );
    // Someone who welds has done so lately (the six-month practice rule).
    if (welding)
      await declarePractice(
        deps,
        hr,
        p.personId,
        { workType: 'hot_work', lastPracticedOn: addDays(today, -20), source: '前单位' },
        'r',
      );
    return p.personId;
  };
  const inMinutes = (m: number) => new Date(f.clock.now().getTime() + m * 60_000).toISOString();
  const crew = {
    leader: await person('队长'),
    guardian: await person('监护'),
    approver: await person('审批'),
    welder: await person('焊工', 'site_zh', true),
  };
  const hotWork = (over: Partial<NewTicket> = {}): NewTicket => ({
    siteId: 'site_zh',
    type: 'hot_work',
    grade: '1',
    location: '3号罐区',
    plannedFrom: inMinutes(-5),
    plannedTo: inMinutes(240),
    workers: [{ personId: crew.welder, role: 'welder' }],
    leaderId: crew.leader,
    guardianId: crew.guardian,
    approverIds: [crew.approver],
    ...over,
  });
  return { f, deps, tickets, timers, checkIns, permits, proposed, person, crew, hotWork, inMinutes, today };
}

describe('work tickets (use cases, fakes)', () => {
  it('refuses a draft with every broken rule, writes nothing, and proposes the scope violation', async () => {
    const w = await world();
    const unqualified = await w.person('无证');
    const refused = createTicket(
      w.deps,
      admin,
      w.hotWork({
        plannedTo: w.inMinutes(10 * 60),
        workers: [
          { personId: w.crew.welder, role: 'welder' },
          { personId: unqualified, role: 'welder' },
        ],
        guardianId: w.crew.welder,
      }),
      'r',
    );
    await expect(refused).rejects.toMatchObject({ status: 422, detailCode: 'dispatch_rules_broken' });
    const violations = (await refused.catch((e) => e)).violations.map(
      (v: { code: string; personId?: string }) => [v.code, v.personId],
    );
    expect(violations).toEqual(
      expect.arrayContaining([
        ['window_too_long', undefined],
        ['certificate_missing', unqualified],
        ['guardian_is_worker', w.crew.welder],
      ]),
    );
    expect(w.tickets.tickets.size).toBe(0);
    expect(w.timers.armed.size).toBe(0);
    expect(w.proposed).toEqual([{ personId: unqualified, type: 'hot_work' }]);
  });

  it('takes a ticket through draft → approved → active → closed, arming and cancelling its timer', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    expect(ticket).toMatchObject({ status: 'draft', version: 1, approvals: [] });
    expect(ticket.names?.[w.crew.welder]).toMatch(/\*/); // masked
    expect(w.timers.armed.get(ticket.ticketId)).toBe(ticket.plannedTo);
    // Only a named approver signs; an admin who is not one is refused.
    await expect(approveTicket(w.deps, admin, ticket.ticketId, undefined, 'r')).rejects.toMatchObject({
      status: 403,
    });
    const approver = as('site_manager', { siteIds: ['site_zh'], personId: w.crew.approver });
    expect((await approveTicket(w.deps, approver, ticket.ticketId, '同意', 'r')).status).toBe('approved');
    // Hot work needs a fresh passing gas analysis before it starts.
    await expect(activateTicket(w.deps, admin, ticket.ticketId, 'r')).rejects.toMatchObject({
      violations: [expect.objectContaining({ code: 'gas_analysis_required' })],
    });
    await recordGas(
      w.deps,
      admin,
      ticket.ticketId,
      {
        takenAt: w.inMinutes(-1),
        analystId: w.crew.guardian,
        readings: { oxygenPct: 20.8, flammable: { volumePct: 0.1, lowerExplosiveLimitPct: 5 } },
      },
      'r',
    );
    const active = await activateTicket(w.deps, admin, ticket.ticketId, 'r');
    expect(active).toMatchObject({ status: 'active', version: 4 });
    const closed = await closeTicket(w.deps, admin, ticket.ticketId, '完工', 'r');
    expect(closed).toMatchObject({ status: 'closed', endReason: '完工' });
    expect(w.timers.cancelled).toEqual([ticket.ticketId]);
    expect(w.tickets.actions).toEqual([
      'work-ticket.create',
      'work-ticket.approve',
      'work-ticket.gas-analysis',
      'work-ticket.activate',
      'work-ticket.close',
    ]);
    await expect(closeTicket(w.deps, admin, ticket.ticketId, undefined, 'r')).rejects.toMatchObject({
      status: 409,
    });
  });

  it('checks the dispatch rules again at activation: a worker who turned red since the draft stops it', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    const approver = as('site_manager', { siteIds: ['site_zh'], personId: w.crew.approver });
    await approveTicket(w.deps, approver, ticket.ticketId, undefined, 'r');
    await recordGas(
      w.deps,
      admin,
      ticket.ticketId,
      {
        takenAt: w.inMinutes(0),
        analystId: w.crew.guardian,
        readings: { oxygenPct: 20.8, flammable: { volumePct: 0.1, lowerExplosiveLimitPct: 5 } },
      },
      'r',
    );
    // The welder's dispatch is frozen now (a red status stored meanwhile).
    const welder = w.f.records.people.get(`acme#${w.crew.welder}`);
    if (!welder) throw new Error('no welder');
    w.f.records.people.set(`acme#${w.crew.welder}`, {
      ...welder,
      status: { ...welder.status, color: 'red', dispatch: 'frozen', gateAccess: 'frozen' },
    });
    await expect(activateTicket(w.deps, admin, ticket.ticketId, 'r')).rejects.toMatchObject({
      violations: expect.arrayContaining([expect.objectContaining({ personId: w.crew.welder })]),
    });
    expect((await findTicket(w.deps, admin, ticket.ticketId)).status).toBe('approved');
  });

  it('expires an open ticket once its window is over: on read, on the board and on its timer', async () => {
    const w = await world();
    const a = await createTicket(w.deps, admin, w.hotWork(), 'r');
    const b = await createTicket(
      w.deps,
      admin,
      w.hotWork({ guardianId: w.crew.leader, leaderId: w.crew.guardian }),
      'r',
    );
    expect((await openTicketsAtSite(w.deps, admin, 'site_zh')).map((t) => t.ticketId).sort()).toEqual(
      [a.ticketId, b.ticketId].sort(),
    );
    // The timer fires at the window's end: trusted even when this clock lags behind it.
    expect(await expireOnTimer(w.deps, 'acme', a.ticketId)).toEqual({ ticketId: a.ticketId, expired: true });
    expect((await openTicketsAtSite(w.deps, admin, 'site_zh')).map((t) => t.ticketId)).toEqual([b.ticketId]);
    // Without a timer, the window's end shows on the board and on read.
    w.f.clock.advanceDays(1);
    expect(await openTicketsAtSite(w.deps, admin, 'site_zh')).toEqual([]);
    expect((await findTicket(w.deps, admin, b.ticketId)).status).toBe('expired');
    expect(await expireOnTimer(w.deps, 'acme', b.ticketId)).toEqual({ ticketId: b.ticketId, expired: false });
    expect(await expireOnTimer(w.deps, 'other', a.ticketId)).toEqual({
      ticketId: a.ticketId,
      expired: false,
    });
  });

  it('keeps a guardian to one ticket at a time, and frees them when it ends', async () => {
    const w = await world();
    const first = await createTicket(w.deps, admin, w.hotWork(), 'r');
    const second = createTicket(
      w.deps,
      admin,
      w.hotWork({ workers: [{ personId: w.crew.welder, role: 'welder' }] }),
      'r',
    );
    await expect(second).rejects.toMatchObject({
      violations: [expect.objectContaining({ code: expect.stringMatching(/guardian/) })],
    });
    await cancelTicket(w.deps, admin, first.ticketId, '改期', 'r');
    expect((await createTicket(w.deps, admin, w.hotWork(), 'r')).status).toBe('draft');
  });

  it('lets a visiting worker in only with an approved cross-site permit for the window', async () => {
    const w = await world();
    const visitor = await w.person('外站焊工', 'site_js', true);
    const draft = w.hotWork({ workers: [{ personId: visitor, role: 'welder' }] });
    await expect(createTicket(w.deps, admin, draft, 'r')).rejects.toMatchObject({
      violations: expect.arrayContaining([expect.objectContaining({ personId: visitor })]),
    });
    w.permits.set(visitor, [
      {
        permitId: 'pmt_1',
        status: 'approved',
        toSiteId: 'site_zh',
        from: w.inMinutes(-60),
        to: w.inMinutes(24 * 60),
      },
    ]);
    expect((await createTicket(w.deps, admin, draft, 'r')).status).toBe('draft');
  });

  it('answers another site’s, another tenant’s or a closed site’s ticket as it should, and keeps roles to theirs', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    const elsewhere = as('site_manager', { siteIds: ['site_js'] });
    await expect(findTicket(w.deps, elsewhere, ticket.ticketId)).rejects.toMatchObject({ status: 404 });
    await expect(findTicket(w.deps, callerIn('other')('group_admin'), ticket.ticketId)).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    await expect(createTicket(w.deps, elsewhere, w.hotWork(), 'r')).rejects.toMatchObject({ status: 404 });
    await expect(createTicket(w.deps, hr, w.hotWork(), 'r')).rejects.toMatchObject({ status: 403 });
    await expect(createTicket(w.deps, admin, w.hotWork({ siteId: 'site_old' }), 'r')).rejects.toMatchObject({
      status: 409,
      detailCode: 'site_closed',
    });
    await expect(
      createTicket(w.deps, callerIn('other')('group_admin'), w.hotWork(), 'r'),
    ).rejects.toMatchObject({ status: 404, detailCode: 'site_not_found' });
  });

  it('creates the ticket even when its timer cannot be armed (expiry on read still holds)', async () => {
    const w = await world();
    w.timers.failing = true;
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    expect(w.tickets.tickets.has(ticket.ticketId)).toBe(true);
    w.f.clock.advanceDays(1);
    expect((await findTicket(w.deps, admin, ticket.ticketId)).status).toBe('expired');
  });
});

describe('work tickets (details, fakes)', () => {
  it('gathers what the rules weigh about each person: their own partition, no more', async () => {
    const w = await world();
    const visitor = await w.person('外站焊工', 'site_js', true);
    const h = (m: number) => w.inMinutes(m);
    // Check-ins: only arrivals count for distance, as site and instant.
    w.checkIns.set(visitor, [
      { at: h(-300), direction: 'in', siteId: 'site_js', workType: 'hot_work', gateId: 'g1' },
      { at: h(-200), direction: 'out', siteId: 'site_js' },
      { at: h(-100), direction: 'in', siteId: 'site_js', workType: 'confined_space' },
    ]);
    w.permits.set(visitor, [
      { permitId: 'p1', status: 'approved', toSiteId: 'site_zh', from: h(-60), to: h(600) } as never,
      { permitId: 'p2', status: 'pending', toSiteId: 'site_zh', from: h(-60), to: h(600) } as never,
    ]);
    w.tickets.history.set(visitor, {
      lastTicket: { hot_work: h(-400) },
      reexam: { hot_work: '2026-01-10' },
      practice: { hot_work: '2026-05-01' },
    });
    const record = w.f.records.people.get(`acme#${visitor}`) as unknown as Record<string, unknown>;
    w.f.records.people.set(`acme#${visitor}`, {
      ...record,
      blacklist: {
        entryId: 'bl_1',
        reasonCode: 'identity_fraud',
        expiresOn: '2027-01-01',
        source: { type: 'partner', partnerId: 'ptn_1', organisation: '杭州市安全生产协会' },
      },
      engagementEnd: { on: '2026-06-01', reason: 'departed' },
    } as never);
    const asked: string[] = [];
    const since: Date[] = [];
    const deps: TicketDeps = {
      ...w.deps,
      certificates: {
        listForPerson: async (t, id) => {
          asked.push(id);
          return w.deps.certificates.listForPerson(t, id);
        },
      },
      checkIns: {
        ...w.deps.checkIns,
        checkInsSince: async (t, id, from) => {
          since.push(from);
          return w.deps.checkIns.checkInsSince(t, id, from);
        },
      },
    };
    const draft = w.hotWork({ workers: [{ personId: visitor, role: 'welder' }] });
    const facts = await dispatchFacts(deps, 'acme', draft);
    // Approvers and the guardian are read too; only a qualified role's certificates are.
    expect([...facts.records.keys()].sort()).toEqual(
      [visitor, w.crew.leader, w.crew.guardian, w.crew.approver].sort(),
    );
    expect(asked).toEqual([visitor]);
    expect(facts.people.get(w.crew.leader)?.certificates).toEqual([]);
    const distanceMs = facts.settings.distanceHours * 3600_000;
    expect(since.map((d) => d.getTime())).toEqual(Array(4).fill(Date.parse(draft.plannedFrom) - distanceMs));
    const v = facts.people.get(visitor);
    expect(v).toMatchObject({
      personId: visitor,
      frozen: false,
      blacklisted: { expiresOn: '2027-01-01', organisation: '杭州市安全生产协会' },
      engagementEnded: { on: '2026-06-01', reason: 'departed' },
      homeSiteId: 'site_js',
      lastWorkedInType: h(-300),
      practicalReexamOn: '2026-01-10',
      practiceDeclaredOn: '2026-05-01',
      crossSitePermits: [{ toSiteId: 'site_zh', from: h(-60), to: h(600) }],
    });
    expect(v?.certificates).toHaveLength(1);
    expect(v?.checkIns).toEqual([
      { siteId: 'site_js', at: h(-300) },
      { siteId: 'site_js', at: h(-100) },
    ]);
    // A home-site worker with nothing on record: no permits asked, none of the optional facts.
    const local = facts.people.get(w.crew.guardian);
    expect(local).toEqual({
      personId: w.crew.guardian,
      frozen: false,
      homeSiteId: 'site_zh',
      certificates: [],
      checkIns: [],
      crossSitePermits: [],
    });
    expect(facts.sites.get('site_js')).toEqual({ siteId: 'site_js', lat: 30.72, lng: 121.34 });
    expect([...facts.closedSites]).toEqual(['site_old']);
  });

  it('reads the alliance’s own entries without an organisation, lets an expired hold and a later end go', async () => {
    const w = await world();
    const record = w.f.records.people.get(`acme#${w.crew.welder}`) as unknown as Record<string, unknown>;
    const draft = w.hotWork();
    const day = draft.plannedFrom.slice(0, 10);
    w.f.records.people.set(`acme#${w.crew.welder}`, {
      ...record,
      blacklist: {
        entryId: 'bl_2',
        reasonCode: 'identity_fraud',
        expiresOn: '2027-01-01',
        source: { type: 'tenant' },
      },
      engagementEnd: { on: '2026-06-02', reason: 'departed' },
    } as never);
    let p = (await dispatchFacts(w.deps, 'acme', draft)).people.get(w.crew.welder);
    expect(p?.blacklisted).toEqual({ expiresOn: '2027-01-01' });
    expect(p?.engagementEnded).toBeUndefined();
    w.f.records.people.set(`acme#${w.crew.welder}`, {
      ...record,
      blacklist: {
        entryId: 'bl_2',
        reasonCode: 'identity_fraud',
        expiresOn: day,
        source: { type: 'tenant' },
      },
    } as never);
    p = (await dispatchFacts(w.deps, 'acme', draft)).people.get(w.crew.welder);
    expect(p && 'blacklisted' in p).toBe(false);
  });

  it('holds a guardian only for tickets whose windows overlap this one’s, ends not included', async () => {
    const w = await world();
    const draft = w.hotWork();
    const link = (part: string, from: string, to: string) => ({
      ticketId: `t_${part}_${from}`,
      part,
      siteId: 'site_zh',
      plannedFrom: from,
      plannedTo: to,
    });
    const deps: TicketDeps = {
      ...w.deps,
      tickets: Object.assign(Object.create(w.tickets), {
        openTicketsOf: async () => [
          link('guardian', w.inMinutes(-120), draft.plannedFrom), // ends as this starts
          link('guardian', draft.plannedTo, w.inMinutes(600)), // starts as this ends
          link('leader', w.inMinutes(0), w.inMinutes(60)), // not guarding
          link('guardian', w.inMinutes(10), w.inMinutes(20)), // inside
        ],
      }),
    };
    const facts = await dispatchFacts(deps, 'acme', draft);
    expect(facts.guardingNow.map((l) => l.ticketId)).toEqual([`t_guardian_${w.inMinutes(10)}`]);
    // No guardian named: nobody's tickets are read.
    const none = await dispatchFacts(deps, 'acme', { ...draft, guardianId: undefined });
    expect(none.guardingNow).toEqual([]);
    expect(none.records.size).toBe(3);
  });

  it('writes the draft as planned: shifts as instants, no grade unless given, names of those on it only', async () => {
    const w = await world();
    const ticket = await createTicket(
      w.deps,
      admin,
      w.hotWork({
        grade: undefined,
        type: 'confined_space' as TicketType,
        workers: [{ personId: w.crew.welder, role: 'entrant' } as never],
        shifts: [{ from: '2026-06-01T10:00:00+08:00', to: '2026-06-01T11:00:00+08:00' }],
      } as never),
      'r',
    ).catch((e) => e);
    expect(ticket instanceof Error ? (ticket as { violations?: unknown }).violations : 'ok').toBe('ok');
    expect(ticket.ticketId).toMatch(/^tkt_/);
    expect('grade' in ticket).toBe(false);
    expect(ticket.shifts).toEqual([{ from: '2026-06-01T02:00:00.000Z', to: '2026-06-01T03:00:00.000Z' }]);
    expect(ticket.gasAnalyses).toEqual([]);
    expect(Object.keys(ticket.names ?? {}).sort()).toEqual(
      [w.crew.welder, w.crew.leader, w.crew.guardian].sort(),
    );
  });

  it('keeps a given grade and guardian, masks every name on it, and names no approver there', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    expect(ticket).toMatchObject({ grade: '1', guardianId: w.crew.guardian, gasAnalyses: [], approvals: [] });
    expect(ticket.ticketId).toMatch(/^tkt_/);
    expect('shifts' in ticket).toBe(false);
    expect(Object.keys(ticket.names ?? {}).sort()).toEqual(
      [w.crew.welder, w.crew.leader, w.crew.guardian].sort(),
    );
    expect(Object.values(ticket.names ?? {}).every((n) => n.includes('*'))).toBe(true);
  });

  it('refuses an approver nobody has on record, and a refusal stands when proposing the violation fails', async () => {
    const w = await world();
    await expect(
      createTicket(w.deps, admin, w.hotWork({ approverIds: [w.crew.approver, 'per_nobody'] }), 'r'),
    ).rejects.toMatchObject({ violations: [{ code: 'approver_unknown', personId: 'per_nobody' }] });
    const unqualified = await w.person('无证');
    const deps = {
      ...w.deps,
      refusedForScope: async () => {
        throw new Error('violations store down');
      },
    };
    await expect(
      createTicket(deps, admin, w.hotWork({ workers: [{ personId: unqualified, role: 'welder' }] }), 'r'),
    ).rejects.toMatchObject({ status: 422, detailCode: 'dispatch_rules_broken' });
  });

  it('expires on its timer as the system, once, under the timer’s own request id', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    const saves = w.tickets.saves;
    saves.length = 0;
    await expireOnTimer(w.deps, 'acme', ticket.ticketId);
    expect(saves).toEqual([
      [
        expect.stringContaining('ticket-expiry'),
        'work-ticket.expire',
        `ticket-expiry:${ticket.ticketId}`,
        'expired',
      ],
    ]);
    // Read after its window: stored as expired under the reader's request, one version on.
    const other = await createTicket(
      w.deps,
      admin,
      w.hotWork({ guardianId: w.crew.leader, leaderId: w.crew.guardian }),
      'r',
    );
    w.f.clock.advanceDays(1);
    const read = await findTicket(w.deps, admin, other.ticketId, 'req-7');
    expect(read).toMatchObject({ status: 'expired', version: other.version + 1 });
    expect(saves.at(-1)).toEqual([admin.subject, 'work-ticket.expire', 'req-7', 'expired']);
    expect((await findTicket(w.deps, admin, other.ticketId)).version).toBe(other.version + 1);
  });

  it('answers a site or ticket out of the caller’s scope as not found, by its own code', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    const elsewhere = as('site_manager', { siteIds: ['site_js'] });
    await expect(openTicketsAtSite(w.deps, elsewhere, 'site_zh')).rejects.toMatchObject({
      status: 404,
      detailCode: 'site_not_found',
    });
    await expect(findTicket(w.deps, elsewhere, ticket.ticketId)).rejects.toMatchObject({
      detailCode: 'ticket_not_found',
    });
    await expect(createTicket(w.deps, elsewhere, w.hotWork(), 'r')).rejects.toMatchObject({
      detailCode: 'site_not_found',
    });
    await expect(cancelTicket(w.deps, elsewhere, ticket.ticketId, undefined, 'r')).rejects.toMatchObject({
      detailCode: 'ticket_not_found',
    });
  });

  it('writes nothing for a signature already given, and a cancelled ticket stays cancelled when its timer cannot be deleted', async () => {
    const w = await world();
    const ticket = await createTicket(
      w.deps,
      admin,
      w.hotWork({ approverIds: [w.crew.approver, w.crew.leader] }),
      'r',
    );
    const approver = as('site_manager', { siteIds: ['site_zh'], personId: w.crew.approver });
    const once = await approveTicket(w.deps, approver, ticket.ticketId, undefined, 'r');
    const twice = await approveTicket(w.deps, approver, ticket.ticketId, undefined, 'r');
    expect(twice.version).toBe(once.version);
    expect(w.tickets.actions.filter((a) => a === 'work-ticket.approve')).toHaveLength(1);
    w.deps.timers.cancel = async () => {
      throw new Error('scheduler down');
    };
    expect(await cancelTicket(w.deps, admin, ticket.ticketId, '改期', 'r')).toMatchObject({
      status: 'cancelled',
    });
    expect(w.tickets.actions.at(-1)).toBe('work-ticket.cancel');
  });

  it('records a practical re-exam or a declared practice up to today, from hr or a group admin only', async () => {
    const w = await world();
    const today = w.f.clock.today();
    expect(
      await recordPracticalReexam(
        w.deps,
        hr,
        w.crew.welder,
        { workType: 'hot_work', passedOn: today, examiner: '李考官' },
        'r',
      ),
    ).toEqual({
      personId: w.crew.welder,
      workType: 'hot_work',
      passedOn: today,
      recordedAt: w.f.clock.now().toISOString(),
    });
    expect(w.tickets.history.get(w.crew.welder)?.reexam.hot_work).toBe(today);
    await expect(
      recordPracticalReexam(
        w.deps,
        hr,
        w.crew.welder,
        { workType: 'hot_work', passedOn: addDays(today, 1), examiner: '李' },
        'r',
      ),
    ).rejects.toMatchObject({ status: 400, detailCode: 'reexam_in_future' });
    await expect(
      recordPracticalReexam(
        w.deps,
        as('site_manager', { siteIds: ['site_zh'] }),
        w.crew.welder,
        { workType: 'hot_work', passedOn: today, examiner: '李' },
        'r',
      ),
    ).rejects.toMatchObject({ status: 403 });
    const declared = await declarePractice(
      w.deps,
      admin,
      w.crew.leader,
      { workType: 'hot_work', lastPracticedOn: today, source: '前单位' },
      'r',
    );
    expect(declared).toEqual({
      personId: w.crew.leader,
      workType: 'hot_work',
      lastPracticedOn: today,
      source: '前单位',
      declaredAt: w.f.clock.now().toISOString(),
    });
    await expect(
      declarePractice(
        w.deps,
        hr,
        w.crew.leader,
        { workType: 'hot_work', lastPracticedOn: addDays(today, 1), source: 'x' },
        'r',
      ),
    ).rejects.toMatchObject({ status: 400, detailCode: 'practice_in_future' });
  });

  it('asks for permits only for visitors and for nobody unnamed, and refuses even with no one to propose violations to', async () => {
    const w = await world();
    const visitor = await w.person('外站焊工', 'site_js', true);
    const homeless = await w.person('无站', 'site_zh', true);
    const rec = w.f.records.people.get(`acme#${homeless}`) as unknown as Record<string, unknown>;
    const { homeSiteId: _, ...withoutHome } = rec;
    w.f.records.people.set(`acme#${homeless}`, withoutHome as never);
    const permitsAsked: string[] = [];
    const named: string[][] = [];
    const deps: TicketDeps = {
      ...w.deps,
      permits: {
        permitsOf: async (t, id) => {
          permitsAsked.push(id);
          return w.deps.permits.permitsOf(t, id);
        },
      },
      tickets: Object.assign(Object.create(w.tickets), {
        peopleWithHistory: async (t: string, ids: string[]) => {
          named.push([...ids].sort());
          return w.tickets.peopleWithHistory(t, ids);
        },
      }),
    };
    const draft = w.hotWork({
      guardianId: undefined,
      workers: [
        { personId: visitor, role: 'welder' },
        { personId: homeless, role: 'welder' },
      ],
    });
    await dispatchFacts(deps, 'acme', draft);
    expect(permitsAsked).toEqual([visitor]);
    expect(named).toEqual([[visitor, homeless, w.crew.leader, w.crew.approver].sort()]);
    const { refusedForScope: __, ...withoutProposals } = w.deps;
    const unqualified = await w.person('无证');
    await expect(
      createTicket(
        withoutProposals,
        admin,
        w.hotWork({ workers: [{ personId: unqualified, role: 'welder' }] }),
        'r',
      ),
    ).rejects.toMatchObject({ status: 422, detailCode: 'dispatch_rules_broken' });
  });

  it('keeps gas analyses, closing and cancelling to those who manage tickets: hr and auditors read only', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    for (const role of ['hr', 'auditor'] as const) {
      const reader = as(role);
      expect((await findTicket(w.deps, reader, ticket.ticketId)).ticketId).toBe(ticket.ticketId);
      await expect(cancelTicket(w.deps, reader, ticket.ticketId, undefined, 'r')).rejects.toMatchObject({
        status: 403,
      });
      await expect(closeTicket(w.deps, reader, ticket.ticketId, undefined, 'r')).rejects.toMatchObject({
        status: 403,
      });
      await expect(activateTicket(w.deps, reader, ticket.ticketId, 'r')).rejects.toMatchObject({
        status: 403,
      });
      await expect(
        recordGas(
          w.deps,
          reader,
          ticket.ticketId,
          { takenAt: w.inMinutes(0), analystId: w.crew.guardian, readings: { oxygenPct: 20.8 } },
          'r',
        ),
      ).rejects.toMatchObject({ status: 403 });
    }
    expect(w.tickets.actions).toEqual(['work-ticket.create']);
  });

  it('logs, without failing the request, a violation it could not propose and a timer it could not arm or delete', async () => {
    const w = await world();
    const output = captureOutput({ logLevel: 'WARN', stderr: true });
    try {
      const unqualified = await w.person('无证');
      const failing = {
        ...w.deps,
        refusedForScope: async () => {
          throw new Error('violations store down');
        },
      };
      await createTicket(
        failing,
        admin,
        w.hotWork({ workers: [{ personId: unqualified, role: 'welder' }] }),
        'r',
      ).catch(() => undefined);
      w.timers.failing = true;
      const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
      w.deps.timers.cancel = async () => {
        throw new Error('scheduler down');
      };
      await cancelTicket(w.deps, admin, ticket.ticketId, undefined, 'r');
      const logged = output.lines.map(
        (l) => JSON.parse(l) as { message: string; ticketId?: string; error?: unknown },
      );
      expect(logged.map((l) => l.message)).toEqual([
        'could not propose the violation',
        'could not arm the ticket expiry timer',
        'could not delete the ticket expiry timer',
      ]);
      expect(logged.every((l) => l.error)).toBe(true);
      expect(logged.slice(1).map((l) => l.ticketId)).toEqual([ticket.ticketId, ticket.ticketId]);
    } finally {
      output.stop();
    }
  });

  it('stores an expiry found on a plain read under the request id "read"', async () => {
    const w = await world();
    const ticket = await createTicket(w.deps, admin, w.hotWork(), 'r');
    w.f.clock.advanceDays(1);
    await findTicket(w.deps, admin, ticket.ticketId);
    expect(w.tickets.saves.at(-1)).toEqual([admin.subject, 'work-ticket.expire', 'read', 'expired']);
  });
});
