// Violations, points and suspension for training (SPEC E1). A site manager or the group
// records a violation (confirmed by the person recording it), or confirms or dismisses one
// the product proposed — nothing punishes without a person confirming. When the confirmed
// points in the rolling window reach the tenant's threshold, the person is suspended for
// training: the suspension lies on the person (red, gate and dispatch frozen, reason
// `suspended`, on the gate view and the offline lists) with the courses it assigns; hr
// records each course done, and a manager reinstates the person once all are done.

import { findPerson, type PersonRecord, type PersonRepository } from '../domain/person.ts';
import { setting, type TenantSettings } from '../domain/settings.ts';
import { reviewAtRiskInForce, type Suspension } from '../domain/suspension.ts';
import { subjectOf, type WebhookEvent } from '../domain/webhook-events.ts';
import { authorize, canSeePerson, canSeeSite } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { type CalendarDate, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound, PreconditionFailed, RulesBroken } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import {
  coursesFor,
  DEFAULT_POINTS_POLICY,
  inWindow,
  type PointsPolicy,
  pointsInForce,
  reachesThreshold,
  reviewAtRisk,
  reviewAtRiskUntil,
  type ViolationType,
} from './points.ts';

export const POINTS_POLICY = setting<PointsPolicy>('violation-points', DEFAULT_POINTS_POLICY);

export interface ViolationRecord {
  violationId: string;
  tenantId: string;
  personId: string;
  type: ViolationType;
  occurredAt: string;
  occurredOn: CalendarDate;
  siteId: string;
  /** S3 keys of the evidence (photos, the scan), through the presigned uploads. */
  evidence: string[];
  note?: string;
  serious?: boolean;
  status: 'proposed' | 'confirmed' | 'dismissed';
  /** The points it counts, fixed when confirmed. */
  points?: number;
  source: 'manual' | 'gate' | 'dispatch';
  recordedBy: string;
  recordedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionNote?: string;
}

export interface ViolationStore {
  /** Stores a new violation, audited, with the events it causes (written with it). */
  create(actor: Actor, violation: ViolationRecord, requestId: string, events?: WebhookEvent[]): Promise<void>;
  get(tenantId: string, violationId: string): Promise<ViolationRecord | undefined>;
  ofPerson(tenantId: string, personId: string): Promise<ViolationRecord[]>;
  /** Stores a decision on a proposal still proposed (Conflict otherwise), audited. */
  decide(actor: Actor, after: ViolationRecord, requestId: string, events?: WebhookEvent[]): Promise<void>;
}

export interface ViolationDeps {
  violations: ViolationStore;
  people: PersonRepository;
  settings: TenantSettings;
  /** Stores the person's status as of now (a suspension or a review mark counts in it). */
  restatus: (actor: Actor, personId: string, requestId: string) => Promise<void>;
  clock: Clock;
}

const within = (principal: Principal, siteId: string) => {
  if (!canSeeSite(principal, siteId)) throw new NotFound('site_not_found');
};

export async function recordViolation(
  deps: ViolationDeps,
  principal: Principal,
  body: {
    personId: string;
    type: ViolationType;
    occurredAt: string;
    siteId: string;
    evidence?: string[];
    note?: string;
    serious?: boolean;
  },
  requestId: string,
): Promise<ViolationRecord> {
  authorize(principal, 'violation:write');
  within(principal, body.siteId);
  const person = await findPerson(deps.people, principal, body.personId);
  const now = deps.clock.now();
  if (Date.parse(body.occurredAt) > now.getTime())
    throw new RulesBroken('violation_in_future', [{ code: 'violation_in_future' }]);
  const policy = await deps.settings.read(principal.tenantId, POINTS_POLICY);
  const violation: ViolationRecord = {
    violationId: newId('vio'),
    tenantId: principal.tenantId,
    personId: person.personId,
    type: body.type,
    occurredAt: new Date(body.occurredAt).toISOString(),
    occurredOn: todayInShanghai(new Date(body.occurredAt)),
    siteId: body.siteId,
    evidence: body.evidence ?? [],
    ...(body.note ? { note: body.note } : {}),
    ...(body.serious ? { serious: true } : {}),
    // Recorded by a person: confirmed by that person.
    status: 'confirmed',
    points: policy.points[body.type],
    source: 'manual',
    recordedBy: principal.subject,
    recordedAt: now.toISOString(),
    decidedBy: principal.subject,
    decidedAt: now.toISOString(),
  };
  await deps.violations.create(principal, violation, requestId, [
    await pointsChanged(deps, person, violation, policy),
  ]);
  await consequences(deps, principal, person.personId, policy, requestId);
  return violation;
}

