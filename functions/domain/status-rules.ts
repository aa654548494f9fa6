// The certificate status engine (SPEC L1, L3, L4, L5): pure functions of the certificates
// a person holds, today's Asia/Shanghai date and the tenant's thresholds. The same code
// runs on every write and in the daily sweep, so a colour never depends on who asked.

import {
  addDays,
  addYears,
  type CalendarDate,
  compareDates,
  daysBetween,
  minDate,
} from '../shared/calendar.ts';
import { SCHEME_RULES, type Scheme } from './scheme-rules.ts';
import {
  type Access,
  type CertificateStatus,
  type Color,
  DEFAULT_THRESHOLDS,
  type PersonStatus,
  type ReasonCode,
  type RegistryOutcome,
  type StatusReason,
  type StatusThresholds,
  type VacuumPeriod,
} from './status.ts';
import { reviewAtRiskInForce } from './suspension.ts';

export type {
  Access,
  CertificateStatus,
  Color,
  PersonStatus,
  ReasonCode,
  RegistryOutcome,
  StatusReason,
  StatusThresholds,
  VacuumPeriod,
} from './status.ts';
export { DEFAULT_THRESHOLDS } from './status.ts';

export interface CertificateFacts {
  certificateId: string;
  scheme: Scheme;
  category: string;
  subType?: string;
  issuedOn: CalendarDate;
  expiresOn: CalendarDate;
  /** Next interim review due date; null when the scheme (or an extension) has none before expiry. */
  reviewDueOn: CalendarDate | null;
  revokedOn?: CalendarDate | null;
  replacesCertificateId?: string | null;
  /** The registry's last answer about this certificate; null/absent when never verified. */
  verification?: { outcome: RegistryOutcome; at: string } | null;
  /** A forgery suspicion awaiting a person's review, or one they confirmed (O3). */
  forgery?: 'pending_review' | 'forged';
}

/** How many future change days the look-ahead follows (each is a threshold crossing). */
const LAPSE_LOOKAHEAD_STEPS = 12;

const SEVERITY: Record<Color, number> = { green: 0, yellow: 1, red: 2 };

export function worstColor(colors: Color[]): Color {
  // `>=` would pick an equally bad later colour: the same colour (an equivalent mutant).
  return colors.reduce<Color>((w, c) => (SEVERITY[c] > SEVERITY[w] ? c : w), 'green');
}

/** The review due date a new certificate gets when none is entered. */
export function defaultReviewDueOn(
  scheme: Scheme,
  issuedOn: CalendarDate,
  expiresOn: CalendarDate,
  reviewIntervalExtended = false,
): CalendarDate | null {
  const rule = SCHEME_RULES[scheme];
  const years = reviewIntervalExtended ? rule.extendedReviewIntervalYears : rule.reviewIntervalYears;
  if (years === null) return null;
  const due = addYears(issuedOn, years);
  // A review falling on or after expiry is replaced by the renewal itself.
  return compareDates(due, expiresOn) >= 0 ? null : due;
}

/** Latest `expiresOn` a certificate of this scheme may carry, or null when extensions are stamped on it. */
export function maxExpiresOn(scheme: Scheme, issuedOn: CalendarDate): CalendarDate | null {
  const rule = SCHEME_RULES[scheme];
  return rule.extendable ? null : addYears(issuedOn, rule.validityYears);
}

/** The gap between an old certificate's expiry and its renewal's issue date, if any (L4). */
export function vacuumPeriodBetween(
  replaced: CertificateFacts,
  renewal: CertificateFacts,
): VacuumPeriod | undefined {
  const from = addDays(replaced.expiresOn, 1);
  const to = addDays(renewal.issuedOn, -1);
  return compareDates(from, to) <= 0 ? { from, to } : undefined;
}

function deadlineOf(cert: CertificateFacts): { date: CalendarDate; kind: 'expiry' | 'review' } {
  if (cert.reviewDueOn && compareDates(cert.reviewDueOn, cert.expiresOn) < 0) {
    return { date: cert.reviewDueOn, kind: 'review' };
  }
  return { date: cert.expiresOn, kind: 'expiry' };
}

