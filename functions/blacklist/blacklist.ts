// Blacklist use cases (SPEC O4): enter a person (group_admin, with evidence and the legal
// basis), list and read entries, appeal (the person or their subcontractor), and decide
// (group_admin: uphold or remove). The hold an entry puts on the person is what the gate,
// dispatch, admission and the status read.
import type * as z from 'zod';
import type { AppealBody, CreateBlacklistBody, DecisionBody } from '../../schemas/blacklist.ts';
import { findPerson } from '../people/people.ts';
import type { PersonRepository } from '../people/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { addDays } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { Forbidden, InvalidRequest, NotFound } from '../shared/errors.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import type { NotificationRequest } from '../status/status-change.ts';
import type { BlacklistRepository } from './blacklist-repository.ts';
import {
  APPEAL_DAYS,
  appealProblem,
  type BlacklistEntry,
  entryInForce,
  expiresOnFor,
  foreignEvidence,
  LEGAL_BASIS,
  noticeFacts,
  stateAfter,
} from './blacklist-rules.ts';

export interface BlacklistDeps {
  blacklist: BlacklistRepository;
  people: PersonRepository;
  clock: Clock;
}

const actorOf = (p: Principal) => ({ subject: p.subject, role: p.role });

export async function enterOnBlacklist(
  deps: BlacklistDeps,
  principal: Principal,
  body: z.output<typeof CreateBlacklistBody>,
  requestId: string,
): Promise<BlacklistEntry> {
  authorize(principal, 'blacklist:create');
  const person = await findPerson(deps.people, principal, body.personId);
  const foreign = foreignEvidence(principal.tenantId, body.evidence);
  if (foreign.length)
    throw new InvalidRequest(
      'validation_failed',
      foreign.map(() => ({ field: 'evidence', code: 'foreign_evidence', message: 'foreign_evidence' })),
    );
  const now = deps.clock.now();
  const today = deps.clock.today();
  const entry: BlacklistEntry = {
    entryId: newId('bl'),
    tenantId: principal.tenantId,
    personId: person.personId,
    nameMasked: maskName(person.name),
    ...(person.employer.type === 'subcontractor' && person.employer.subcontractorId
      ? { subcontractorId: person.employer.subcontractorId }
      : {}),
    reasonCode: body.reasonCode,
    legalBasis: LEGAL_BASIS[body.reasonCode],
    evidence: body.evidence,
    note: body.note ?? '',
    source: { type: 'own' },
    state: 'active',
    createdOn: today,
    expiresOn: expiresOnFor(today),
    appealBy: addDays(today, APPEAL_DAYS),
    appeals: [],
    decisions: [],
    createdAt: now.toISOString(),
    createdBy: principal.subject,
    version: 1,
  };
  const notice: NotificationRequest = {
    kind: 'blacklist_notice',
    mailbox: `PERSON#${person.personId}`,
    personId: person.personId,
    nameMasked: entry.nameMasked,
    reasons: [],
    blacklist: noticeFacts(entry),
  };
  await deps.blacklist.create(principal, entry, notice, today, requestId);
  return entry;
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
    await deps.blacklist.update(
      principal,
      changed,
      {
        action: `blacklist.${body.decision}`,
        releaseHold,
        notices: [
          {
            kind: 'blacklist_decision',
            mailbox: `PERSON#${entry.personId}`,
            personId: entry.personId,
            nameMasked: entry.nameMasked,
            reasons: [],
            blacklist: {
              entryId: entry.entryId,
              reasonCode: entry.reasonCode,
              expiresOn: entry.expiresOn,
              decision: body.decision,
            },
          },
        ],
      },
      requestId,
    );
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
