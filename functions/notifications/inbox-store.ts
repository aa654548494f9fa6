// The in-app inbox channel: one item per message in the recipient mailbox's partition,
// written with the status change. Text is rendered when read, in the reader's language.

import type { InboxMessage, NotificationRequest } from '../domain/notifications.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { TransactItem } from '../shared/dynamo/transactions.ts';
import { newId } from '../shared/ids.ts';
import type { Notifier } from './notifier.ts';

export type { InboxMessage };

export class InboxNotifier implements Notifier<TransactItem> {
  constructor(private readonly table: string) {}

  prepare(tenantId: string, requests: NotificationRequest[], now: Date): TransactItem[] {
    const at = now.toISOString();
    return requests.map((r) => {
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
    });
  }
}