/** One certificate on its own: its colour today, ignoring its renewal chain. */
export function evaluateCertificate(
  cert: CertificateFacts,
  today: CalendarDate,
  t: StatusThresholds,
): { color: Color; daysLeft: number; reasons: StatusReason[] } {
  const id = cert.certificateId;
  const deadline = deadlineOf(cert);
  const daysLeft = daysBetween(today, deadline.date);
  // A suspected forgery is red until a person has looked: never "looks valid" meanwhile.
  if (cert.forgery)
    return {
      color: 'red',
      daysLeft,
      reasons: [
        { code: cert.forgery === 'forged' ? 'forgery_confirmed' : 'forgery_review', certificateId: id },
      ],
    };
  if (cert.revokedOn && compareDates(cert.revokedOn, today) <= 0) {
    return {
      color: 'red',
      daysLeft,
      reasons: [{ code: 'revoked', certificateId: id, date: cert.revokedOn }],
    };
  }
  if (compareDates(cert.issuedOn, today) > 0) {
    return {
      color: 'red',
      daysLeft,
      reasons: [{ code: 'not_yet_valid', certificateId: id, date: cert.issuedOn }],
    };
  }
  if (compareDates(cert.expiresOn, today) < 0) {
    return {
      color: 'red',
      daysLeft,
      reasons: [
        {
          code: 'expired',
          certificateId: id,
          date: cert.expiresOn,
          days: daysBetween(today, cert.expiresOn),
        },
      ],
    };
  }
  // Past an expiry deadline the certificate is expired (above): only a review is left to miss.
  if (deadline.kind === 'review' && daysLeft < 0) {
    return {
      color: 'red',
      daysLeft,
      reasons: [{ code: 'review_missed', certificateId: id, date: deadline.date, days: daysLeft }],
    };
  }
  const registry = cert.verification?.outcome;
  const registryRed: Partial<Record<RegistryOutcome, ReasonCode>> = {
    revoked: 'registry_revoked',
    expired: 'registry_expired',
    not_found: 'registry_not_found',
    mismatch: 'registry_mismatch',
  };
  const redByRegistry = registry ? registryRed[registry] : undefined;
  if (redByRegistry) return { color: 'red', daysLeft, reasons: [{ code: redByRegistry, certificateId: id }] };
  const nameReview: StatusReason[] =
    registry === 'name_review' ? [{ code: 'registry_name_review', certificateId: id }] : [];
  const reason = (code: ReasonCode): StatusReason => ({
    code,
    certificateId: id,
    date: deadline.date,
    days: daysLeft,
  });
  if (daysLeft <= t.escalateDays) {
    return {
      color: 'yellow',
      daysLeft,
      reasons: [...nameReview, reason(deadline.kind === 'review' ? 'review_due_urgent' : 'expiring_urgent')],
    };
  }
  if (daysLeft <= t.yellowDays) {
    return {
      color: 'yellow',
      daysLeft,
      reasons: [...nameReview, reason(deadline.kind === 'review' ? 'review_due' : 'expiring')],
    };
  }
  // A name that differs only by romanisation or is a former name needs a human: yellow.
  if (nameReview.length) return { color: 'yellow', daysLeft, reasons: nameReview };
  if (daysLeft <= t.reminderDays) return { color: 'green', daysLeft, reasons: [reason('reminder_window')] };
  return { color: 'green', daysLeft, reasons: [] };
}

/** Renewal chains: each list runs oldest → newest along `replacesCertificateId`. */
export function renewalChains(certs: CertificateFacts[]): CertificateFacts[][] {
  const byId = new Map(certs.map((c) => [c.certificateId, c]));
  // Ids of replaced certificates; an absent or unknown one matches no certificate here.
  const replacedIds = new Set(certs.map((c) => c.replacesCertificateId));
  const heads = certs.filter((c) => !replacedIds.has(c.certificateId));
  return heads.map((head) => {
    const chain: CertificateFacts[] = [head];
    // A head is replaced by nothing, so no chain leads back to it: only older links can loop.
    const seen = new Set<string>();
    let prev = head.replacesCertificateId ? byId.get(head.replacesCertificateId) : undefined;
    while (prev && !seen.has(prev.certificateId)) {
      chain.unshift(prev);
      seen.add(prev.certificateId);
      prev = prev.replacesCertificateId ? byId.get(prev.replacesCertificateId) : undefined;
    }
    return chain;
  });
}

