// The audit trail as stored (T#<tenant>#AUDIT#<China day>, sorted by time): one day's records
// at a time, newest first, filtered in the query. Records are written by every other adapter
// in the transaction of the change they record (functions/shared/audit.ts); this one reads.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_RECORD_ITEM } from '../domain/entities.ts';
import type { AuditEntityType } from '../shared/audit.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { keys } from '../shared/dynamo/table-design.ts';

export interface AuditRecord {
  auditId: string;
  at: string;
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  actor: { subject: string; role: string };
  requestId: string;
  details?: Record<string, unknown>;
  /** The chain (reports/audit-chain.ts): its own hash from the write; seq and link once its day is sealed. */
  hash?: string;
  seq?: number;
  prevHash?: string;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
}

export type DayKey = Record<string, string>;

/** The audit-trail port: one day of a tenant's records, a page at a time. */
export interface AuditTrail {
  day(
    tenantId: string,
    day: string,
    page: { limit: number; startKey?: DayKey; filter: AuditFilter },
  ): Promise<{ items: { record: AuditRecord; key: DayKey }[]; lastKey?: DayKey }>;
}

export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async day(tenantId: string, day: string, page: { limit: number; startKey?: DayKey; filter: AuditFilter }) {
    const { pk } = keys.audit(tenantId, day, '', '');
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk };
    const match = (attribute: string, path: string, value: string | undefined) => {
      if (value === undefined) return;
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      conditions.push(`${path} = :${attribute}`);
    };
    match('entityType', '#entityType', page.filter.entityType);
    match('entityId', '#entityId', page.filter.entityId);
    match('action', '#action', page.filter.action);
    if (page.filter.actor !== undefined) {
      names['#actor'] = 'actor';
      names['#subject'] = 'subject';
      values[':subject'] = page.filter.actor;
      conditions.push('#actor.#subject = :subject');
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.startKey ? { ExclusiveStartKey: page.startKey } : {}),
      }),
    );
    const items = out.Items ?? [];
    const records = parseItems<AuditRecord>(AUDIT_RECORD_ITEM, 'audit', items);
    return {
      items: records.map((record, i) => ({
        record,
        key: { pk: String(items[i]?.pk), sk: String(items[i]?.sk) },
      })),
      ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey as DayKey } : {}),
    };
  }
}
