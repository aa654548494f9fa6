// DynamoDB adapter for subcontractors. A unified social credit code names one subcontractor
// per tenant (a guard item in the same transaction), so a company registered twice is a 409.

import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SUBCONTRACTOR_ITEM } from '../domain/entities.ts';
import type { SubcontractorRecord, SubcontractorRepository } from '../domain/subcontractors.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';

export type { SubcontractorRecord, SubcontractorRepository } from '../domain/subcontractors.ts';

export class DynamoSubcontractorRepository implements SubcontractorRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, record: SubcontractorRecord, requestId: string) {
    const tenantId = principal.tenantId;
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.subcontractor(tenantId, record.subcontractorId),
            entity: 'subcontractor',
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      guard(
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.subcontractorCode(tenantId, record.unifiedSocialCreditCode),
              entity: 'subcontractor-code',
              subcontractorId: record.subcontractorId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        () => new Conflict('subcontractor_code_taken'),
      ),
      auditPut(
        this.table,
        principal,
        { action: 'subcontractor.create', entityType: 'subcontractor', entityId: record.subcontractorId },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async get(tenantId: string, subcontractorId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.subcontractor(tenantId, subcontractorId) }),
    );
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async list(tenantId: string) {
    const { pk, skPrefix } = keys.subcontractors(tenantId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map(toRecord);
  }
}

function toRecord(item: Record<string, unknown>): SubcontractorRecord {
  const { subcontractorId, name, unifiedSocialCreditCode, contacts, createdAt, usccCheckFailed } =
    parseItem<SubcontractorRecord>(SUBCONTRACTOR_ITEM, 'subcontractor', item);
  return {
    subcontractorId,
    name,
    unifiedSocialCreditCode,
    contacts,
    createdAt,
    ...(usccCheckFailed ? { usccCheckFailed } : {}),
  };
}
