// The relay's side of the inbox: messages not yet handed to the channels, marked once relayed,
// and inbox items read or posted by key (N2).
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).

import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InboxMessage, NotificationRequest } from '../domain/notifications.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { transact } from '../shared/dynamo/transactions.ts';
import { InboxNotifier } from './inbox-store.ts';
import type { MessageHeader, PendingMessage } from './notification-records.ts';

export class DynamoOutbox extends TableStore {
  /** Inbox messages not yet handed to the channels, oldest first. */
  async pending(
    limit: number,
    after?: Record<string, string>,
  ): Promise<{ items: PendingMessage[]; next?: Record<string, string> }> {
    const q = keys.notifyPendingQuery();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: q.index,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': q.pk },
        Limit: limit,
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({ pk: i.pk as string, sk: i.sk as string })),
      ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey as Record<string, string> } : {}),
    };
  }

  async markRelayed(message: PendingMessage): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: message.pk, sk: message.sk },
        UpdateExpression: 'REMOVE gsi4pk, gsi4sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  /** Writes one inbox message now (its own transaction) and returns it as stored. */
  async postInbox(
    tenantId: string,
    request: NotificationRequest,
  ): Promise<InboxMessage & { tenantId: string }> {
    const prepared = new InboxNotifier(this.table).prepare(tenantId, [request], this.clock.now());
    await transact(this.db, prepared);
    const put = prepared[0] as unknown as { Put: { Item: InboxMessage & { tenantId: string } } };
    return put.Put.Item;
  }

  /** The inbox item of a person's message (its header names the person, time and id). */
  inboxKeyOf(tenantId: string, header: MessageHeader): PendingMessage {
    return keys.inbox(tenantId, `PERSON#${header.personId}`, header.createdAt, header.messageId);
  }

  async inboxMessage(message: PendingMessage): Promise<(InboxMessage & { tenantId: string }) | undefined> {
    return this.item({ pk: message.pk, sk: message.sk });
  }
}

/** The port its use cases are handed: the adapter's public methods. */
export type Outbox = Pick<DynamoOutbox, keyof DynamoOutbox>;
