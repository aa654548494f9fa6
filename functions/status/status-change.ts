// What a change of a person's colour sets off (SPEC L5): a history entry, an audit
// record and notification requests. Pure: the writer turns them into items of the same
// transaction as the status itself.
import type { Color, PersonStatus, StatusReason } from '../certificates/status.ts';
import { maskName } from '../shared/identity-numbers.ts';

export type StatusCause =
  | 'person.create'
  | 'certificate.create'
  | 'certificate.renew'
  | 'certificate.stamp'
  | 'certificate.verify'
  | 'certificate.forgery_analysis'
  | 'certificate.forgery_review'
  | 'status.read'
  | 'expiry-sweep';

export type Mailbox = `PERSON#${string}` | `SITE#${string}#site_manager` | 'ROLE#hr' | `USER#${string}`;

/** Every kind of notice the product writes (the inbox shows them all; rules choose channels). */
export const NOTIFICATION_KINDS = [
  'review_task',
  'freeze_notice',
  'unfreeze_notice',
  'site_induction',
  'ticket_suspended',
  'travel_alert',
  'permit_signature_request',
  'blacklist_notice',
  'blacklist_appeal',
  'blacklist_decision',
  'binding_guide',
  'undelivered_alert',
  'account_invitation',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationRequest {
  kind: NotificationKind;
  /** An undelivered alert: which message reached nobody (N2). */
  undelivered?: { messageId: string; kind: NotificationKind };
  mailbox: Mailbox;
  personId: string;
  nameMasked: string;
  /** The person's colour, where the notice is about it. */
  color?: Color;
  reasons: StatusReason[];
  /** A site induction: the site's safety notice and the quiz to take (X5). */
  quiz?: { quizId: string; siteId: string };
  /** A work ticket suspended because this person turned red (X4). */
  ticket?: { ticketId: string; siteId: string };
  /** Check-ins farther apart than the tenant's distance within its hours (X4, 50 km / 24 h). */
  travel?: { fromSiteId: string; fromAt: string; toSiteId: string; toAt: string; km: number; hours: number };
  /** A blacklist entry about this person (O4): what, until when, how to appeal; or its outcome. */
  blacklist?: {
    entryId: string;
    reasonCode: string;
    expiresOn: string;
    appealBy?: string;
    sharedWith?: string;
    decision?: 'uphold' | 'remove';
  };
  /** An invitation to the person's own account: the single-use code and until when it works. */
  invitation?: { code: string; expiresAt: string };
  /** A cross-site permit waiting for this site's signature (X4). */
  permit?: { permitId: string; side: 'from' | 'to'; fromSiteId: string; toSiteId: string };
}

export interface ColourChange {
  from: Color | null;
  to: Color;
}

export function colourChange(
  before: PersonStatus | undefined,
  after: PersonStatus,
): ColourChange | undefined {
  const from = before?.color ?? null;
  return from === after.color ? undefined : { from, to: after.color };
}

/**
 * Who hears of a change: a review task to the holder on turning yellow; a freeze notice
 * to the holder, the managers of their home site and HR on turning red; an unfreeze
 * notice to the same people when red clears. A newly registered person starting red is
 * not news.
 */
export function notificationsFor(
  change: ColourChange,
  person: { personId: string; name: string; homeSiteId?: string },
  reasons: StatusReason[],
): NotificationRequest[] {
  if (change.from === null) return [];
  const holder: Mailbox = `PERSON#${person.personId}`;
  const supervisors: Mailbox[] = [
    ...(person.homeSiteId ? [`SITE#${person.homeSiteId}#site_manager` as const] : []),
    'ROLE#hr',
  ];
  const make = (kind: NotificationKind, mailbox: Mailbox): NotificationRequest => ({
    kind,
    mailbox,
    personId: person.personId,
    nameMasked: maskName(person.name),
    color: change.to,
    reasons,
  });
  if (change.to === 'red') return [holder, ...supervisors].map((m) => make('freeze_notice', m));
  if (change.from === 'red') return [holder, ...supervisors].map((m) => make('unfreeze_notice', m));
  if (change.to === 'yellow') return [make('review_task', holder)];
  return [];
}
