// The in-app inbox channel: one item per message in the recipient mailbox's partition,
// written with the status change. Text is rendered when read, in the reader's language.

import type { NotificationRequest } from '../domain/notifications.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { newId } from '../shared/ids.ts';
import type { Notifier, PreparedNotifications } from './notifier.ts';

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

export class InboxNotifier implements Notifier {
  constructor(private readonly table: string) {}

  prepare(tenantId: string, requests: NotificationRequest[], now: Date): PreparedNotifications {
    const at = now.toISOString();
    return {
      transactItems: requests.map((r) => {
        const messageId = newId('msg');
        const message: InboxMessage = { messageId, createdAt: at, ...r };
        return {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.inbox(tenantId, r.mailbox, at, messageId),
              // Waiting for the other channels: the relay job picks it up (notifications/deliveries.ts).
              ...keys.notifyPending(at, tenantId, messageId),
              entity: 'inbox-message',
              tenantId,
              ...message,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
      }),
    };
  }
}
