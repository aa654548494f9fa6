// DynamoDB adapter for webhooks: subscriptions under the tenant, each delivery's log entry
// beside its subscription, and the event outbox (an event item marked pending until the
// relay hands it to the subscriptions). Removing a subscription marks it removed: no
// function deletes items.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EventOutbox, WebhookEvent } from '../domain/webhook-events.ts';
import { auditPut } from '../shared/audit.ts';
import type { Actor } from '../shared/auth/principal.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, isConditionFailure, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { PreconditionFailed } from '../shared/errors.ts';
import type { Acknowledgement, Cover, InsurerStore } from './insurers.ts';
import type { Delivery, Subscription, WebhookStore } from './webhooks.ts';

/** The outbox's writer: an event put with the change, marked pending for the relay. */
export class DynamoEventOutbox implements EventOutbox<TransactItem> {
  constructor(private readonly table: string) {}
  prepare(tenantId: string, events: WebhookEvent[]): TransactItem[] {
    return events.map((e) => ({
      Put: {
        TableName: this.table,
        Item: {
          ...keys.webhookEvent(tenantId, e.eventId),
          ...keys.webhookEventPending(e.occurredAt, tenantId, e.eventId),
          entity: 'webhook-event',
          tenantId,
          ...e,
        },
      },
    }));
  }
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _p, sk: _s, entity: _e, gsi4pk: _g, gsi4sk: _h, ...rest } = item;
  return rest as T;
};

export class DynamoWebhookStore implements WebhookStore, InsurerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(actor: Actor, sub: Subscription, action: string, requestId: string, expectedVersion?: number) {
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.webhook(sub.tenantId, sub.webhookId), entity: 'webhook', ...sub },
            ConditionExpression:
              expectedVersion === undefined
                ? 'attribute_not_exists(pk)'
                : 'version = :v AND attribute_not_exists(removedAt)',
            ...(expectedVersion === undefined
              ? {}
              : { ExpressionAttributeValues: { ':v': expectedVersion } }),
          },
        },
        () => new PreconditionFailed('stale_version'),
      ),
      auditPut(
        this.table,
        actor,
        {
          action,
          entityType: 'webhook',
          entityId: sub.webhookId,
          details: { url: sub.url, events: sub.events, ...(sub.removedAt ? { removed: true } : {}) },
        },
        requestId,
        new Date(sub.updatedAt ?? sub.createdAt),
      ),
    ]);
  }

  async get(tenantId: string, webhookId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.webhook(tenantId, webhookId), ConsistentRead: true }),
    );
    return out.Item && !out.Item.removedAt ? strip<Subscription>(out.Item) : undefined;
  }

  async list(tenantId: string) {
    const { pk, skPrefix } = keys.webhooks(tenantId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.filter((i) => !i.removedAt).map((i) => strip<Subscription>(i));
  }

  async event(tenantId: string, eventId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.webhookEvent(tenantId, eventId) }),
    );
    return out.Item ? strip<WebhookEvent>(out.Item) : undefined;
  }

  async putEvent(tenantId: string, event: WebhookEvent) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.webhookEvent(tenantId, event.eventId), entity: 'webhook-event', tenantId, ...event },
      }),
    );
  }

  async pendingEvents(limit: number) {
    const q = keys.webhookEventPendingQuery();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: q.index,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': q.pk },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
  }

  async eventAt(key: { pk: string; sk: string }) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item
      ? { tenantId: String(out.Item.tenantId), event: strip<WebhookEvent & { tenantId?: string }>(out.Item) }
      : undefined;
  }

  async markRelayed(key: { pk: string; sk: string }) {
    await this.db.send(
      new UpdateCommand({ TableName: this.table, Key: key, UpdateExpression: 'REMOVE gsi4pk, gsi4sk' }),
    );
  }

  async logDelivery(tenantId: string, d: Delivery) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.webhookDelivery(tenantId, d.webhookId, d.at, d.deliveryId),
          entity: 'webhook-delivery',
          ...d,
        },
      }),
    );
  }

  async deliveries(tenantId: string, webhookId: string, limit: number, cursor?: string) {
    const { pk, skPrefix } = keys.webhookDeliveries(tenantId, webhookId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, {
          attribute: 'pk',
          value: pk,
          allowedAttributes: ['pk', 'sk'],
        }),
      }),
    );
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => strip<Delivery>(i)), ...(nextCursor ? { nextCursor } : {}) };
  }

  async useNonce(tenantId: string, webhookId: string, nonce: string, keepUntil: Date) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.insurerNonce(tenantId, webhookId, nonce),
            entity: 'nonce',
            expiresAt: Math.ceil(keepUntil.getTime() / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async acknowledge(actor: Actor, tenantId: string, ack: Acknowledgement, requestId: string) {
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.insurerAcknowledgement(tenantId, ack.webhookId, ack.eventId),
            entity: 'insurer-acknowledgement',
            ...ack,
          },
        },
      },
      ...(ack.cover
        ? [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.insuranceCover(tenantId, ack.personId, ack.webhookId),
                  entity: 'insurance-cover',
                  ...ack.cover,
                },
              },
            },
          ]
        : []),
      auditPut(
        this.table,
        actor,
        {
          action: 'insurer.acknowledge',
          entityType: 'person',
          entityId: ack.personId,
          details: {
            webhookId: ack.webhookId,
            eventId: ack.eventId,
            eventType: ack.eventType,
            ...(ack.cover ? { coverAmount: ack.cover.amount, effectiveOn: ack.cover.effectiveOn } : {}),
          },
        },
        requestId,
        new Date(ack.acknowledgedAt),
      ),
    ]);
  }

  async covers(tenantId: string, personId: string) {
    const { pk, skPrefix } = keys.insuranceCovers(tenantId, personId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map((i) => strip<Cover>(i));
  }
}
