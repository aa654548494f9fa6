// Work tickets (SPEC X4) as use cases: gather what the dispatch rules need about everyone
// on a ticket (one batch read of the people, then per person only their own partition —
// never a query over the tenant), refuse with every broken rule, and move the ticket
// through its lifecycle with the pure transitions of ticket-lifecycle.ts.

import { partnerOrganisation } from '../domain/blacklist.ts';
import { holdActive } from '../domain/blacklist-rules.ts';
import type { CertificateRepository } from '../domain/certificate.ts';
import { certificateFacts } from '../domain/certificate.ts';
import { engagementEnded } from '../domain/engagement.ts';
import { FATIGUE_THRESHOLDS, type TenantSettings } from '../domain/settings.ts';
import type { SiteRepository } from '../domain/sites.ts';
import type { CheckInHistory, PermitsOfPerson } from '../domain/work-history.ts';
import { type Actor, systemActor } from '../shared/audit.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { type CalendarDate, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { errorForLog } from '../shared/error-log.ts';
import { Conflict, InvalidRequest, NotFound, RulesBroken, type RuleViolation } from '../shared/errors.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import { logger } from '../shared/logger.ts';
import {
  DISPATCH_POLICY,
  dispatchSettings,
  dispatchViolations,
  type PersonOnTicket,
  type SiteLocation,
  type TicketDraft,
} from './dispatch-rules.ts';
import type { GasReadings, WorkTicket } from './ticket-lifecycle.ts';
import * as lifecycle from './ticket-lifecycle.ts';
import type { PracticeDeclaration, TicketStore } from './ticket-store.ts';
import type { TicketTimers } from './ticket-timers.ts';
import { qualificationsFor, type TicketType } from './ticket-types.ts';

export interface TicketDeps {
  tickets: TicketStore;
  timers: TicketTimers;
  certificates: Pick<CertificateRepository, 'listForPerson'>;
  checkIns: CheckInHistory;
  sites: Pick<SiteRepository, 'list'>;
  clock: Clock;
  /** Cross-site permits of people from other sites. */
  permits: PermitsOfPerson;
  /** The tenant's dispatch policy and fatigue limits (settings). */
  policy: TenantSettings;
  /**
   * A ticket refused because a person holds no certificate for its type (work outside their
   * scope, planned): proposed as a violation for a manager to decide (E1); never counted by itself.
   */
  refusedForScope?: (fact: {
    tenantId: string;
    personId: string;
    siteId: string;
    type: string;
  }) => Promise<unknown>;
}

export interface NewTicket extends TicketDraft {
  location: string;
  approverIds: string[];
}

const HOUR = 3600_000;
const iso = (instant: string) => new Date(instant).toISOString();
/** Enough of a person's latest check-ins to find their last work in a type (gate-recorded). */
const LATEST_CHECK_INS = 40;

const actorOf = (p: Principal): Actor => ({ tenantId: p.tenantId, subject: p.subject, role: p.role });

