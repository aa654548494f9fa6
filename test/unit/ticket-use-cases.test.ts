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
  expireOnTimer,
  findTicket,
  type NewTicket,
  openTicketsAtSite,
  recordGas,
  type TicketDeps,
} from '../../functions/tickets/work-tickets.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

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
  async save(actor: Actor, before: WorkTicket, after: WorkTicket, action: string) {
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
