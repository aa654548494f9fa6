// Violation points (E1), table-driven: what counts in the rolling window, the threshold,
// the review-at-risk mark (Order 30 Art. 25) and the courses a suspension assigns.
import { describe, expect, it } from 'vitest';
import type { PersonStatus } from '../../functions/domain/status.ts';
import { withViolationMarks } from '../../functions/domain/status-rules.ts';
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

describe('the status marks of violations', () => {
  const status = (color: 'green' | 'yellow' | 'red'): PersonStatus => ({
    color,
    gateAccess: color === 'red' ? 'frozen' : 'allowed',
    dispatch: color === 'red' ? 'frozen' : 'allowed',
    reasons: color === 'green' ? [] : [{ code: color === 'red' ? 'expired' : 'expiring' }],
    certificates: [],
    categories: [],
    computedOn: today,
    nextChangeOn: null,
  });
  const atRisk = { since: '2026-05-01' };
  const suspended = { since: '2026-05-20' };

  it.each<
    [string, PersonStatus, Parameters<typeof withViolationMarks>[1], string[], string, string, string[]]
  >([
    ['nothing', status('green'), {}, ['c1'], 'green', 'allowed', []],
    [
      'review at risk, green',
      status('green'),
      { reviewAtRisk: atRisk },
      ['c1', 'c2'],
      'yellow',
      'allowed',
      ['review_at_risk', 'review_at_risk'],
    ],
    [
      'review at risk, yellow already',
      status('yellow'),
      { reviewAtRisk: atRisk },
      ['c1'],
      'yellow',
      'allowed',
      ['expiring', 'review_at_risk'],
    ],
    [
      'review at risk, red already',
      status('red'),
      { reviewAtRisk: atRisk },
      ['c1'],
      'red',
      'frozen',
      ['expired', 'review_at_risk'],
    ],
    [
      'review at risk without a MEM certificate',
      status('green'),
      { reviewAtRisk: atRisk },
      [],
      'green',
      'allowed',
      [],
    ],
    ['suspended', status('green'), { suspension: suspended }, [], 'red', 'frozen', ['suspended']],
    [
      'suspended and at risk',
      status('yellow'),
      { suspension: suspended, reviewAtRisk: atRisk },
      ['c1'],
      'red',
      'frozen',
      ['suspended', 'expiring', 'review_at_risk'],
    ],
  ])('%s', (_, before, marks, mem, color, access, reasons) => {
    const after = withViolationMarks(before, marks, mem);
    expect(after.color).toBe(color);
    expect(after.gateAccess).toBe(access);
    expect(after.dispatch).toBe(access);
    expect(after.reasons.map((r) => r.code)).toEqual(reasons);
    if (marks.suspension) expect(after.reasons[0]).toEqual({ code: 'suspended', date: suspended.since });
    if (marks.reviewAtRisk && mem.length)
      expect(after.reasons.filter((r) => r.code === 'review_at_risk')).toEqual(
        mem.map((certificateId) => ({ code: 'review_at_risk', certificateId, date: atRisk.since })),
      );
  });
});
