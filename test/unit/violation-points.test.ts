// Violation points (E1), table-driven: what counts in the rolling window, the threshold,
// the review-at-risk mark (Order 30 Art. 25) and the courses a suspension assigns.
import { describe, expect, it } from 'vitest';
import type { PersonStatus } from '../../functions/domain/status.ts';
import { withViolationMarks } from '../../functions/domain/status-rules.ts';
import { addDays } from '../../functions/shared/calendar.ts';
import {
  type CountedViolation,
  coursesFor,
  inWindow,
  leavesWindowOn,
  pointsInForce,
  DEFAULT_POINTS_POLICY as policy,
  reachesThreshold,
  reviewAtRisk,
  reviewAtRiskUntil,
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

  it.each<[string, string, string]>([
    ['a plain day', '2025-06-10', '2026-06-10'],
    ['the last of a long month (the next year’s has it too)', '2025-05-31', '2026-05-31'],
    ['29 February (counts until 1 March)', '2024-02-29', '2025-03-01'],
    ['31 January with a one-month window (28 February does not reach it)', '2026-01-31', '2026-03-01'],
  ])('a violation of %s leaves the window on the day after its last', (_, occurredOn, leaves) => {
    const window = leaves === '2026-03-01' ? { ...policy, windowMonths: 1 } : policy;
    const violation = v('safety_rule', occurredOn);
    expect(leavesWindowOn(violation, window)).toBe(leaves);
    expect(inWindow(violation, window, addDays(leaves, -1))).toBe(true);
    expect(inWindow(violation, window, leaves)).toBe(false);
  });

  it.each<[string, CountedViolation[], string | undefined]>([
    ['one (no mark)', [v('safety_rule', '2026-05-01')], undefined],
    [
      'two: until the older leaves',
      [v('safety_rule', '2026-05-01'), v('safety_rule', '2025-09-10')],
      '2026-09-10',
    ],
    [
      'three: until the middle one leaves',
      [v('safety_rule', '2026-05-01'), v('safety_rule', '2025-09-10'), v('safety_rule', '2025-12-01')],
      '2026-12-01',
    ],
    ['one serious: until it leaves', [v('safety_rule', '2026-03-02', { serious: true })], '2027-03-02'],
    [
      'a serious one and an older one: the serious one holds longer',
      [v('safety_rule', '2025-07-01'), v('safety_rule', '2026-01-15', { serious: true })],
      '2027-01-15',
    ],
    [
      'two, and a proposal that does not count',
      [
        v('safety_rule', '2026-05-01'),
        v('safety_rule', '2025-09-10'),
        v('no_permit', '2026-05-20', { status: 'proposed' }),
      ],
      '2026-09-10',
    ],
  ])('review at risk with %s lapses on %s', (_, violations, until) => {
    expect(reviewAtRiskUntil(violations, policy, today)).toBe(until);
    if (until) {
      expect(reviewAtRisk(violations, policy, addDays(until, -1))).toBe(true);
      expect(reviewAtRisk(violations, policy, until)).toBe(false);
    }
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
    [
      'review at risk, lapsed',
      status('green'),
      { reviewAtRisk: { since: '2025-05-01', until: today } },
      ['c1'],
      'green',
      'allowed',
      [],
    ],
  ])('%s', (_, before, marks, mem, color, access, reasons) => {
    const after = withViolationMarks(before, marks, mem, today);
    expect(after.color).toBe(color);
    expect(after.gateAccess).toBe(access);
    expect(after.dispatch).toBe(access);
    expect(after.reasons.map((r) => r.code)).toEqual(reasons);
    // Only a mark that lapses by date brings the sweep back; these do not.
    expect(after.nextChangeOn).toBe(before.nextChangeOn);
    if (marks.suspension) expect(after.reasons[0]).toEqual({ code: 'suspended', date: suspended.since });
    if (marks.reviewAtRisk && !marks.reviewAtRisk.until && mem.length)
      expect(after.reasons.filter((r) => r.code === 'review_at_risk')).toEqual(
        mem.map((certificateId) => ({ code: 'review_at_risk', certificateId, date: atRisk.since })),
      );
  });

  it('brings the sweep back the day a review-at-risk mark lapses, unless something changes sooner', () => {
    const mark = { reviewAtRisk: { since: '2026-05-01', until: '2026-09-10' } };
    expect(withViolationMarks(status('green'), mark, ['c1'], today).nextChangeOn).toBe('2026-09-10');
    const sooner = { ...status('yellow'), nextChangeOn: '2026-07-01' };
    expect(withViolationMarks(sooner, mark, ['c1'], today).nextChangeOn).toBe('2026-07-01');
    expect(withViolationMarks(status('green'), mark, ['c1'], '2026-09-10')).toEqual(status('green'));
  });
});