function nextChangeDate(
  certs: CertificateFacts[],
  today: CalendarDate,
  t: StatusThresholds,
): CalendarDate | null {
  const candidates: CalendarDate[] = [];
  for (const c of certs) {
    const deadline = deadlineOf(c).date;
    candidates.push(
      c.issuedOn,
      addDays(c.expiresOn, 1),
      addDays(deadline, 1),
      addDays(deadline, -t.yellowDays),
      addDays(deadline, -t.escalateDays),
      addDays(deadline, -t.reminderDays),
    );
    if (c.revokedOn) candidates.push(c.revokedOn);
  }
  return minDate(...candidates.filter((d) => compareDates(d, today) > 0)) ?? null;
}

/**
 * A person's status: the worst colour of the certificates in force, one per renewal chain.
 * Red freezes gate access and dispatch.
 */
export function computePersonStatus(
  certs: CertificateFacts[],
  today: CalendarDate,
  thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
): PersonStatus {
  const status = statusOn(certs, today, thresholds);
  if (status.gateAccess === 'frozen') return status;
  let day = status.nextChangeOn;
  for (let step = 0; day && step < LAPSE_LOOKAHEAD_STEPS; step++) {
    const later = statusOn(certs, day, thresholds);
    if (later.gateAccess === 'frozen') return { ...status, accessLapsesOn: day };
    day = later.nextChangeOn;
  }
  return status;
}

function statusOn(
  certs: CertificateFacts[],
  today: CalendarDate,
  thresholds: StatusThresholds,
): PersonStatus {
  const certificates = new Map<string, CertificateStatus>();
  const personReasons: StatusReason[] = [];
  const colors: Color[] = [];
  const categories = new Set<string>();

  for (const chain of renewalChains(certs)) {
    // The certificate in force is the newest one already issued; before that, the oldest.
    const issued = chain.filter((c) => compareDates(c.issuedOn, today) <= 0);
    const current = issued[issued.length - 1] ?? (chain[0] as CertificateFacts);
    chain.forEach((cert, i) => {
      const own = evaluateCertificate(cert, today, thresholds);
      const previous = chain[i - 1];
      certificates.set(cert.certificateId, {
        certificateId: cert.certificateId,
        color: own.color,
        daysLeft: own.daysLeft,
        expiresOn: cert.expiresOn,
        reviewDueOn: cert.reviewDueOn,
        ...(previous ? { vacuumPeriod: vacuumPeriodBetween(previous, cert) } : {}),
        current: cert === current,
        verification: cert.verification ?? null,
        reasons: own.reasons,
      });
    });

    categories.add(current.category);
    const own = evaluateCertificate(current, today, thresholds);
    const next = chain[chain.indexOf(current) + 1];
    let color = own.color;
    let reasons = own.reasons;
    const gap = next ? vacuumPeriodBetween(current, next) : undefined;
    // `next` is not issued yet (else it would be current), so today ≤ gap.to always.
    if (next && gap && compareDates(gap.from, today) <= 0) {
      // The old certificate has lapsed and its renewal is not issued yet: not certified.
      color = 'red';
      reasons = [
        {
          code: 'vacuum_period',
          certificateId: next.certificateId,
          date: gap.to,
          days: daysBetween(today, gap.to),
        },
      ];
    } else if (next && !gap && own.color === 'yellow') {
      // A renewal that starts without a gap is already entered: nothing to chase.
      color = 'green';
      reasons = [{ code: 'renewal_entered', certificateId: next.certificateId, date: next.issuedOn }];
    }
    colors.push(color);
    personReasons.push(...reasons);
  }

  if (colors.length === 0) {
    colors.push('red');
    personReasons.push({ code: 'no_certificate' });
  }
  const color = worstColor(colors);
  const access: Access = color === 'red' ? 'frozen' : 'allowed';
  const order = (r: StatusReason) =>
    REASON_COLOR[r.code] === 'red' ? 0 : REASON_COLOR[r.code] === 'yellow' ? 1 : 2;
  return {
    color,
    reasons: personReasons.sort((a, b) => order(a) - order(b)),
    gateAccess: access,
    dispatch: access,
    certificates: certs.map((c) => certificates.get(c.certificateId) as CertificateStatus),
    computedOn: today,
    categories: [...categories].sort(),
    nextChangeOn: nextChangeDate(certs, today, thresholds),
  };
}

