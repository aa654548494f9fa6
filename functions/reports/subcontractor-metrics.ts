// The monthly subcontractor report (SPEC O5), as rules: per subcontractor the share of its
// workers whose certificates had lapsed at the month's end, the forgery findings and their
// outcomes, blacklist entries, the spot-check pass rate, a six-month trend — and the
// settlement gate: whether the tenant's rule says to hold the subcontractor's payment.
import { setting } from '../domain/settings.ts';
import type { ReasonCode } from '../domain/status.ts';

export interface SettlementRule {
  /** Hold when more than this share of the workers had a lapsed certificate (percent). */
  maxExpiredRatePercent: number;
  /** Hold on any certificate confirmed forged in the month. */
  holdOnConfirmedForgery: boolean;
  /** Hold on any blacklist entry about one of its workers in the month. */
  holdOnBlacklist: boolean;
  /** Hold when fewer than this share of spot checks passed (percent; 0: never). */
  minSpotCheckPassPercent: number;
}

export const DEFAULT_SETTLEMENT_RULE: SettlementRule = {
  maxExpiredRatePercent: 5,
  holdOnConfirmedForgery: true,
  holdOnBlacklist: true,
  minSpotCheckPassPercent: 0,
};

/** The settlement rule as a tenant setting (GET/PUT /settings/settlement-rule). */
export const SETTLEMENT_RULE = setting('settlement-rule', DEFAULT_SETTLEMENT_RULE);

/** Reasons that mean a certificate had lapsed (not merely due soon). */
const LAPSED: ReadonlySet<ReasonCode> = new Set([
  'expired',
  'review_missed',
  'vacuum_period',
  'revoked',
  'registry_expired',
  'registry_revoked',
]);
export const hasLapsed = (reasons: readonly { code: ReasonCode }[]) =>
  reasons.some((r) => LAPSED.has(r.code));

export interface SubcontractorFacts {
  subcontractorId: string;
  name: string;
  workers: number;
  workersLapsed: number;
  forgery: { flagged: number; pendingReview: number; confirmed: number; clearedGenuine: number };
  blacklistEntries: number;
  spotChecks: { total: number; passed: number };
}

export interface SubcontractorRow extends SubcontractorFacts {
  expiredRatePercent: number | null;
  spotCheckPassPercent: number | null;
  /** This month and up to five before it, as reported then. */
  trend: { month: string; expiredRatePercent: number | null }[];
  settlement: { hold: boolean; reasons: string[] };
}

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

export function settlementDecision(
  facts: SubcontractorFacts,
  rule: SettlementRule,
): { hold: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const expired = percent(facts.workersLapsed, facts.workers);
  if (expired !== null && expired > rule.maxExpiredRatePercent) reasons.push('expired_rate_over_limit');
  if (rule.holdOnConfirmedForgery && facts.forgery.confirmed > 0) reasons.push('forged_certificate');
  if (rule.holdOnBlacklist && facts.blacklistEntries > 0) reasons.push('blacklisted_worker');
  const passed = percent(facts.spotChecks.passed, facts.spotChecks.total);
  if (passed !== null && passed < rule.minSpotCheckPassPercent) reasons.push('spot_checks_under_limit');
  return { hold: reasons.length > 0, reasons };
}

/** The six months ending with `month` (YYYY-MM), oldest first. */
export function lastSixMonths(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: 6 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (5 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

export function subcontractorRows(
  month: string,
  facts: SubcontractorFacts[],
  rule: SettlementRule,
  /** Earlier months' expired rates as reported then: month → subcontractorId → percent. */
  earlier: Map<string, Map<string, number | null>>,
): SubcontractorRow[] {
  return facts
    .map((f) => {
      const expiredRatePercent = percent(f.workersLapsed, f.workers);
      return {
        ...f,
        expiredRatePercent,
        spotCheckPassPercent: percent(f.spotChecks.passed, f.spotChecks.total),
        trend: lastSixMonths(month).map((m) => ({
          month: m,
          expiredRatePercent:
            m === month ? expiredRatePercent : (earlier.get(m)?.get(f.subcontractorId) ?? null),
        })),
        settlement: settlementDecision(f, rule),
      };
    })
    .sort(
      (a, b) => Number(b.settlement.hold) - Number(a.settlement.hold) || a.name.localeCompare(b.name, 'zh'),
    );
}
