// A blacklist hold as every capability sees it (SPEC O4): why, until when, and whose entry
// it is. The gate, dispatch, admission, the person record and the alliance read it; the
// blacklist capability writes it.
import type { CalendarDate } from '../shared/calendar.ts';

export const REASON_CODES = [
  'forged_certificate',
  'borrowed_certificate',
  'identity_fraud',
  'serious_violation',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Where an entry came from: this tenant, or a partner association (federation). */
export type EntrySource =
  | { type: 'own' }
  | {
      type: 'partner';
      partnerId: string;
      /** The registered partner's name: the source, whatever the push says. */
      organisation: string;
      /** The label the partner put in its push (a member under it, say), shown only under its name. */
      reportedAs?: string;
    };

/** The registered organisation behind a hold, for a partner's entry; undefined for the tenant's own. */
export const partnerOrganisation = (source: EntrySource | undefined): string | undefined =>
  source?.type === 'partner' ? source.organisation : undefined;

/** What the person's gate view and profile carry while an entry is in force. */
export interface BlacklistHold {
  entryId: string;
  reasonCode: ReasonCode;
  /** The first day the entry no longer counts (China date). */
  expiresOn: CalendarDate;
  source: EntrySource;
}
