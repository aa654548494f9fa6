// The gate decision (SPEC X2): pure. It reads only the badge binding and the person's
// gate view (both precomputed), so a scan costs at most two reads. Deny reasons are
// precise codes; the checks are a list so blacklist and suspension slot in as further
// checks. The site's entry policy comes with the badge read (one BatchGetItem).

import { holdActive } from '../domain/blacklist-rules.ts';
import { engagementEnded } from '../domain/engagement.ts';
import { type GateView, quizAttribute, quizPassedOnAttribute } from '../domain/gate-view.ts';
import { addDays } from '../shared/calendar.ts';

export interface BadgeBinding {
  badgeUid: string;
  personId: string;
  active: boolean;
}

/** What a site asks of everyone entering it. */
export interface SiteEntryPolicy {
  siteId: string;
  quizRequired: boolean;
  /** A passed quiz counts for this many days (an annual induction: 365); absent = for good. */
  quizValidDays?: number;
}

export { type GateView, quizAttribute, quizPassedOnAttribute } from '../domain/gate-view.ts';

/** The day a person's passed quiz at this site stops counting, if the site limits it. */
export function inductionLapsesOn(view: GateView, site: SiteEntryPolicy | undefined): string | undefined {
  if (!site?.quizValidDays || view[quizAttribute(site.siteId)] !== 'passed') return undefined;
  const passedOn = view[quizPassedOnAttribute(site.siteId)];
  return passedOn ? addDays(passedOn, site.quizValidDays) : undefined;
}

/** Whether the person's induction at this site has run out (a new quiz is due). */
export function inductionExpired(view: GateView, site: SiteEntryPolicy | undefined, today: string): boolean {
  const lapses = inductionLapsesOn(view, site);
  return !!lapses && lapses <= today;
}

export type DenyReason =
  | 'badge_unknown'
  | 'badge_revoked'
  | 'person_unknown'
  | 'person_frozen'
  | 'blacklisted'
  /** Their subcontractor's contract ended, or they left the tenant (issue 28). */
  | 'subcontractor_terminated'
  | 'departed'
  /** Suspended for training: violation points reached the threshold (E1). */
  | 'suspended'
  | 'quiz_required'
  /** The scan's time is more than 5 minutes ahead, or older than an offline list lasts. */
  | 'scan_time_invalid'
  /** The gate sent this scanId before for another badge or direction: a replay, never its old answer. */
  | 'scan_id_reused';

/** How far a gate's clock may run ahead of ours. */
export const MAX_SCAN_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * Whether a scan's time can be true: not in the future beyond clock skew, and not older
 * than a gate can work offline on its allowlist (a scan uploaded after an outage).
 */
export function scanTimeAcceptable(at: string, now: Date, maxAgeHours: number): boolean {
  const t = Date.parse(at);
  return (
    Number.isFinite(t) &&
    t <= now.getTime() + MAX_SCAN_CLOCK_AHEAD_MS &&
    t >= now.getTime() - maxAgeHours * 3600_000
  );
}

/** Whether a redelivered scan is the scan first recorded under its id (else: a replay). */
export function sameScan(
  first: { badgeUid: string; direction: string; at: string },
  again: { badgeUid: string; direction: string; at: string },
): boolean {
  return (
    first.badgeUid === again.badgeUid &&
    first.direction === again.direction &&
    Date.parse(first.at) === Date.parse(again.at)
  );
}

export interface Decision {
  decision: 'allow' | 'deny';
  reason: 'ok' | DenyReason;
  person?: { personId: string; nameMasked: string; color: GateView['color'] };
}

type Check = (
  badge: BadgeBinding,
  view: GateView,
  site: SiteEntryPolicy | undefined,
  today: string | undefined,
) => DenyReason | undefined;

/** In order: the first that denies gives the reason. Blacklist and suspension go here too. */
export const PERSON_CHECKS: Check[] = [
  // Dated: a termination set for a later day starts denying on that day, fail closed without a date.
  (_badge, view, _site, today) =>
    view.engagementEnd && (today === undefined || engagementEnded(view.engagementEnd, today))
      ? view.engagementEnd.reason
      : undefined,
  // Without a date (never in practice: the server passes today) a hold counts: fail closed.
  (_badge, view, _site, today) =>
    view.blacklist && (today === undefined || holdActive(view.blacklist, today)) ? 'blacklisted' : undefined,
  (_badge, view) =>
    view.gateAccess === 'frozen' && view.reasons.includes('suspended') ? 'suspended' : undefined,
  (_badge, view) => (view.gateAccess === 'frozen' ? 'person_frozen' : undefined),
  // Lapsed by date but not yet recomputed (the sweep runs at 00:05): refused all the same.
  // (Dropping either guard alone changes nothing: a comparison with undefined is false.)
  (_badge, view, _site, today) =>
    view.accessLapsesOn && today && view.accessLapsesOn <= today ? 'person_frozen' : undefined,
  (_badge, view, site, today) =>
    site?.quizRequired &&
    (view[quizAttribute(site.siteId)] !== 'passed' || (today && inductionExpired(view, site, today)))
      ? 'quiz_required'
      : undefined,
];

export function decideScan(
  badge: BadgeBinding | undefined,
  view: GateView | undefined,
  // Stryker disable next-line StringLiteral: only 'out' is looked at; any other default means "in".
  direction: 'in' | 'out' = 'in',
  site?: SiteEntryPolicy,
  /** Today in China (YYYY-MM-DD), by the server's clock, not the device's. */
  today?: string,
): Decision {
  if (!badge) return { decision: 'deny', reason: 'badge_unknown' };
  if (!badge.active) return { decision: 'deny', reason: 'badge_revoked' };
  if (!view) return { decision: 'deny', reason: 'person_unknown' };
  const person = { personId: view.personId, nameMasked: view.nameMasked, color: view.color };
  // Nobody is ever kept from leaving a site: the person checks apply on the way in.
  if (direction === 'out') return { decision: 'allow', reason: 'ok', person };
  for (const check of PERSON_CHECKS) {
    const denied = check(badge, view, site, today);
    if (denied) return { decision: 'deny', reason: denied, person };
  }
  return { decision: 'allow', reason: 'ok', person };
}