export const REASON_COLOR: Record<ReasonCode, Color> = {
  no_certificate: 'red',
  blacklisted: 'red',
  subcontractor_terminated: 'red',
  departed: 'red',
  suspended: 'red',
  review_at_risk: 'yellow',
  forgery_review: 'red',
  forgery_confirmed: 'red',
  revoked: 'red',
  expired: 'red',
  review_missed: 'red',
  vacuum_period: 'red',
  not_yet_valid: 'red',
  expiring: 'yellow',
  expiring_urgent: 'yellow',
  review_due: 'yellow',
  review_due_urgent: 'yellow',
  reminder_window: 'green',
  renewal_entered: 'green',
  registry_revoked: 'red',
  registry_expired: 'red',
  registry_not_found: 'red',
  registry_mismatch: 'red',
  registry_name_review: 'yellow',
};

/**
 * The next day the status changes by date alone, once `day` is one such day too: the earlier
 * of the two (the sweep comes back then).
 */
const earlierChange = (next: CalendarDate | null, day: CalendarDate) => (!next || day < next ? day : next);

/** The status as it reads once the person's engagement has ended: red, nothing allowed, and why. */
export function withEngagementEnd(
  status: PersonStatus,
  end: { on: CalendarDate; reason: 'subcontractor_terminated' | 'departed' } | undefined,
  today: CalendarDate,
): PersonStatus {
  if (!end) return status;
  // Ending later: the status changes that day by date alone (the sweep comes back then).
  if (end.on > today) return { ...status, nextChangeOn: earlierChange(status.nextChangeOn, end.on) };
  return {
    ...status,
    color: 'red',
    gateAccess: 'frozen',
    dispatch: 'frozen',
    reasons: [{ code: end.reason, date: end.on }, ...status.reasons],
  };
}

/**
 * The status of a person suspended for training (E1): red, nothing allowed, `suspended`
 * first — until reinstated. And the review-at-risk mark (Order 30 Art. 25) on each MEM
 * certificate in force: at least yellow, a warning that freezes nothing.
 */
export function withViolationMarks(
  status: PersonStatus,
  marks: {
    suspension?: { since: CalendarDate };
    reviewAtRisk?: { since: CalendarDate; until?: CalendarDate };
  },
  /** The MEM certificates in force whose review the mark concerns (not those reviewed since it). */
  memCertificateIds: readonly string[],
  today: CalendarDate,
): PersonStatus {
  let out = status;
  const until = marks.reviewAtRisk?.until;
  const atRisk = reviewAtRiskInForce(marks.reviewAtRisk, today);
  if (atRisk && memCertificateIds.length)
    out = {
      ...out,
      // The mark lapses by date alone: the sweep comes back that day.
      nextChangeOn: until ? earlierChange(out.nextChangeOn, until) : out.nextChangeOn,
      color: out.color === 'green' ? 'yellow' : out.color,
      reasons: [
        ...out.reasons,
        ...memCertificateIds.map((certificateId) => ({
          code: 'review_at_risk' as const,
          certificateId,
          date: marks.reviewAtRisk?.since,
        })),
      ],
    };
  if (marks.suspension)
    out = {
      ...out,
      color: 'red',
      gateAccess: 'frozen',
      dispatch: 'frozen',
      reasons: [{ code: 'suspended', date: marks.suspension.since }, ...out.reasons],
    };
  return out;
}

/**
 * The status with an alliance blacklist hold laid over it (O4): red, gate and dispatch frozen,
 * `blacklisted` first among the reasons (dated with the hold's expiry) — until the hold
 * expires or is removed. Stored like every other status, so lists, the heat map and notices
 * see the person red; the certificates' own colours stay as they are underneath.
 */
export function withBlacklist(
  status: PersonStatus,
  hold: { expiresOn: CalendarDate; source?: { type: string; organisation?: string } } | undefined,
  today: CalendarDate,
): PersonStatus {
  if (!hold || !(today < hold.expiresOn)) return status;
  return {
    ...status,
    // The hold ends by date alone.
    nextChangeOn: earlierChange(status.nextChangeOn, hold.expiresOn),
    color: 'red',
    gateAccess: 'frozen',
    dispatch: 'frozen',
    reasons: [
      {
        code: 'blacklisted',
        date: hold.expiresOn,
        ...(hold.source?.type === 'partner' && hold.source.organisation
          ? { source: hold.source.organisation }
          : {}),
      },
      ...status.reasons,
    ],
  };
}
