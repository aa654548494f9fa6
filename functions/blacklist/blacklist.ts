// Blacklist use cases (SPEC O4): enter a person (group_admin, with evidence and the legal
// basis), list and read entries, appeal (the person or their subcontractor), and decide
// (group_admin: uphold or remove). The hold an entry puts on the person is what the gate,
// dispatch, admission and the status read.
import type * as z from 'zod';
import type { AppealBody, CreateBlacklistBody, DecisionBody } from '../../schemas/blacklist.ts';
import {
  appealProblem,
  type BlacklistEntry,
  entryInForce,
  type FeedEntry,
  feedEntryOf,
  foreignEvidence,
  holdActive,
  type InboundHold,
  newEntry,
  noticeFacts,
  type PartnerHolds,
  stateAfter,
} from '../domain/blacklist-rules.ts';
import type { NotificationRequest } from '../domain/notifications.ts';
import type { PersonRepository } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import { ALLIANCE, type TenantSettings } from '../domain/settings.ts';
import type { StatusCause } from '../domain/status-write.ts';
import { systemActor } from '../shared/audit.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { errorForLog } from '../shared/error-log.ts';
import { ConcurrentModification, Conflict, Forbidden, InvalidRequest, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { logger } from '../shared/logger.ts';
import type { BlacklistRepository } from './blacklist-repository.ts';

/** The admission images an entry cites (the evidence bucket, wired in the composition root). */
export interface EvidenceFiles {
  exists(key: string): Promise<boolean>;
}

export interface BlacklistDeps {
  blacklist: BlacklistRepository;
  people: PersonRepository;
  settings: TenantSettings;
  /** Starts delivering an own entry's change to the partners (the propagation workflow). */
  propagate?: (feed: FeedEntry) => Promise<void>;
  /** Stores the person's status as of today through the one status write (wired in the composition root). */
  restatus: (actor: Actor, personId: string, requestId: string, cause: StatusCause) => Promise<void>;
  clock: Clock;
}

/**
 * After a hold is put on or taken off: the person's stored status follows (red with
 * `blacklisted`, or back to what the certificates say), so lists, the heat map and managers'
 * notices see it. The hold itself is stored and already turns the gate; a failure here is
 * logged as an error (after a removal the gate view stays frozen, failing closed, until the
 * next read of the person's status or any status write stores it).
 */
async function restated(deps: BlacklistDeps, actor: Actor, personId: string, requestId: string) {
  try {
    await deps.restatus(actor, personId, requestId, 'person.blacklist');
  } catch (error) {
    logger.error('status not stored after a blacklist hold changed', { error: errorForLog(error), personId });
  }
}

/** After the change is stored: its feed item is the record; a failed start is caught up by the pull. */
async function propagated(deps: BlacklistDeps, federated: { feed?: FeedEntry }) {
  if (!federated.feed || !deps.propagate) return;
  try {
    await deps.propagate(federated.feed);
  } catch (error) {
    logger.warn('propagation not started', { error: errorForLog(error), entryRef: federated.feed.entryRef });
  }
}

/** What an own entry's change shares with partners: only for a tenant that joined, as a pseudonym. */
async function feedOf(
  deps: BlacklistDeps,
  entry: BlacklistEntry,
  pseudonym: string | undefined,
  action: FeedEntry['action'],
) {
  if (entry.source.type !== 'own' || !pseudonym) return {};
  if (!(await deps.settings.read(entry.tenantId, ALLIANCE)).joined) return {};
  return { feed: feedEntryOf(entry, pseudonym, action, deps.clock.now().toISOString()) };
}

const actorOf = (p: Principal) => ({ subject: p.subject, role: p.role });

export async function enterOnBlacklist(
  deps: BlacklistDeps & { evidence: EvidenceFiles },
  principal: Principal,
  body: z.output<typeof CreateBlacklistBody>,
  requestId: string,
): Promise<BlacklistEntry> {
  authorize(principal, 'blacklist:create');
  const person = await findPerson(deps.people, principal, body.personId);
  const foreign = foreignEvidence(principal.tenantId, person.personId, body.evidence);
  if (foreign.length)
    throw new InvalidRequest(
      'validation_failed',
      foreign.map(() => ({ field: 'evidence', code: 'foreign_evidence', message: 'foreign_evidence' })),
    );
  // Cited evidence must be there: an entry that keeps someone out for years rests on it.
  const found = await Promise.all(body.evidence.map((key) => deps.evidence.exists(key)));
  const missing = body.evidence.flatMap((_, i) => (found[i] ? [] : [i]));
  if (missing.length)
    throw new InvalidRequest(
      'validation_failed',
      missing.map((i) => ({
        field: `evidence.${i}`,
        code: 'evidence_not_found',
        message: 'evidence_not_found',
      })),
    );
  const today = deps.clock.today();
  const entry = newEntry({
    entryId: newId('bl'),
    person,
    reasonCode: body.reasonCode,
    evidence: body.evidence,
    note: body.note ?? '',
    source: { type: 'own' },
    today,
    at: deps.clock.now().toISOString(),
    createdBy: principal.subject,
  });
  const federated = await feedOf(deps, entry, person.pseudonym, 'add');
  await deps.blacklist.create(principal, entry, entryNotice(entry), today, requestId, federated);
  await restated(deps, principal, entry.personId, requestId);
  await propagated(deps, federated);
  return entry;
}

/**
 * A partner's entry, landed on one of our people in a tenant that joined the alliance: the
 * same hold and notice as our own, with the partner named as the source and no evidence.
 * Undefined when the person already has a hold (theirs stays) or the tenant has not joined.
 */
export async function enterFromPartner(
  deps: BlacklistDeps,
  partner: { partnerId: string; name: string },
  inbound: InboundHold,
  target: { tenantId: string; personId: string },
  requestId: string,
): Promise<BlacklistEntry | undefined> {
  if (!(await deps.settings.read(target.tenantId, ALLIANCE)).joined) return undefined;
  const person = await deps.people.get(target.tenantId, target.personId);
  const today = deps.clock.today();
  if (!person || holdActive(person.blacklist, today)) return undefined;
  const entry = newEntry({
    entryId: newId('bl'),
    person,
    reasonCode: inbound.reasonCode,
    evidence: [],
    note: '',
    // The source is the registered partner: a pushed label can never present the entry as
    // another association's; it is kept as detail under the partner's own name.
    source: {
      type: 'partner',
      partnerId: partner.partnerId,
      organisation: partner.name,
      ...(inbound.organisation && inbound.organisation !== partner.name
        ? { reportedAs: inbound.organisation }
        : {}),
    },
    today,
    at: deps.clock.now().toISOString(),
    createdBy: `partner:${partner.partnerId}`,
    // The partner's expiry, never longer than ours would be.
    notAfter: inbound.expiresOn,
  });
  const actor = systemActor(target.tenantId, 'federation');
  try {
    await deps.blacklist.create(actor, entry, entryNotice(entry), today, requestId, {
      inbound: { partnerId: partner.partnerId, entryRef: inbound.entryRef },
    });
  } catch (error) {
    // Landed already (a re-push) or held meanwhile: nothing more to do for this tenant.
    if (error instanceof Conflict || error instanceof ConcurrentModification) return undefined;
    throw error;
  }
  await restated(deps, actor, entry.personId, requestId);
  return entry;
}

/** A partner withdrew its entry: the entry it made here is removed and the hold comes off. */
/** The blacklist as federation's port onto it (wired in the composition root). */
export const partnerHolds = (deps: BlacklistDeps): PartnerHolds => ({
  enter: (partner, inbound, target, requestId) => enterFromPartner(deps, partner, inbound, target, requestId),
  remove: (partnerId, landed, requestId) => removeFromPartner(deps, partnerId, landed, requestId),
});

export async function removeFromPartner(
  deps: BlacklistDeps,
  partnerId: string,
  landed: { tenantId: string; entryId: string },
  requestId: string,
) {
  return retryOnStale(async () => {
    const entry = await deps.blacklist.get(landed.tenantId, landed.entryId);
    if (
      !entry ||
      entry.state === 'removed' ||
      entry.source.type !== 'partner' ||
      entry.source.partnerId !== partnerId
    )
      return undefined;
    const actor = systemActor(landed.tenantId, 'federation');
    const person = await deps.people.get(landed.tenantId, entry.personId);
    const changed: BlacklistEntry = {
      ...entry,
      state: 'removed',
      decisions: [
        ...entry.decisions,
        {
          decision: 'remove',
          note: 'withdrawn by the reporting partner',
          by: { subject: actor.subject, role: actor.role },
          at: deps.clock.now().toISOString(),
        },
      ],
    };
    const releaseHold = person?.blacklist?.entryId === entry.entryId;
    await deps.blacklist.update(
      actor,
      changed,
      { action: 'blacklist.remove', releaseHold, notices: [decisionNotice(entry, 'remove')] },
      requestId,
    );
    if (releaseHold) await restated(deps, actor, entry.personId, requestId);
    return changed;
  });
}

/** The person is told of an entry about them: what, until when, how to appeal. */
function entryNotice(entry: BlacklistEntry): NotificationRequest {
  return {
    kind: 'blacklist_notice',
    mailbox: `PERSON#${entry.personId}`,
    personId: entry.personId,
    nameMasked: entry.nameMasked,
    reasons: [],
    blacklist: noticeFacts(entry),
  };
}

function decisionNotice(entry: BlacklistEntry, decision: 'uphold' | 'remove'): NotificationRequest {
  return {
    kind: 'blacklist_decision',
    mailbox: `PERSON#${entry.personId}`,
    personId: entry.personId,
    nameMasked: entry.nameMasked,
    reasons: [],
    blacklist: { entryId: entry.entryId, reasonCode: entry.reasonCode, expiresOn: entry.expiresOn, decision },
  };
}

/** Who may read an entry: the blacklist's readers, the person, or their subcontractor. */
function mayRead(principal: Principal, entry: BlacklistEntry) {
  if (principal.personId && principal.personId === entry.personId) return true;
  if (principal.role === 'subcontractor')
    return !!entry.subcontractorId && entry.subcontractorId === principal.subcontractorId;
  return ['group_admin', 'hr', 'auditor'].includes(principal.role);
}

export async function findEntry(deps: BlacklistDeps, principal: Principal, entryId: string) {
  const entry = await deps.blacklist.get(principal.tenantId, entryId);
  // Out of scope answers like another tenant's: not found.
  if (!entry || !mayRead(principal, entry)) throw new NotFound('blacklist_entry_not_found');
  return entry;
}

export async function listEntries(deps: BlacklistDeps, principal: Principal, inForceOnly: boolean) {
  authorize(principal, 'blacklist:read');
  const today = deps.clock.today();
  const entries = await deps.blacklist.list(principal.tenantId);
  return entries
    .filter((e) => !inForceOnly || entryInForce(e, today))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function appealEntry(
  deps: BlacklistDeps,
  principal: Principal,
  entryId: string,
  body: z.output<typeof AppealBody>,
  requestId: string,
) {
  return retryOnStale(async () => {
    const entry = await findEntry(deps, principal, entryId);
    const problem = appealProblem(entry, principal, deps.clock.today());
    if (problem === 'not_yours') throw new Forbidden('not_yours');
    if (problem) throw new InvalidRequest(problem);
    const changed: BlacklistEntry = {
      ...entry,
      state: 'appealed',
      appeals: [
        ...entry.appeals,
        { statement: body.statement, by: actorOf(principal), at: deps.clock.now().toISOString() },
      ],
    };
    await deps.blacklist.update(
      principal,
      changed,
      {
        action: 'blacklist.appeal',
        releaseHold: false,
        notices: [
          {
            kind: 'blacklist_appeal',
            mailbox: 'ROLE#hr',
            personId: entry.personId,
            nameMasked: entry.nameMasked,
            reasons: [],
            blacklist: { entryId: entry.entryId, reasonCode: entry.reasonCode, expiresOn: entry.expiresOn },
          },
        ],
      },
      requestId,
    );
    return { ...changed, version: entry.version + 1 };
  });
}

export async function decideEntry(
  deps: BlacklistDeps,
  principal: Principal,
  entryId: string,
  body: z.output<typeof DecisionBody>,
  requestId: string,
) {
  authorize(principal, 'blacklist:decide');
  return retryOnStale(async () => {
    const entry = await findEntry(deps, principal, entryId);
    if (entry.state === 'removed') throw new InvalidRequest('not_in_force');
    const changed: BlacklistEntry = {
      ...entry,
      state: stateAfter(body.decision),
      decisions: [
        ...entry.decisions,
        {
          decision: body.decision,
          note: body.note,
          by: actorOf(principal),
          at: deps.clock.now().toISOString(),
        },
      ],
    };
    // Only the hold this entry put there comes off (a later entry's hold stays).
    const person = await deps.people.get(principal.tenantId, entry.personId);
    const releaseHold = body.decision === 'remove' && person?.blacklist?.entryId === entry.entryId;
    const federated =
      body.decision === 'remove'
        ? await feedOf(deps, { ...changed, version: entry.version + 1 }, person?.pseudonym, 'remove')
        : {};
    await deps.blacklist.update(
      principal,
      changed,
      {
        action: `blacklist.${body.decision}`,
        releaseHold,
        notices: [decisionNotice(entry, body.decision)],
        federated,
      },
      requestId,
    );
    if (releaseHold) await restated(deps, principal, entry.personId, requestId);
    await propagated(deps, federated);
    return { ...changed, version: entry.version + 1 };
  });
}

/** An entry as the API shows it: no internal version, evidence keys only to those who may decide. */
export function entryView(entry: BlacklistEntry, principal: Principal, today: string) {
  const { version: _v, tenantId: _t, ...view } = entry;
  const mayDecide =
    principal.role === 'group_admin' || principal.role === 'hr' || principal.role === 'auditor';
  return { ...view, inForce: entryInForce(entry, today), ...(mayDecide ? {} : { evidence: [] }) };
}

/**
 * The expiry day of own entries (daily job): each one that reached it is sent to partners
 * (`expire`), exactly as its creation was, once; the hold needs nothing (it counts until that
 * day) but is taken off the person for tidiness. Entries of tenants outside the alliance are
 * only marked.
 */
export async function announceExpiries(deps: BlacklistDeps, day: string, requestId: string) {
  // expired: entries that reached their day; announced: those sent to partners (a tenant
  // outside the alliance, or a person without a pseudonym, expires without an announcement).
  let expired = 0;
  let announced = 0;
  for (const entry of await deps.blacklist.expiringOn(day)) {
    if (entry.state === 'removed' || entry.expiryAnnouncedAt || entry.expiresOn !== day) continue;
    await retryOnStale(async () => {
      const current = (await deps.blacklist.get(entry.tenantId, entry.entryId)) ?? entry;
      if (current.expiryAnnouncedAt || current.state === 'removed') return;
      const person = await deps.people.get(current.tenantId, current.personId);
      const changed: BlacklistEntry = { ...current, expiryAnnouncedAt: deps.clock.now().toISOString() };
      const federated = await feedOf(
        deps,
        { ...changed, version: current.version + 1 },
        person?.pseudonym,
        'expire',
      );
      const actor = systemActor(current.tenantId, 'blacklist-expiry');
      const releaseHold = person?.blacklist?.entryId === current.entryId;
      await deps.blacklist.update(
        actor,
        changed,
        { action: 'blacklist.expire', releaseHold, notices: [], federated },
        requestId,
      );
      // The status sweep comes back on the hold's last day too (nextChangeOn); a hold stored
      // before statuses carried it is put right here.
      if (releaseHold) await restated(deps, actor, current.personId, requestId);
      await propagated(deps, federated);
      expired += 1;
      if (federated.feed) announced += 1;
    });
  }
  return { day, expired, announced };
}
