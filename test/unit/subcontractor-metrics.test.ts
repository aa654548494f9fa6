// The monthly subcontractor report's rules (O5): the settlement gate, table by table; the
// six-month window; lapsed reasons; the trend as reported.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTLEMENT_RULE,
  hasLapsed,
  lastSixMonths,
  type SubcontractorFacts,
  settlementDecision,
  subcontractorRows,
} from '../../functions/reports/subcontractor-metrics.ts';

const facts = (over: Partial<SubcontractorFacts> = {}): SubcontractorFacts => ({
  subcontractorId: 'sub_a',
  name: '甲',
  workers: 20,
  workersLapsed: 1,
  forgery: { flagged: 0, pendingReview: 0, confirmed: 0, clearedGenuine: 0 },
  blacklistEntries: 0,
  spotChecks: { total: 0, passed: 0 },
  ...over,
});

describe('the settlement gate', () => {
  it.each([
    ['5 % lapsed: at the limit', facts(), DEFAULT_SETTLEMENT_RULE, []],
    ['10 % lapsed', facts({ workersLapsed: 2 }), DEFAULT_SETTLEMENT_RULE, ['expired_rate_over_limit']],
    ['no workers: no rate, no hold', facts({ workers: 0, workersLapsed: 0 }), DEFAULT_SETTLEMENT_RULE, []],
    [
      'a confirmed forgery',
      facts({ forgery: { flagged: 1, pendingReview: 0, confirmed: 1, clearedGenuine: 0 } }),
      DEFAULT_SETTLEMENT_RULE,
      ['forged_certificate'],
    ],
    [
      'a confirmed forgery, rule off',
      facts({ forgery: { flagged: 1, pendingReview: 0, confirmed: 1, clearedGenuine: 0 } }),
      { ...DEFAULT_SETTLEMENT_RULE, holdOnConfirmedForgery: false },
      [],
    ],
    [
      'flagged but cleared genuine',
      facts({ forgery: { flagged: 1, pendingReview: 0, confirmed: 0, clearedGenuine: 1 } }),
      DEFAULT_SETTLEMENT_RULE,
      [],
    ],
    ['a blacklisted worker', facts({ blacklistEntries: 1 }), DEFAULT_SETTLEMENT_RULE, ['blacklisted_worker']],
    [
      'a blacklisted worker, rule off',
      facts({ blacklistEntries: 1 }),
      { ...DEFAULT_SETTLEMENT_RULE, holdOnBlacklist: false },
      [],
    ],
    [
      '3 of 4 spot checks passed, 80 % asked',
      facts({ spotChecks: { total: 4, passed: 3 } }),
      { ...DEFAULT_SETTLEMENT_RULE, minSpotCheckPassPercent: 80 },
      ['spot_checks_under_limit'],
    ],
    [
      '4 of 5 passed, 80 % asked',
      facts({ spotChecks: { total: 5, passed: 4 } }),
      { ...DEFAULT_SETTLEMENT_RULE, minSpotCheckPassPercent: 80 },
      [],
    ],
    [
      'no spot checks: no rate, no hold',
      facts(),
      { ...DEFAULT_SETTLEMENT_RULE, minSpotCheckPassPercent: 80 },
      [],
    ],
    [
      'everything at once, in order',
      facts({
        workersLapsed: 5,
        forgery: { flagged: 2, pendingReview: 1, confirmed: 1, clearedGenuine: 0 },
        blacklistEntries: 2,
        spotChecks: { total: 2, passed: 0 },
      }),
      { ...DEFAULT_SETTLEMENT_RULE, minSpotCheckPassPercent: 50 },
      ['expired_rate_over_limit', 'forged_certificate', 'blacklisted_worker', 'spot_checks_under_limit'],
    ],
  ] as const)('%s → %j', (_, f, rule, reasons) => {
    expect(settlementDecision(f, rule)).toEqual({ hold: reasons.length > 0, reasons });
  });

  it('defaults to the brief’s rule: more than 5 % lapsed, or any forged certificate, holds payment', () => {
    expect(DEFAULT_SETTLEMENT_RULE).toEqual({
      maxExpiredRatePercent: 5,
      holdOnConfirmedForgery: true,
      holdOnBlacklist: true,
      minSpotCheckPassPercent: 0,
    });
  });
});

describe('rows and trend', () => {
  it('counts lapses, not warnings', () => {
    expect(hasLapsed([{ code: 'expired' }])).toBe(true);
    expect(hasLapsed([{ code: 'review_missed' }, { code: 'expiring' }])).toBe(true);
    expect(hasLapsed([{ code: 'registry_revoked' }])).toBe(true);
    expect(hasLapsed([{ code: 'expiring_urgent' }, { code: 'review_due' }])).toBe(false);
    expect(hasLapsed([])).toBe(false);
  });

  it('spans six months across a year boundary', () => {
    expect(lastSixMonths('2027-02')).toEqual([
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
  });

  it('shows earlier months as reported, this month as computed, holds first', () => {
    const earlier = new Map([
      ['2026-11', new Map<string, number | null>([['sub_a', 12.5]])],
      ['2026-10', new Map<string, number | null>([['sub_b', 0]])],
    ]);
    const rows = subcontractorRows(
      '2026-12',
      [facts({ subcontractorId: 'sub_b', name: '乙' }), facts({ workersLapsed: 3, workers: 7 })],
      DEFAULT_SETTLEMENT_RULE,
      earlier,
    );
    expect(rows.map((r) => r.subcontractorId)).toEqual(['sub_a', 'sub_b']);
    expect(rows[0]?.expiredRatePercent).toBe(42.9);
    expect(rows[0]?.trend.slice(-2)).toEqual([
      { month: '2026-11', expiredRatePercent: 12.5 },
      { month: '2026-12', expiredRatePercent: 42.9 },
    ]);
    expect(rows[1]?.trend.find((t) => t.month === '2026-10')).toEqual({
      month: '2026-10',
      expiredRatePercent: 0,
    });
    expect(rows[1]?.trend[0]).toEqual({ month: '2026-07', expiredRatePercent: null });
  });
});