/** Everything the rules need about the people on a draft; the requests it makes grow with the ticket only. */
export async function dispatchFacts(deps: TicketDeps, tenantId: string, draft: NewTicket) {
  const named = [
    ...new Set([
      ...draft.workers.map((w) => w.personId),
      draft.leaderId,
      ...(draft.guardianId ? [draft.guardianId] : []),
      ...draft.approverIds,
    ]),
  ];
  const needsCertificate = new Set(
    draft.workers.filter((w) => qualificationsFor(draft.type, w.role).length).map((w) => w.personId),
  );
  const [policy, fatigue] = await Promise.all([
    deps.policy.read(tenantId, DISPATCH_POLICY),
    deps.policy.read(tenantId, FATIGUE_THRESHOLDS),
  ]);
  const settings = dispatchSettings(policy, fatigue);
  const since = new Date(Date.parse(draft.plannedFrom) - settings.distanceHours * HOUR);
  const [records, siteList, guarding] = await Promise.all([
    deps.tickets.peopleWithHistory(tenantId, named),
    deps.sites.list(tenantId),
    draft.guardianId ? deps.tickets.openTicketsOf(tenantId, draft.guardianId) : Promise.resolve([]),
  ]);
  const people = new Map<string, PersonOnTicket>();
  await Promise.all(
    [...records.values()].map(async (person) => {
      const needs = needsCertificate.has(person.personId);
      const visiting = !!person.homeSiteId && person.homeSiteId !== draft.siteId;
      const [certificates, checkIns, latest, permits] = await Promise.all([
        needs
          ? deps.certificates.listForPerson(tenantId, person.personId).then((cs) => cs.map(certificateFacts))
          : Promise.resolve([]),
        deps.checkIns.checkInsSince(tenantId, person.personId, since),
        needs
          ? deps.checkIns.latestCheckIns(tenantId, person.personId, LATEST_CHECK_INS)
          : Promise.resolve([]),
        visiting ? deps.permits.permitsOf(tenantId, person.personId) : Promise.resolve([]),
      ]);
      const worked = [
        person.history.lastTicket[draft.type],
        ...latest.filter((c) => c.workType === draft.type).map((c) => c.at),
      ].filter((at): at is string => !!at);
      people.set(person.personId, {
        personId: person.personId,
        frozen: person.status.dispatch !== 'allowed',
        ...(person.blacklist && holdActive(person.blacklist, todayInShanghai(new Date(draft.plannedFrom)))
          ? {
              blacklisted: {
                expiresOn: person.blacklist.expiresOn,
                ...(partnerOrganisation(person.blacklist.source)
                  ? { organisation: partnerOrganisation(person.blacklist.source) as string }
                  : {}),
              },
            }
          : {}),
        ...(engagementEnded(person.engagementEnd, todayInShanghai(new Date(draft.plannedFrom)))
          ? { engagementEnded: { on: person.engagementEnd.on, reason: person.engagementEnd.reason } }
          : {}),
        ...(person.homeSiteId ? { homeSiteId: person.homeSiteId } : {}),
        certificates,
        checkIns: checkIns.filter((c) => c.direction === 'in').map(({ siteId, at }) => ({ siteId, at })),
        ...(worked.length ? { lastWorkedInType: worked.sort().at(-1) as string } : {}),
        ...(person.history.reexam[draft.type]
          ? { practicalReexamOn: person.history.reexam[draft.type] as CalendarDate }
          : {}),
        ...(person.history.practice[draft.type]
          ? { practiceDeclaredOn: person.history.practice[draft.type] as CalendarDate }
          : {}),
        crossSitePermits: permits
          .filter((p) => p.status === 'approved')
          .map(({ toSiteId, from, to }) => ({ toSiteId, from, to })),
      });
    }),
  );
  const sites = new Map<string, SiteLocation>(
    siteList.map((s) => [s.siteId, { siteId: s.siteId, lat: s.location.lat, lng: s.location.lng }]),
  );
  const from = Date.parse(draft.plannedFrom);
  const to = Date.parse(draft.plannedTo);
  const guardingNow = guarding.filter(
    (l) => l.part === 'guardian' && Date.parse(l.plannedFrom) < to && Date.parse(l.plannedTo) > from,
  );
  // A closed site takes no new ticket (issue 28).
  const closedSites = new Set(siteList.filter((s) => s.closed).map((s) => s.siteId));
  return { people, sites, closedSites, settings, guardingNow, records };
}

/** Every broken rule of a draft (dispatch rules, plus approvers who are not on record), with the facts read. */
async function check(deps: TicketDeps, tenantId: string, draft: NewTicket, exceptTicketId?: string) {
  const facts = await dispatchFacts(deps, tenantId, draft);
  // A site that is not the tenant's is answered like any other unknown id.
  if (!facts.sites.has(draft.siteId)) throw new NotFound('site_not_found');
  if (facts.closedSites.has(draft.siteId)) throw new Conflict('site_closed');
  const guarding = facts.guardingNow.filter((l) => l.ticketId !== exceptTicketId).length;
  const violations: RuleViolation[] = [
    ...dispatchViolations(draft, facts.people, facts.sites, facts.settings, guarding),
    ...draft.approverIds
      .filter((id) => !facts.records.has(id))
      .map((personId): RuleViolation => ({ code: 'approver_unknown', personId })),
  ];
  return { violations, facts };
}

export async function ticketViolations(
  deps: TicketDeps,
  tenantId: string,
  draft: NewTicket,
  exceptTicketId?: string,
): Promise<RuleViolation[]> {
  return (await check(deps, tenantId, draft, exceptTicketId)).violations;
}

function mayManage(principal: Principal, siteId: string) {
  authorize(principal, 'ticket:write');
  // Another site's ticket is answered like one that does not exist.
  if (!canSeeSite(principal, siteId)) throw new NotFound('ticket_not_found');
}

