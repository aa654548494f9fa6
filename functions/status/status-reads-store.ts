// DynamoDB adapter for reads of status events: a person's history and the caller's inbox.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INBOX_MESSAGE_ITEM } from '../domain/entities.ts';
import type { InboxMessage } from '../domain/notifications.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { Mailbox } from './status-change.ts';

/** The port: what the status routes read. */
export interface StatusReads {
  history(
    tenantId: string,
    personId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }>;
  inbox(tenantId: string, mailboxes: Mailbox[], limit: number): Promise<InboxMessage[]>;
}

export class DynamoStatusReads implements StatusReads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async history(tenantId: string, personId: string, limit: number, cursor?: string) {
    const { pk, skPrefix } = keys.statusHistoryOf(tenantId, personId);
    const start = decodeCursor(cursor, { attribute: 'pk', value: pk, allowedAttributes: ['pk', 'sk'] });
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return { items: out.Items ?? [], ...(nextCursor ? { nextCursor } : {}) };
  }

  async inbox(tenantId: string, mailboxes: Mailbox[], limit: number): Promise<InboxMessage[]> {
    const pages = await Promise.all(
      mailboxes.map((m) =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.inboxOf(tenantId, m).pk },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((p) => parseItems<InboxMessage>(INBOX_MESSAGE_ITEM, 'inbox message', p.Items ?? []))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.messageId.localeCompare(a.messageId))
      .slice(0, limit);
  }
}
