// Violation points (SPEC E1; the brief: 违章行为（无证作业、超范围作业）转化为积分，达到阈值自动
// 停工培训): the rules, pure. A confirmed violation carries the points its type is worth under
// the tenant's table; points count for a rolling window (12 months by default, as China's
// driving-licence points do); reaching the threshold suspends the person for training —
// every work permission frozen, courses assigned — until the courses are done and a manager
// reinstates them. Two confirmed violations in the window, or one with serious
// consequences, put the person's MEM certificates' review at risk (MEM Order 30 Art. 25).
import { addDays, addMonths, type CalendarDate } from '../shared/calendar.ts';

export const VIOLATION_TYPES = [
  /** Working without the certificate the work needs (无证作业). */
  'no_certificate',
  /** Working outside the certificate's scope (超范围作业). */
  'outside_scope',
  /** A frozen or suspended person's badge tried at a gate. */
  'frozen_badge_used',
  /** Hot work, work at height or in a confined space without its permit (无票作业). */
  'no_permit',
  /** A site safety rule broken (PPE, barriers, gas test skipped). */
  'safety_rule',
] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export interface PointsPolicy {
  /** Points per violation type. */
  points: Record<ViolationType, number>;
  /** Points in the window at which the person is suspended for training. */
  threshold: number;
  /** How long a confirmed violation counts (rolling, in months). */
  windowMonths: number;
}

/** Defaults from the brief's examples: working without a certificate alone reaches the threshold. */
export const DEFAULT_POINTS_POLICY: PointsPolicy = {
  points: { no_certificate: 12, outside_scope: 6, frozen_badge_used: 3, no_permit: 6, safety_rule: 2 },
  threshold: 12,
  windowMonths: 12,
};

export interface CountedViolation {
  type: ViolationType;
  occurredOn: CalendarDate;
  status: 'proposed' | 'confirmed' | 'dismissed';
  serious?: boolean;
  /** The points it was confirmed with (the table may change later; a confirmed count stays). */
  points?: number;
}

/** Whether a confirmed violation still counts on `today` (within the rolling window). */
export const inWindow = (v: CountedViolation, policy: PointsPolicy, today: CalendarDate) =>
  v.status === 'confirmed' && v.occurredOn > addMonths(today, -policy.windowMonths) && v.occurredOn <= today;

/** The points in force on `today`. */
export function pointsInForce(
  violations: readonly CountedViolation[],
  policy: PointsPolicy,
  today: CalendarDate,
) {
  return violations
    .filter((v) => inWindow(v, policy, today))
    .reduce((sum, v) => sum + (v.points ?? policy.points[v.type]), 0);
}

/** Whether the points in force reach the suspension threshold. */
export const reachesThreshold = (
  violations: readonly CountedViolation[],
  policy: PointsPolicy,
  today: CalendarDate,
) => pointsInForce(violations, policy, today) >= policy.threshold;

/** Two confirmed violations in the window, or one with serious consequences (Order 30 Art. 25). */
export function reviewAtRisk(
  violations: readonly CountedViolation[],
  policy: PointsPolicy,
  today: CalendarDate,
) {
  const counted = violations.filter((v) => inWindow(v, policy, today));
  return counted.length >= 2 || counted.some((v) => v.serious);
}

/** The first day a confirmed violation no longer counts: `addMonths(day, -window)` has reached it. */
export function leavesWindowOn(v: Pick<CountedViolation, 'occurredOn'>, policy: PointsPolicy): CalendarDate {
  // Month ends clamp (31 May − 1 month = 30 April), so step over the few days around the anniversary.
  let day = addDays(addMonths(v.occurredOn, policy.windowMonths), -3);
  while (addMonths(day, -policy.windowMonths) < v.occurredOn) day = addDays(day, 1);
  return day;
}

/**
 * The day the review-at-risk mark lapses if nothing new is confirmed: the first day a counted
 * violation leaves the window and what remains no longer meets the rule. Undefined when the
 * rule does not hold today. (A review passed after the mark lifts it sooner, per certificate.)
 */
export function reviewAtRiskUntil(
  violations: readonly CountedViolation[],
  policy: PointsPolicy,
  today: CalendarDate,
): CalendarDate | undefined {
  if (!reviewAtRisk(violations, policy, today)) return undefined;
  const exits = violations
    .filter((v) => inWindow(v, policy, today))
    .map((v) => leavesWindowOn(v, policy))
    .sort();
  return exits.find((day) => !reviewAtRisk(violations, policy, day));
}

/** The courses a suspension assigns: the safety refresher, and one per kind of violation that led to it. */
export const COURSE_FOR: Record<ViolationType, string> = {
  no_certificate: 'certificate_rules',
  outside_scope: 'certificate_scope',
  frozen_badge_used: 'gate_rules',
  no_permit: 'permit_to_work',
  safety_rule: 'site_safety_rules',
};
export const BASE_COURSE = 'safety_refresher';

export function coursesFor(
  violations: readonly CountedViolation[],
  policy: PointsPolicy,
  today: CalendarDate,
) {
  const kinds = new Set(violations.filter((v) => inWindow(v, policy, today)).map((v) => COURSE_FOR[v.type]));
  return [BASE_COURSE, ...[...kinds].sort()];
}
