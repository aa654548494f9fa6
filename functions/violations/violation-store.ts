// DynamoDB adapter for violations: one item per violation under the person (their list is
// one query), audited; a decision only on a proposal still proposed.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EventOutbox, WebhookEvent } from '../domain/webhook-events.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';
import type { ViolationRecord, ViolationStore } from './violations.ts';

const FIELDS = [
  'violationId',
  'tenantId',
  'personId',
  'type',
  'occurredAt',
  'occurredOn',
  'siteId',
  'evidence',
  'note',
  'serious',
  'status',
  'points',
  'source',
  'recordedBy',
  'recordedAt',
  'decidedBy',
  'decidedAt',
  'decisionNote',
] as const;

const toViolation = (item: Record<string, unknown>): ViolationRecord =>
  Object.fromEntries(
    FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as ViolationRecord;

export class DynamoViolationStore extends TableStore implements ViolationStore {
  constructor(
    db: DynamoDBDocumentClient,
    table: string,
    clock: Clock,
    /** Events (points for insurers) written in the violation's own transaction. */
    private readonly outbox: EventOutbox<TransactItem>,
  ) {
    super(db, table, clock);
  }

  private item_(v: ViolationRecord) {
    return {
      ...keys.violation(v.tenantId, v.personId, v.violationId),
      ...keys.violationIndex(v.tenantId, v.violationId),
      ...keys.violationByDay(v.tenantId, v.occurredOn, v.violationId),
      entity: 'violation',
      ...v,
    };
  }

  async create(actor: Actor, v: ViolationRecord, requestId: string, events: WebhookEvent[] = []) {
    await transact(this.db, [
      ...this.outbox.prepare(v.tenantId, events),
      {
        Put: {
          TableName: this.table,
          Item: this.item_(v),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(
        this.table,
        actor,
        {
          action: v.status === 'proposed' ? 'violation.propose' : 'violation.record',
          entityType: 'person',
          entityId: v.personId,
          details: { violationId: v.violationId, type: v.type, siteId: v.siteId, points: v.points ?? 0 },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async get(tenantId: string, violationId: string) {
    const q = keys.violationIndexQuery(tenantId, violationId);
    const found = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': q.pk },
    });
    const first = found[0];
    if (!first) return undefined;
    // The index lags a moment: the item itself, read consistently.
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.violation(tenantId, String(first.personId), violationId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toViolation(out.Item) : undefined;
  }

  async ofPerson(tenantId: string, personId: string) {
    const of = keys.violationsOf(tenantId, personId);
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': of.pk, ':sk': of.skPrefix },
      ConsistentRead: true,
    });
    return items.map(toViolation);
  }

  /** The tenant's violations that occurred on or after `since`: the radar's trend (one range query). */
  async since(tenantId: string, since: string) {
    const q = keys.violationsByDayQuery(tenantId, since);
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
      ExpressionAttributeValues: { ':pk': q.pk, ':from': q.from },
    });
    return items.map(toViolation);
  }

  async decide(actor: Actor, after: ViolationRecord, requestId: string, events: WebhookEvent[] = []) {
    await transact(this.db, [
      ...this.outbox.prepare(after.tenantId, events),
      guard(
        {
          Put: {
            TableName: this.table,
            Item: this.item_(after),
            ConditionExpression: '#s = :proposed',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':proposed': 'proposed' },
          },
        },
        () => new Conflict('violation_decided'),
      ),
      auditPut(
        this.table,
        actor,
        {
          action: after.status === 'confirmed' ? 'violation.confirm' : 'violation.dismiss',
          entityType: 'person',
          entityId: after.personId,
          details: { violationId: after.violationId, type: after.type, points: after.points ?? 0 },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }
}
