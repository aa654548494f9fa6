// DynamoDB adapter for subcontractors. A unified social credit code names one subcontractor
// per tenant (a guard item in the same transaction), so a company registered twice is a 409.

import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SUBCONTRACTOR_ITEM } from '../domain/entities.ts';
import {
  type SubcontractorRecord,
  type SubcontractorRepository,
  subcontractorVersion,
} from '../domain/subcontractors.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, PreconditionFailed } from '../shared/errors.ts';
import { maskName, maskPhone } from '../shared/identity-numbers.ts';

/** A code no subcontractor holds: never used, or released by a correction. */
const FREE_CODE = 'attribute_not_exists(pk) OR attribute_not_exists(subcontractorId)';
const FIELDS = ['name', 'unifiedSocialCreditCode', 'contacts', 'termination'] as const;

/** What the audit record keeps of a changed field: contacts masked. */
function audited(record: SubcontractorRecord, field: (typeof FIELDS)[number]) {
  if (field === 'contacts')
    return record.contacts.map((c) => ({
      name: maskName(c.name),
      phone: maskPhone(c.phone),
      ...(c.role ? { role: c.role } : {}),
    }));
  return record[field] ?? null;
}

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
            ConditionExpression: FREE_CODE,
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

  async update(
    principal: Principal,
    before: SubcontractorRecord,
    after: SubcontractorRecord,
    action: 'subcontractor.update' | 'subcontractor.terminate' | 'subcontractor.reinstate',
    requestId: string,
  ) {
    const tenantId = principal.tenantId;
    const now = after.updatedAt ?? this.clock.now().toISOString();
    const fields = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
    const set: Record<string, unknown> = { version: after.version, updatedAt: now };
    const remove: string[] = [];
    for (const f of fields) {
      if (after[f] === undefined) remove.push(f);
      else set[f] = after[f];
    }
    const names = Object.keys(set);
    const codeMoves: TransactItem[] =
      before.unifiedSocialCreditCode !== after.unifiedSocialCreditCode
        ? [
            {
              Update: {
                TableName: this.table,
                Key: keys.subcontractorCode(tenantId, before.unifiedSocialCreditCode),
                UpdateExpression: 'REMOVE subcontractorId SET releasedAt = :now',
                ConditionExpression: 'subcontractorId = :sub',
                ExpressionAttributeValues: { ':sub': before.subcontractorId, ':now': now },
              },
            },
            guard(
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...keys.subcontractorCode(tenantId, after.unifiedSocialCreditCode),
                    entity: 'subcontractor-code',
                    subcontractorId: before.subcontractorId,
                  },
                  ConditionExpression: FREE_CODE,
                },
              },
              () => new Conflict('subcontractor_code_taken'),
            ) as TransactItem,
          ]
        : [];
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.subcontractor(tenantId, before.subcontractorId),
            UpdateExpression:
              `SET ${names.map((_, i) => `#s${i} = :s${i}`).join(', ')}` +
              (remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''),
            ConditionExpression:
              'attribute_exists(pk) AND (version = :expected OR (attribute_not_exists(version) AND :expected = :one))',
            ExpressionAttributeNames: {
              ...Object.fromEntries(names.map((n, i) => [`#s${i}`, n])),
              ...Object.fromEntries(remove.map((n, i) => [`#r${i}`, n])),
            },
            ExpressionAttributeValues: {
              ...Object.fromEntries(names.map((n, i) => [`:s${i}`, set[n]])),
              ':expected': subcontractorVersion(before),
              ':one': 1,
            },
          },
        },
        () => new PreconditionFailed('stale_version'),
      ),
      ...codeMoves,
      auditPut(
        this.table,
        principal,
        {
          action,
          entityType: 'subcontractor',
          entityId: before.subcontractorId,
          details: {
            before: Object.fromEntries(fields.map((f) => [f, audited(before, f)])),
            after: Object.fromEntries(fields.map((f) => [f, audited(after, f)])),
          },
        },
        requestId,
        new Date(now),
      ),
    ]);
  }

  async get(tenantId: string, subcontractorId: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.subcontractor(tenantId, subcontractorId),
        ConsistentRead: true,
      }),
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
  const {
    subcontractorId,
    name,
    unifiedSocialCreditCode,
    contacts,
    createdAt,
    usccCheckFailed,
    termination,
    version,
    updatedAt,
  } = parseItem<SubcontractorRecord>(SUBCONTRACTOR_ITEM, 'subcontractor', item);
  return {
    subcontractorId,
    name,
    unifiedSocialCreditCode,
    contacts,
    createdAt,
    ...(usccCheckFailed ? { usccCheckFailed } : {}),
    ...(termination ? { termination } : {}),
    ...(version ? { version } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}
