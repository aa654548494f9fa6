// Changing a subcontractor after it was registered (issue 28): correcting its details, and
// ending its contract — from a day on, its workers are refused at every gate, put on no
// ticket and read red, until the termination is undone. The subcontractor item carries the
// termination; a background pass carries it onto each worker (their person and gate view),
// a page at a time, converging on whatever the subcontractor says when it runs — so a pass
// redelivered, or overtaken by a reversal, leaves every worker as the subcontractor is now.
import type { TerminationBody, UpdateSubcontractorBody } from '../../schemas/subcontractors.ts';
import type { EngagementEnd } from '../domain/engagement.ts';
import type { PersonRecord, PersonRepository } from '../domain/person.ts';
import {
  type SubcontractorRecord,
  type SubcontractorRepository,
  subcontractorVersion,
  workerEngagementEnd,
} from '../domain/subcontractors.ts';
import { authorize, canSeeSubcontractor } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequest, NotFound, PreconditionFailed } from '../shared/errors.ts';
import { checkUscc } from '../shared/identity-numbers.ts';

export interface ContractDeps {
  subcontractors: SubcontractorRepository;
  clock: Clock;
  /** The workers are to follow the subcontractor's termination (or its reversal): a background pass. */
  workersToFollow: (tenantId: string, subcontractorId: string) => Promise<void>;
}

async function current(
  deps: ContractDeps,
  principal: Principal,
  subcontractorId: string,
  expectedVersion: number,
) {
  const record = canSeeSubcontractor(principal, subcontractorId)
    ? await deps.subcontractors.get(principal.tenantId, subcontractorId)
    : undefined;
  if (!record) throw new NotFound('subcontractor_not_found');
  if (subcontractorVersion(record) !== expectedVersion) throw new PreconditionFailed('stale_version');
  return record;
}

const next = (deps: ContractDeps, record: SubcontractorRecord): SubcontractorRecord => ({
  ...record,
  version: subcontractorVersion(record) + 1,
  updatedAt: deps.clock.now().toISOString(),
});

export async function correctSubcontractor(
  deps: ContractDeps,
  principal: Principal,
  subcontractorId: string,
  changes: UpdateSubcontractorBody,
  expectedVersion: number,
  requestId: string,
): Promise<SubcontractorRecord> {
  authorize(principal, 'subcontractor:update');
  const before = await current(deps, principal, subcontractorId, expectedVersion);
  const after = next(deps, before);
  if (changes.name !== undefined) after.name = changes.name;
  if (changes.contacts !== undefined)
    after.contacts = changes.contacts.map((c) => ({
      name: c.name,
      phone: c.phone.replace(/[\s-]/g, ''),
      ...(c.role ? { role: c.role } : {}),
    }));
  if (changes.unifiedSocialCreditCode !== undefined) {
    const code = changes.unifiedSocialCreditCode.trim().toUpperCase();
    const verdict = checkUscc(code);
    if (verdict === 'format')
      throw new InvalidRequest('validation_failed', [
        { field: 'unifiedSocialCreditCode', code: 'uscc_format', message: 'uscc_format' },
      ]);
    after.unifiedSocialCreditCode = code;
    if (verdict === 'bad_check_char') after.usccCheckFailed = true;
    else delete after.usccCheckFailed;
  }
  await deps.subcontractors.update(principal, before, after, 'subcontractor.update', requestId);
  return after;
}

export async function terminateSubcontractor(
  deps: ContractDeps,
  principal: Principal,
  subcontractorId: string,
  body: TerminationBody,
  expectedVersion: number,
  requestId: string,
): Promise<SubcontractorRecord> {
  authorize(principal, 'subcontractor:terminate');
  const now = deps.clock.now();
  if (body.effectiveOn < todayInShanghai(now))
    throw new InvalidRequest('validation_failed', [
      { field: 'effectiveOn', code: 'effective_on_in_past', message: 'effective_on_in_past' },
    ]);
  const before = await current(deps, principal, subcontractorId, expectedVersion);
  const after: SubcontractorRecord = {
    ...next(deps, before),
    termination: {
      effectiveOn: body.effectiveOn,
      reason: body.reason,
      recordedAt: now.toISOString(),
      recordedBy: principal.subject,
    },
  };
  await deps.subcontractors.update(principal, before, after, 'subcontractor.terminate', requestId);
  await deps.workersToFollow(principal.tenantId, subcontractorId);
  return after;
}

export async function reinstateSubcontractor(
  deps: ContractDeps,
  principal: Principal,
  subcontractorId: string,
  expectedVersion: number,
  requestId: string,
): Promise<SubcontractorRecord> {
  authorize(principal, 'subcontractor:terminate');
  const before = await current(deps, principal, subcontractorId, expectedVersion);
  if (!before.termination) return before;
  const { termination: _, ...rest } = next(deps, before);
  await deps.subcontractors.update(principal, before, rest, 'subcontractor.reinstate', requestId);
  await deps.workersToFollow(principal.tenantId, subcontractorId);
  return rest;
}

/** Workers per background step: each is one small transaction. */
export const WORKERS_PER_PAGE = 25;

/** What a worker's engagement end should be, given their subcontractor now. */
export function engagementEndFor(person: PersonRecord, sub: SubcontractorRecord): EngagementEnd | undefined {
  const own = person.engagementEnd;
  // A departure is the person's own story: a contract's end neither sets nor lifts it.
  if (own && own.reason !== 'subcontractor_terminated') return own;
  // Still its worker: they follow it. (Moved elsewhere, a correction lifted it already.)
  return person.employer.subcontractorId === sub.subcontractorId ? workerEngagementEnd(sub) : own;
}

export interface FollowDeps {
  subcontractors: Pick<SubcontractorRepository, 'get'>;
  people: Pick<PersonRepository, 'list' | 'get' | 'correct'>;
  /** Stores a worker's status as of today (the end counts in it: red from its day). */
  restatus: (actor: Actor, personId: string, requestId: string) => Promise<void>;
  clock: Clock;
}

/**
 * One page of a subcontractor's workers made to follow it: each whose engagement end differs
 * is corrected (a re-read and retry when the person changed meanwhile). Returns the cursor of
 * the next page, if any.
 */
export async function followPage(
  deps: FollowDeps,
  actor: Actor,
  subcontractorId: string,
  cursor: string | undefined,
  requestId: string,
): Promise<string | undefined> {
  const tenantId = actor.tenantId;
  const sub = await deps.subcontractors.get(tenantId, subcontractorId);
  if (!sub) return undefined;
  const page = await deps.people.list(tenantId, {
    subcontractorId,
    limit: WORKERS_PER_PAGE,
    ...(cursor ? { cursor } : {}),
  });
  for (const listed of page.items) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const person = attempt === 1 ? listed : await deps.people.get(tenantId, listed.personId);
      if (!person) break;
      const end = engagementEndFor(person, sub);
      if (JSON.stringify(end) === JSON.stringify(person.engagementEnd)) break;
      const { engagementEnd: _, ...rest } = person;
      const after: PersonRecord = {
        ...rest,
        ...(end ? { engagementEnd: end } : {}),
        version: person.version + 1,
        updatedAt: deps.clock.now().toISOString(),
      };
      try {
        await deps.people.correct(actor, { before: person, after }, requestId);
        await deps.restatus(actor, person.personId, requestId);
        break;
      } catch (error) {
        if (!(error instanceof PreconditionFailed) || attempt === 3) throw error;
      }
    }
  }
  return page.nextCursor;
}
