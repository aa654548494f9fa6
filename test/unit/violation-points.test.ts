// Violation points (E1), table-driven: what counts in the rolling window, the threshold,
// the review-at-risk mark (Order 30 Art. 25) and the courses a suspension assigns.
import { describe, expect, it } from 'vitest';
import {
  type CountedViolation,
  coursesFor,
  pointsInForce,
  DEFAULT_POINTS_POLICY as policy,
  reachesThreshold,
  reviewAtRisk,
} from '../../functions/violations/points.ts';

const today = '2026-06-01';
const v = (
  type: CountedViolation['type'],
  occurredOn: string,
  extra: Partial<CountedViolation> = {},
): CountedViolation => ({
  type,
  occurredOn,
  status: 'confirmed',
  ...extra,
});

describe('violation points', () => {
  it.each<[string, CountedViolation[], number, boolean]>([
    ['nothing', [], 0, false],
    ['working outside the scope once', [v('outside_scope', '2026-05-01')], 6, false],
    ['twice', [v('outside_scope', '2026-05-01'), v('outside_scope', '2026-01-10')], 12, true],
    ['working without a certificate', [v('no_certificate', '2026-05-30')], 12, true],
    ['a proposal not yet confirmed', [v('no_certificate', '2026-05-30', { status: 'proposed' })], 0, false],
    ['a dismissed one', [v('no_certificate', '2026-05-30', { status: 'dismissed' })], 0, false],
    ['one a year and a day old', [v('no_certificate', '2025-06-01')], 0, false],
    ['one a year less a day old', [v('no_certificate', '2025-06-02')], 12, true],
    ['one dated tomorrow (not yet)', [v('no_certificate', '2026-06-02')], 0, false],
    ['confirmed with the points of its day', [v('safety_rule', '2026-05-01', { points: 5 })], 5, false],
    ['four small ones', [1, 2, 3, 4].map((m) => v('frozen_badge_used', `2026-0${m}-01`)), 12, true],
  ])('%s: %i points, suspended %s', (_, violations, points, suspended) => {
    expect(pointsInForce(violations, policy, today)).toBe(points);
    expect(reachesThreshold(violations, policy, today)).toBe(suspended);
  });

  it.each<[string, CountedViolation[], boolean]>([
    ['one', [v('safety_rule', '2026-05-01')], false],
    ['two confirmed', [v('safety_rule', '2026-05-01'), v('safety_rule', '2026-04-01')], true],
    ['one serious', [v('safety_rule', '2026-05-01', { serious: true })], true],
    [
      'two, one of them proposed',
      [v('safety_rule', '2026-05-01'), v('safety_rule', '2026-04-01', { status: 'proposed' })],
      false,
    ],
    ['two, one out of the window', [v('safety_rule', '2026-05-01'), v('safety_rule', '2024-04-01')], false],
  ])('review at risk with %s: %s', (_, violations, atRisk) => {
    expect(reviewAtRisk(violations, policy, today)).toBe(atRisk);
  });

  it('assigns the refresher and one course per kind of violation counted, once each', () => {
    expect(
      coursesFor(
        [v('outside_scope', '2026-05-01'), v('outside_scope', '2026-04-01'), v('no_permit', '2026-03-01')],
        policy,
        today,
      ),
    ).toEqual(['safety_refresher', 'certificate_scope', 'permit_to_work']);
    expect(coursesFor([v('no_certificate', '2024-01-01')], policy, today)).toEqual(['safety_refresher']);
  });

  it('follows a tenant’s own table', () => {
    const strict = { ...policy, threshold: 6, windowMonths: 24 };
    expect(reachesThreshold([v('outside_scope', '2024-07-01')], strict, today)).toBe(true);
  });
});
