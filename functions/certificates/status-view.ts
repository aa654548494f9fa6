import { type Language, message } from '../shared/i18n/messages.ts';
import type { PersonStatus } from './status.ts';

/** The status as the API shows it: every reason with a sentence in the caller's language. */
export function statusView(personId: string, status: PersonStatus, lang: Language) {
  return {
    personId,
    color: status.color,
    reasons: status.reasons.map((r) => ({
      ...r,
      detail: message(r.code, lang, { date: r.date, days: r.days }),
    })),
    gateAccess: status.gateAccess,
    dispatch: status.dispatch,
    certificates: status.certificates.map(({ reasons: _r, ...c }) => c),
    computedOn: status.computedOn,
    nextChangeOn: status.nextChangeOn,
  };
}
