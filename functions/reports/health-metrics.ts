// The monthly certificate health report (SPEC L7): pure metrics over a tenant's people
// and certificates as of a month's last day. Definitions (docs/health-report.md):
// - expiry rate: certificates in force that are expired (or in a vacuum period) on the
//   month's last day ÷ certificates in force;
// - on-time review rate: certificates whose deadline (review due or expiry) fell in the
//   month and were renewed without a gap, or reviewed/extended on the same card by then
//   ÷ certificates whose deadline fell in the month;
// - cross-region holding rate: people whose ID-number province (household registration)
//   differs from their home site's province ÷ people with a home site that has a region code.
import { setting } from '../domain/settings.ts';
import {
  type CertificateFacts,
  computePersonStatus,
  renewalChains,
  vacuumPeriodBetween,
} from '../domain/status-rules.ts';
import { addDays, addMonths, type CalendarDate, compareDates } from '../shared/calendar.ts';

export interface ReportCertificate extends CertificateFacts {
  /** Deadlines met by a stamp on the card (a review, an extension): no longer in its dates. */
  metDeadlines?: { deadline: CalendarDate; metOn: CalendarDate }[];
}

export interface PersonForReport {
  personId: string;
  homeSiteId?: string;
  /** First two digits of the ID number (province of household registration). */
  idProvince: string;
  certificates: ReportCertificate[];
}

export interface SiteForReport {
  siteId: string;
  name: string;
  regionCode?: string;
}

export interface HealthMetrics {
  certificates: number;
  expired: number;
  expiryRate: number | null;
  deadlinesInMonth: number;
  onTime: number;
  onTimeReviewRate: number | null;
  peopleWithRegion: number;
  crossRegion: number;
  crossRegionRate: number | null;
}

export const lastDayOfMonth = (month: string): CalendarDate => addDays(addMonths(`${month}-01`, 1), -1);
export const previousMonth = (month: string): string => addMonths(`${month}-01`, -1).slice(0, 7);
const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export function healthMetrics(
  people: PersonForReport[],
  sites: Map<string, SiteForReport>,
  month: string,
): HealthMetrics {
  const monthStart = `${month}-01`;
  const monthEnd = lastDayOfMonth(month);
  let certificates = 0;
  let expired = 0;
  let deadlinesInMonth = 0;
  let onTime = 0;
  let peopleWithRegion = 0;
  let crossRegion = 0;

  for (const person of people) {
    // Only certificates that existed by the month's end count.
    const held = person.certificates.filter(
      (c) => compareDates(c.issuedOn, monthEnd) <= 0 || c.replacesCertificateId,
    );
    const status = computePersonStatus(held, monthEnd);
    for (const c of status.certificates.filter((s) => s.current)) {
      certificates++;
      if (c.color === 'red' && (c.daysLeft < 0 || c.vacuumPeriod)) expired++;
    }
    // Deadlines met by a review or extension stamped on the card (on time by rule).
    for (const cert of held)
      for (const met of cert.metDeadlines ?? [])
        if (compareDates(met.deadline, monthStart) >= 0 && compareDates(met.deadline, monthEnd) <= 0) {
          deadlinesInMonth++;
          onTime++;
        }
    for (const chain of renewalChains(held)) {
      chain.forEach((cert, i) => {
        const deadline =
          cert.reviewDueOn && compareDates(cert.reviewDueOn, cert.expiresOn) < 0
            ? cert.reviewDueOn
            : cert.expiresOn;
        if (compareDates(deadline, monthStart) < 0 || compareDates(deadline, monthEnd) > 0) return;
        deadlinesInMonth++;
        const next = chain[i + 1];
        if (next && !vacuumPeriodBetween(cert, next)) onTime++;
      });
    }
    const site = person.homeSiteId ? sites.get(person.homeSiteId) : undefined;
    if (site?.regionCode) {
      peopleWithRegion++;
      if (site.regionCode.slice(0, 2) !== person.idProvince) crossRegion++;
    }
  }
  return {
    certificates,
    expired,
    expiryRate: ratio(expired, certificates),
    deadlinesInMonth,
    onTime,
    onTimeReviewRate: ratio(onTime, deadlinesInMonth),
    peopleWithRegion,
    crossRegion,
    crossRegionRate: ratio(crossRegion, peopleWithRegion),
  };
}

export interface TrendPoint {
  month: string;
  expiryRate: number | null;
  onTimeReviewRate: number | null;
  crossRegionRate: number | null;
}

export interface HealthReport {
  tenantId: string;
  month: string;
  asOf: CalendarDate;
  overall: HealthMetrics;
  trend: (TrendPoint & { source: 'snapshot' | 'recomputed' })[];
  sites: ({ siteId: string; name: string } & HealthMetrics)[];
}

/**
 * The report for a month, with the five months before it as the trend: as reported at the
 * time where a snapshot of that month was stored, recomputed from today's records otherwise.
 */
export function buildHealthReport(
  tenantId: string,
  month: string,
  people: PersonForReport[],
  sites: SiteForReport[],
  snapshots: Map<string, TrendPoint> = new Map(),
): HealthReport {
  const siteMap = new Map(sites.map((s) => [s.siteId, s]));
  const months: string[] = [];
  for (let m = month, i = 0; i < 6; i++, m = previousMonth(m)) months.unshift(m);
  return {
    tenantId,
    month,
    asOf: lastDayOfMonth(month),
    overall: healthMetrics(people, siteMap, month),
    trend: months.map((m) => {
      const snapshot = m === month ? undefined : snapshots.get(m);
      if (snapshot) return { ...snapshot, month: m, source: 'snapshot' as const };
      const x = healthMetrics(people, siteMap, m);
      return {
        month: m,
        expiryRate: x.expiryRate,
        onTimeReviewRate: x.onTimeReviewRate,
        crossRegionRate: x.crossRegionRate,
        source: 'recomputed' as const,
      };
    }),
    sites: sites.map((s) => ({
      siteId: s.siteId,
      name: s.name,
      ...healthMetrics(
        people.filter((p) => p.homeSiteId === s.siteId),
        siteMap,
        month,
      ),
    })),
  };
}

/** Who receives the monthly health report (L7): nobody until the tenant says. */
export const REPORT_RECIPIENTS = setting('report-recipients', { safetyHeads: [] as string[] });
