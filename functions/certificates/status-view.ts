import type { PersonStatus, StatusReason } from '../domain/status-rules.ts';
import { type Language, message } from '../shared/i18n/messages.ts';

/** Reasons with a sentence each in the caller's language. */
export function reasonViews(reasons: StatusReason[], lang: Language) {
  return reasons.map((r) => ({
    ...r,
    // A partner's entry names its association (the registered one), in the sentence too.
    detail: message(r.code, lang, {
      date: r.date,
      days: r.days,
      organisation: r.source,
    }),
  }));
}

/** The status as the API shows it: every reason with a sentence in the caller's language. */
export function statusView(personId: string, status: PersonStatus, lang: Language) {
  return {
    personId,
    color: status.color,
    reasons: reasonViews(status.reasons, lang),
    gateAccess: status.gateAccess,
    dispatch: status.dispatch,
    certificates: status.certificates.map(({ reasons: _r, ...c }) => c),
    computedOn: status.computedOn,
    nextChangeOn: status.nextChangeOn,
  };
}