export async function createTicket(
  deps: TicketDeps,
  principal: Principal,
  input: NewTicket,
  requestId: string,
) {
  authorize(principal, 'ticket:write');
  if (!canSeeSite(principal, input.siteId)) throw new NotFound('site_not_found');
  const { violations, facts } = await check(deps, principal.tenantId, input);
  if (violations.length) {
    if (deps.refusedForScope)
      for (const v of violations.filter((v) => v.code === 'certificate_missing' && v.personId))
        await deps
          .refusedForScope({
            tenantId: principal.tenantId,
            personId: v.personId as string,
            siteId: input.siteId,
            type: input.type,
          })
          .catch((error: unknown) =>
            logger.error('could not propose the violation', { error: errorForLog(error) }),
          );
    throw new RulesBroken('dispatch_rules_broken', violations);
  }
  const now = deps.clock.now();
  const onTicket = new Set(lifecycle.peopleOnTicket(input).map((p) => p.personId));
  const ticket: WorkTicket = {
    ticketId: newId('tkt'),
    siteId: input.siteId,
    type: input.type,
    ...(input.grade !== undefined ? { grade: input.grade } : {}),
    location: input.location,
    plannedFrom: new Date(input.plannedFrom).toISOString(),
    plannedTo: new Date(input.plannedTo).toISOString(),
    workers: input.workers,
    ...(input.shifts?.length
      ? { shifts: input.shifts.map((s) => ({ from: iso(s.from), to: iso(s.to) })) }
      : {}),
    leaderId: input.leaderId,
    ...(input.guardianId ? { guardianId: input.guardianId } : {}),
    approverIds: input.approverIds,
    names: Object.fromEntries(
      [...facts.records.values()]
        .filter((p) => onTicket.has(p.personId))
        .map((p) => [p.personId, maskName(p.name)]),
    ),
    status: 'draft',
    approvals: [],
    gasAnalyses: [],
    createdAt: now.toISOString(),
    createdBy: principal.subject,
    version: 1,
  };
  await deps.tickets.create(actorOf(principal), ticket, requestId, now);
  // The timer is a convenience over expiry on read (findTicket, the board): a failure to
  // arm it is logged, not turned into a failed request that a client would retry into a
  // second ticket.
  await deps.timers
    .expireAt(principal.tenantId, ticket.ticketId, new Date(ticket.plannedTo))
    .catch((error: unknown) =>
      logger.error('could not arm the ticket expiry timer', {
        ticketId: ticket.ticketId,
        error: errorForLog(error),
      }),
    );
  return ticket;
}

/** The ticket's expiry timer fired (jobs function): an open ticket past its window expires. */
export async function expireOnTimer(
  deps: Pick<TicketDeps, 'tickets' | 'clock'>,
  tenantId: string,
  ticketId: string,
) {
  const actor = systemActor(tenantId, 'ticket-expiry');
  return retryOnStale(async () => {
    const ticket = await deps.tickets.get(tenantId, ticketId);
    if (!ticket) return { ticketId, expired: false };
    // Scheduler fires at or just after the instant; never before the window is over.
    const now = new Date(Math.max(deps.clock.now().getTime(), Date.parse(ticket.plannedTo)));
    const expired = lifecycle.expire(ticket, now);
    if (!expired) return { ticketId, expired: false };
    await deps.tickets.save(actor, ticket, expired, 'work-ticket.expire', `ticket-expiry:${ticketId}`, now);
    return { ticketId, expired: true };
  });
}

/** A ticket the caller may see; one whose window is over reads as expired (and is stored so). */
export async function findTicket(
  deps: Pick<TicketDeps, 'tickets' | 'clock'>,
  principal: Principal,
  ticketId: string,
  requestId = 'read',
) {
  authorize(principal, 'ticket:read');
  const ticket = await deps.tickets.get(principal.tenantId, ticketId);
  if (!ticket || !canSeeSite(principal, ticket.siteId)) throw new NotFound('ticket_not_found');
  return (await expireIfOver(deps, actorOf(principal), ticket, requestId)) ?? ticket;
}

async function expireIfOver(
  deps: Pick<TicketDeps, 'tickets' | 'clock'>,
  actor: Actor,
  ticket: WorkTicket,
  requestId: string,
) {
  const now = deps.clock.now();
  const expired = lifecycle.expire(ticket, now);
  if (!expired) return undefined;
  await deps.tickets.save(actor, ticket, expired, 'work-ticket.expire', requestId, now);
  return { ...expired, version: ticket.version + 1 };
}

export async function openTicketsAtSite(
  deps: Pick<TicketDeps, 'tickets' | 'clock'>,
  principal: Principal,
  siteId: string,
) {
  authorize(principal, 'ticket:read');
  if (!canSeeSite(principal, siteId)) throw new NotFound('site_not_found');
  const now = deps.clock.now();
  return (await deps.tickets.openAtSite(principal.tenantId, siteId)).filter((t) => !lifecycle.expire(t, now));
}

