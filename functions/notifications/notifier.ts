// The Notifier port. A channel turns notification requests into work done with the
// status change: items written in the same transaction (the in-app inbox, and the outbox
// other channels will read), so a notice is never lost nor sent for a change that did
// not happen.
import type { NotificationRequest } from '../domain/notifications.ts';

export interface PreparedNotifications {
  /** DynamoDB TransactWriteItems entries to commit with the status. */
  transactItems: Record<string, unknown>[];
}

export interface Notifier {
  prepare(tenantId: string, requests: NotificationRequest[], now: Date): PreparedNotifications;
}
