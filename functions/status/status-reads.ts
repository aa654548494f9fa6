// Reads of status events: a person's history and the caller's inbox.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InboxMessage } from '../notifications/inbox.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { Mailbox } from './status-change.ts';

/** The mailboxes a caller reads: their own, their role's, their sites', and their person's. */
export function mailboxesOf(principal: Principal): Mailbox[] {
  const boxes: Mailbox[] = [`USER#${principal.subject}`];
  if (principal.personId) boxes.push(`PERSON#${principal.personId}`);
  if (principal.role === 'hr') boxes.push('ROLE#hr');
  if (principal.role === 'site_manager')
    boxes.push(...principal.siteIds.map((s) => `SITE#${s}#site_manager` as const));
  return boxes;
}

export class DynamoStatusReads {
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
      .flatMap((p) => (p.Items ?? []) as InboxMessage[])
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.messageId.localeCompare(a.messageId))
      .slice(0, limit);
  }
}