/** A violation the product noticed (a frozen badge at a hot-work gate …): proposed, never counted until confirmed. */
export async function proposeViolation(
  deps: Pick<ViolationDeps, 'violations' | 'clock'>,
  actor: Actor,
  proposal: {
    personId: string;
    type: ViolationType;
    occurredAt: string;
    siteId: string;
    source: 'gate' | 'dispatch';
    note?: string;
  },
  requestId: string,
): Promise<ViolationRecord> {
  // One proposal a day per person, kind and site: a badge tried ten times, a draft retried, is one matter.
  const day = todayInShanghai(new Date(proposal.occurredAt));
  const open = (await deps.violations.ofPerson(actor.tenantId, proposal.personId)).find(
    (v) =>
      v.status === 'proposed' &&
      v.type === proposal.type &&
      v.siteId === proposal.siteId &&
      v.occurredOn === day,
  );
  if (open) return open;
  const violation: ViolationRecord = {
    violationId: newId('vio'),
    tenantId: actor.tenantId,
    personId: proposal.personId,
    type: proposal.type,
    occurredAt: proposal.occurredAt,
    occurredOn: todayInShanghai(new Date(proposal.occurredAt)),
    siteId: proposal.siteId,
    evidence: [],
    ...(proposal.note ? { note: proposal.note } : {}),
    status: 'proposed',
    source: proposal.source,
    recordedBy: actor.subject,
    recordedAt: deps.clock.now().toISOString(),
  };
  await deps.violations.create(actor, violation, requestId);
  return violation;
}

/** A violation as its reader may see it: of a person they may see (a worker: their own), at a site in scope. */
export async function findViolation(
  deps: Pick<ViolationDeps, 'violations' | 'people'>,
  principal: Principal,
  violationId: string,
) {
  authorize(principal, 'violation:read');
  const found = /^vio_[0-9A-Z]{26}$/.test(violationId)
    ? await deps.violations.get(principal.tenantId, violationId)
    : undefined;
  if (!found || !canSeeSite(principal, found.siteId)) throw new NotFound('violation_not_found');
  const person = await deps.people.get(principal.tenantId, found.personId);
  if (!person || !canSeePerson(principal, person)) throw new NotFound('violation_not_found');
  return found;
}

export async function decideViolation(
  deps: ViolationDeps,
  principal: Principal,
  violationId: string,
  decision: { confirm: boolean; note?: string; serious?: boolean },
  requestId: string,
): Promise<ViolationRecord> {
  authorize(principal, 'violation:write');
  const before = await findViolation(deps, principal, violationId);
  if (before.status !== 'proposed') throw new Conflict('violation_decided');
  const policy = await deps.settings.read(principal.tenantId, POINTS_POLICY);
  const now = deps.clock.now().toISOString();
  const after: ViolationRecord = {
    ...before,
    status: decision.confirm ? 'confirmed' : 'dismissed',
    ...(decision.confirm ? { points: policy.points[before.type] } : {}),
    ...(decision.serious ? { serious: true } : {}),
    decidedBy: principal.subject,
    decidedAt: now,
    ...(decision.note ? { decisionNote: decision.note } : {}),
  };
  const person = decision.confirm ? await deps.people.get(principal.tenantId, before.personId) : undefined;
  await deps.violations.decide(
    principal,
    after,
    requestId,
    person ? [await pointsChanged(deps, person, after, policy)] : [],
  );
  if (person) await consequences(deps, principal, person.personId, policy, requestId);
  return after;
}

/** The person's points in force once this violation counts: what an insurer's threshold reads (E2). */
async function pointsChanged(
  deps: Pick<ViolationDeps, 'violations' | 'clock'>,
  person: PersonRecord,
  confirmed: ViolationRecord,
  policy: PointsPolicy,
): Promise<WebhookEvent> {
  const now = deps.clock.now();
  const others = (await deps.violations.ofPerson(person.tenantId, person.personId)).filter(
    (v) => v.status === 'confirmed' && v.violationId !== confirmed.violationId,
  );
  return {
    eventId: newId('evt'),
    type: 'person.points_changed',
    occurredAt: now.toISOString(),
    data: {
      ...subjectOf(person),
      points: pointsInForce([...others, confirmed], policy, todayInShanghai(now)),
      threshold: policy.threshold,
      violationType: confirmed.type,
      occurredOn: confirmed.occurredOn,
    },
  };
}

/**
 * What the confirmed violations in force mean for the person: suspended for training at the
 * threshold (once: a suspended person is not suspended again), their MEM certificates'
 * review marked at risk at two (or one serious). Both through the person's one status write.
 */
async function consequences(
  deps: ViolationDeps,
  actor: Principal,
  personId: string,
  policy: PointsPolicy,
  requestId: string,
) {
  // Read fresh and retried: the registry's answer or a sweep may write the person meanwhile.
  for (let attempt = 1; ; attempt++) {
    const person = await deps.people.get(actor.tenantId, personId);
    if (!person) return;
    try {
      return await consequencesFor(deps, actor, person, policy, requestId);
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || attempt >= 3) throw error;
    }
  }
}

