// The notices the product writes and where they go: the words the status engine, tickets,
// permits, the blacklist and users write in, and notifications deliver.
import type { Color, StatusReason } from './status.ts';

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

/**
 * The Notifier port: a channel turns notification requests into writes committed with the
 * change that causes them (the in-app inbox, and the outbox other channels read), so a
 * notice is never lost nor sent for a change that did not happen. `Item` is the store's
 * write (the DynamoDB adapter's: a TransactWriteItems entry): the port names no database.
 */
export interface Notifier<Item = unknown> {
  prepare(tenantId: string, requests: NotificationRequest[], now: Date): Item[];
}

/** A message as a mailbox holds it (the inbox's read model). */
export interface InboxMessage {
  messageId: string;
  mailbox: string;
  kind: NotificationRequest['kind'];
  personId: string;
  nameMasked: string;
  color?: string;
  reasons: NotificationRequest['reasons'];
  quiz?: NotificationRequest['quiz'];
  ticket?: NotificationRequest['ticket'];
  permit?: NotificationRequest['permit'];
  blacklist?: NotificationRequest['blacklist'];
  travel?: NotificationRequest['travel'];
  undelivered?: NotificationRequest['undelivered'];
  invitation?: NotificationRequest['invitation'];
  createdAt: string;
}