/** Read, apply one transition, store version-guarded; a concurrent change re-reads and retries. */
async function transition(
  deps: TicketDeps,
  principal: Principal,
  ticketId: string,
  action: string,
  requestId: string,
  step: (ticket: WorkTicket, now: Date) => Promise<WorkTicket> | WorkTicket,
) {
  return retryOnStale(async () => {
    const ticket = await findTicket(deps, principal, ticketId, requestId);
    const now = deps.clock.now();
    const next = await step(ticket, now);
    if (next === ticket) return ticket;
    await deps.tickets.save(actorOf(principal), ticket, next, action, requestId, now);
    if (lifecycle.isOpen(ticket.status) && !lifecycle.isOpen(next.status))
      await deps.timers
        .cancel(ticket.ticketId)
        .catch((error: unknown) =>
          logger.warn('could not delete the ticket expiry timer', { ticketId, error: errorForLog(error) }),
        );
    return { ...next, version: ticket.version + 1 };
  });
}

export function approveTicket(
  deps: TicketDeps,
  principal: Principal,
  ticketId: string,
  comment: string | undefined,
  requestId: string,
) {
  authorize(principal, 'ticket:approve');
  return transition(deps, principal, ticketId, 'work-ticket.approve', requestId, (t, now) =>
    lifecycle.approve(t, principal.personId, now, comment),
  );
}

export function recordGas(
  deps: TicketDeps,
  principal: Principal,
  ticketId: string,
  analysis: { takenAt: string; analystId: string; readings: GasReadings },
  requestId: string,
) {
  return transition(deps, principal, ticketId, 'work-ticket.gas-analysis', requestId, (t, now) => {
    mayManage(principal, t.siteId);
    return lifecycle.recordGasAnalysis(
      t,
      { ...analysis, takenAt: new Date(analysis.takenAt).toISOString() },
      now,
    );
  });
}

/** Starts the work; every dispatch rule is checked again (a certificate may have lapsed since the draft). */
export function activateTicket(deps: TicketDeps, principal: Principal, ticketId: string, requestId: string) {
  return transition(deps, principal, ticketId, 'work-ticket.activate', requestId, async (t, now) => {
    mayManage(principal, t.siteId);
    const again =
      t.status === 'approved' ? await ticketViolations(deps, principal.tenantId, t, t.ticketId) : [];
    return lifecycle.activate(t, now, again);
  });
}

export function closeTicket(
  deps: TicketDeps,
  principal: Principal,
  ticketId: string,
  reason: string | undefined,
  requestId: string,
) {
  return transition(deps, principal, ticketId, 'work-ticket.close', requestId, (t, now) => {
    mayManage(principal, t.siteId);
    return lifecycle.close(t, now, reason);
  });
}

export function cancelTicket(
  deps: TicketDeps,
  principal: Principal,
  ticketId: string,
  reason: string | undefined,
  requestId: string,
) {
  return transition(deps, principal, ticketId, 'work-ticket.cancel', requestId, (t, now) => {
    mayManage(principal, t.siteId);
    return lifecycle.cancel(t, now, reason);
  });
}

export async function recordPracticalReexam(
  deps: Pick<TicketDeps, 'tickets' | 'clock'>,
  principal: Principal,
  personId: string,
  input: { workType: TicketType; passedOn: CalendarDate; examiner: string },
  requestId: string,
) {
  authorize(principal, 'person:reexam');
  if (input.passedOn > deps.clock.today()) throw new InvalidRequest('reexam_in_future');
  const now = deps.clock.now();
  await deps.tickets.recordReexam(
    actorOf(principal),
    personId,
    input.workType,
    input.passedOn,
    input.examiner,
    requestId,
    now,
  );
  return { personId, workType: input.workType, passedOn: input.passedOn, recordedAt: now.toISOString() };
}

/**
 * hr declares when a person last worked in a type before the product knew them (a new
 * tenant's welders whose cards are older than 6 months are not "6 months away" just because
 * nothing is recorded). Audited with its source; the later date is kept.
 */
export async function declarePractice(
  deps: Pick<TicketDeps, 'tickets' | 'clock'>,
  principal: Principal,
  personId: string,
  input: PracticeDeclaration,
  requestId: string,
) {
  authorize(principal, 'person:reexam');
  if (input.lastPracticedOn > deps.clock.today()) throw new InvalidRequest('practice_in_future');
  const now = deps.clock.now();
  await deps.tickets.recordPractice(actorOf(principal), personId, input, requestId, now);
  return { personId, ...input, declaredAt: now.toISOString() };
}
