// The compliance radar for a tenant (E4): the figures gathered from what the product keeps
// — every current person's stored status (its reasons and certificates) and marks, and
// whether they can be reached — then scored by radar.ts.
import type { PersonRecord } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { addDays, type CalendarDate, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { isMessageCode, type Language, message } from '../shared/i18n/messages.ts';
import { computeRadar, type RadarFacts, radarSvg } from './radar.ts';

export interface DiagnosticsDeps {
  /** Every person of the tenant (leavers too: left out here). */
  people(tenantId: string): Promise<PersonRecord[]>;
  /** How many of these people have at least one notification channel bound. */
  reachable(tenantId: string, personIds: string[]): Promise<number>;
  /** The tenant's violations that occurred on or after `since` (any state). */
  violationsSince(tenantId: string, since: CalendarDate): Promise<ViolationFact[]>;
  clock: Clock;
}

export interface ViolationFact {
  personId: string;
  occurredOn: CalendarDate;
  status: 'proposed' | 'confirmed' | 'dismissed';
}

/** The two quarters the trend compares. */
const QUARTER_DAYS = 90;

/** Reasons that make a person red because of their certificates (not a hold or an engagement end). */
const CERTIFICATE_REASONS = new Set([
  'no_certificate',
  'revoked',
  'expired',
  'review_missed',
  'vacuum_period',
  'not_yet_valid',
  'registry_revoked',
  'registry_expired',
  'registry_not_found',
  'registry_mismatch',
  'forgery_review',
  'forgery_confirmed',
]);

export function radarFacts(
  people: readonly PersonRecord[],
  reachable: number,
  violations: readonly ViolationFact[] = [],
  today: CalendarDate = todayInShanghai(),
): RadarFacts {
  const current = people.filter((p) => !p.status.reasons.some((r) => r.code === 'departed'));
  const codes = (p: PersonRecord) => p.status.reasons.map((r) => r.code as string);
  const red = (p: PersonRecord) =>
    p.status.color === 'red' && codes(p).some((c) => CERTIFICATE_REASONS.has(c));
  const subcontracted = current.filter((p) => p.employer.type === 'subcontractor');
  const certificates = current.flatMap((p) => (p.status.certificates ?? []).filter((c) => c.current));
  return {
    people: current.length,
    redForCertificates: current.filter(red).length,
    reviewLate: current.filter((p) =>
      codes(p).some((c) => c === 'review_missed' || c === 'review_due_urgent'),
    ).length,
    withoutHomeSite: current.filter((p) => !p.homeSiteId).length,
    subcontractorWorkers: subcontracted.length,
    subcontractorWorkersRed: subcontracted.filter(red).length,
    reachable: Math.min(reachable, current.length),
    certificates: certificates.length,
    certificatesVerified: certificates.filter((c) => c.verification?.outcome === 'valid').length,
    // The marks as they show (a lapsed review-at-risk mark stays on the record, not in the status).
    violationMarked: current.filter((p) => codes(p).some((c) => c === 'suspended' || c === 'review_at_risk'))
      .length,
    ...violationTrend(violations, today),
  };
}

/** Confirmed violations of the last 90 days against the 90 before, and the people involved. */
export function violationTrend(violations: readonly ViolationFact[], today: CalendarDate) {
  const recentFrom = addDays(today, -(QUARTER_DAYS - 1));
  const previousFrom = addDays(recentFrom, -QUARTER_DAYS);
  const confirmed = violations.filter((v) => v.status === 'confirmed' && v.occurredOn <= today);
  const recent = confirmed.filter((v) => v.occurredOn >= recentFrom);
  return {
    violationsRecent: recent.length,
    violationsPrevious: confirmed.filter((v) => v.occurredOn >= previousFrom && v.occurredOn < recentFrom)
      .length,
    peopleWithRecentViolations: new Set(recent.map((v) => v.personId)).size,
  };
}

export async function tenantRadar(deps: DiagnosticsDeps, principal: Principal) {
  authorize(principal, 'report:read');
  return radarOf(deps, principal.tenantId);
}

/** The tenant's radar without a caller: the monthly report's section (jobs). */
export async function radarOf(deps: DiagnosticsDeps, tenantId: string) {
  const people = await deps.people(tenantId);
  const current = people.filter((p) => !p.status.reasons.some((r) => r.code === 'departed'));
  const reachable = await deps.reachable(
    tenantId,
    current.map((p) => p.personId),
  );
  const today = todayInShanghai(deps.clock.now());
  const violations = await deps.violationsSince(tenantId, addDays(today, -(2 * QUARTER_DAYS - 1)));
  const facts = radarFacts(people, reachable, violations, today);
  return { ...computeRadar(facts), facts };
}

/** The radar as a section of an e-mail (inline SVG, the three actions that raise it most). */
export async function radarSection(deps: DiagnosticsDeps, tenantId: string, lang: Language = 'zh') {
  const radar = await radarOf(deps, tenantId);
  const actions = radar.actions
    .slice(0, 3)
    .map((a) => (isMessageCode(a.action) ? message(a.action, lang, { count: a.count }) : a.action));
  const title = lang === 'zh' ? `合规雷达 · 总分 ${radar.overall}` : `Compliance radar · ${radar.overall}`;
  return `<h2>${lang === 'zh' ? '合规雷达' : 'Compliance radar'}</h2>${radarSvg(radar.areas, title)}<ol>${actions
    .map((a) => `<li>${a.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</li>`)
    .join('')}</ol>`;
}
