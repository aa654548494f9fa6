// The in-app inbox channel: one item per message in the recipient mailbox's partition,
// written with the status change. Text is rendered when read, in the reader's language.
import { keys } from '../shared/dynamo/table-design.ts';
import { newId } from '../shared/ids.ts';
import type { NotificationRequest } from '../status/status-change.ts';
import type { Notifier, PreparedNotifications } from './notifier.ts';

export interface InboxMessage {
  messageId: string;
  mailbox: string;
  kind: NotificationRequest['kind'];
  personId: string;
  color: string;
  reasons: NotificationRequest['reasons'];
  createdAt: string;
}

export class InboxNotifier implements Notifier {
  constructor(private readonly table: string) {}

  prepare(tenantId: string, requests: NotificationRequest[], now: Date): PreparedNotifications {
    const at = now.toISOString();
    return {
      transactItems: requests.map((r) => {
        const messageId = newId('msg');
        const message: InboxMessage = {
          messageId,
          mailbox: r.mailbox,
          kind: r.kind,
          personId: r.personId,
          color: r.color,
          reasons: r.reasons,
          createdAt: at,
        };
        return {
          Put: {
            TableName: this.table,
            Item: { ...keys.inbox(tenantId, r.mailbox, at, messageId), entity: 'inbox-message', ...message },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
      }),
    };
  }
}
