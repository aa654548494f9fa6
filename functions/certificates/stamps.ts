// Stamps on an existing card (pure): the MEM interim review (复审, every 3 years, MEM Order
// No. 30 Art. 21–22, 26) and the MOHURD extension (延期复核, +2 years each, 建质〔2008〕75号
// Art. 22–23). Both change the dates of the same certificate instead of issuing a new one.

import type { CertificateRecord } from '../domain/certificate.ts';
import { SCHEME_RULES } from '../domain/scheme-rules.ts';
import { addDays, addYears, type CalendarDate, compareDates } from '../shared/calendar.ts';

export type Stamp =
  | { kind: 'review'; reviewedOn: CalendarDate }
  | { kind: 'extension'; extendedOn: CalendarDate; expiresOn?: CalendarDate };

export type StampProblem =
  | 'no_review_for_scheme'
  | 'no_review_due'
  | 'review_too_late'
  | 'review_outside_window'
  | 'not_extendable'
  | 'certificate_expired'
  | 'extension_outside_window'
  | 'extension_expiry_invalid'
  | 'date_in_future'
  | 'certificate_replaced'
  | 'certificate_revoked';

export type StampResult =
  | { ok: true; reviewDueOn: CalendarDate | null; expiresOn: CalendarDate }
  | { ok: false; problem: StampProblem };

export function applyStamp(cert: CertificateRecord, stamp: Stamp, today: CalendarDate): StampResult {
  const fail = (problem: StampProblem): StampResult => ({ ok: false, problem });
  const rule = SCHEME_RULES[cert.scheme];
  if (cert.replacedByCertificateId) return fail('certificate_replaced');
  if (cert.revokedOn) return fail('certificate_revoked');
  if (stamp.kind === 'review') {
    if (rule.reviewIntervalYears === null) return fail('no_review_for_scheme');
    if (!cert.reviewDueOn) return fail('no_review_due');
    if (compareDates(stamp.reviewedOn, today) > 0) return fail('date_in_future');
    // A review not done by its due date invalidates the card (Art. 26): a new one is needed.
    if (compareDates(stamp.reviewedOn, cert.reviewDueOn) > 0) return fail('review_too_late');
    if (compareDates(stamp.reviewedOn, addDays(cert.reviewDueOn, -(rule.reviewWindowDays ?? 0))) < 0)
      return fail('review_outside_window');
    const interval = cert.reviewIntervalExtended
      ? (rule.extendedReviewIntervalYears ?? rule.reviewIntervalYears)
      : rule.reviewIntervalYears;
    const next = addYears(cert.reviewDueOn, interval);
    // A next review on or after expiry is replaced by the renewal itself.
    return {
      ok: true,
      reviewDueOn: compareDates(next, cert.expiresOn) < 0 ? next : null,
      expiresOn: cert.expiresOn,
    };
  }
  if (!rule.extendable) return fail('not_extendable');
  if (compareDates(stamp.extendedOn, today) > 0) return fail('date_in_future');
  if (compareDates(stamp.extendedOn, cert.expiresOn) > 0) return fail('certificate_expired');
  if (compareDates(stamp.extendedOn, addDays(cert.expiresOn, -rule.renewalWindow.opensDaysBefore)) < 0)
    return fail('extension_outside_window');
  const longest = addYears(cert.expiresOn, rule.validityYears);
  const expiresOn = stamp.expiresOn ?? longest;
  if (compareDates(expiresOn, cert.expiresOn) <= 0 || compareDates(expiresOn, longest) > 0)
    return fail('extension_expiry_invalid');
  return { ok: true, reviewDueOn: cert.reviewDueOn, expiresOn };
}