async function consequencesFor(
  deps: ViolationDeps,
  actor: Principal,
  person: PersonRecord,
  policy: PointsPolicy,
  requestId: string,
) {
  const today = todayInShanghai(deps.clock.now());
  const all = await deps.violations.ofPerson(person.tenantId, person.personId);
  const counted = all.filter((v) => v.status === 'confirmed');
  const suspend = !person.suspension && reachesThreshold(counted, policy, today);
  // A mark in force is kept (its `since`) but lasts as long as the newest violations make it;
  // a lapsed one is set afresh.
  const inForce = reviewAtRiskInForce(person.reviewAtRisk, today) ? person.reviewAtRisk : undefined;
  const until = reviewAtRiskUntil(counted, policy, today);
  const atRisk =
    reviewAtRisk(counted, policy, today) &&
    (!inForce || (!!inForce.until && (!until || until > inForce.until)));
  if (!suspend && !atRisk) return;
  const now = deps.clock.now().toISOString();
  const suspension: Suspension | undefined = suspend
    ? {
        since: today,
        points: pointsInForce(counted, policy, today),
        violationIds: counted.map((v) => v.violationId),
        courses: coursesFor(counted, policy, today).map((courseId) => ({ courseId })),
      }
    : undefined;
  const after: PersonRecord = {
    ...person,
    ...(suspension ? { suspension } : {}),
    ...(atRisk
      ? {
          reviewAtRisk: {
            since: inForce?.since ?? today,
            ...(until ? { until } : {}),
            violationIds: counted.filter((v) => inWindow(v, policy, today)).map((v) => v.violationId),
          },
        }
      : {}),
    version: person.version + 1,
    updatedAt: now,
  };
  await deps.people.correct(
    actor,
    { before: person, after, action: suspend ? 'person.suspend' : 'person.review_at_risk' },
    requestId,
  );
  await deps.restatus(actor, person.personId, requestId);
}

/**
 * Read, decide and write again when the person changed in between (a sweep, the registry's
 * answer, another manager): these routes take no If-Match, so a stale version (the person
 * repository's 412) is ours to resolve, never the caller's; still changing after three reads
 * answers 409.
 */
const onFreshPerson = <T>(step: () => Promise<T>) =>
  retryOnStale(step, 3, (error) => error instanceof PreconditionFailed);

export async function completeCourse(
  deps: ViolationDeps,
  principal: Principal,
  personId: string,
  courseId: string,
  body: { evidence?: string[]; note?: string },
  requestId: string,
): Promise<PersonRecord> {
  authorize(principal, 'course:complete');
  return onFreshPerson(async () => {
    const person = await findPerson(deps.people, principal, personId);
    const course = person.suspension?.courses.find((c) => c.courseId === courseId);
    if (!person.suspension || !course) throw new NotFound('course_not_found');
    if (course.completedAt) throw new Conflict('course_completed');
    const now = deps.clock.now().toISOString();
    const suspension: Suspension = {
      ...person.suspension,
      courses: person.suspension.courses.map((c) =>
        c.courseId === courseId
          ? {
              ...c,
              completedAt: now,
              completedBy: principal.subject,
              ...(body.evidence?.length ? { evidence: body.evidence } : {}),
            }
          : c,
      ),
    };
    const after = { ...person, suspension, version: person.version + 1, updatedAt: now };
    await deps.people.correct(
      principal,
      { before: person, after, action: 'person.course_completed', reason: body.note },
      requestId,
    );
    return after;
  });
}

/** Back to work: every course done, and a manager's word. The violations stay on record. */
export async function reinstate(
  deps: ViolationDeps,
  principal: Principal,
  personId: string,
  body: { note: string },
  requestId: string,
): Promise<PersonRecord> {
  authorize(principal, 'person:reinstate');
  const reinstated = await onFreshPerson(async () => {
    const person = await findPerson(deps.people, principal, personId);
    if (!person.suspension) throw new Conflict('not_suspended');
    const open = person.suspension.courses.filter((c) => !c.completedAt).map((c) => c.courseId);
    if (open.length)
      throw new RulesBroken(
        'courses_open',
        open.map((courseId) => ({ code: 'course_open', detail: { courseId } })),
      );
    const { suspension: _, ...rest } = person;
    const after: PersonRecord = {
      ...rest,
      version: person.version + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    await deps.people.correct(
      principal,
      { before: person, after, action: 'person.reinstate', reason: body.note },
      requestId,
    );
    return after;
  });
  await deps.restatus(principal, personId, requestId);
  return (await deps.people.get(principal.tenantId, personId)) ?? reinstated;
}
