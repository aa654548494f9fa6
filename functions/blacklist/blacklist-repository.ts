// DynamoDB adapter for blacklist entries (O4). An entry and its hold go in one transaction:
// the entry under the tenant, the hold on the person's profile and gate view (read with
// them by the gate, dispatch and status, so a scan still costs two reads), the person's
// notice and the audit record. Changing the gate view marks the allowlists to republish.

import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BlacklistEntry,
  type BlacklistRepository,
  type Federated,
  holdOf,
} from '../domain/blacklist-rules.ts';
import { BLACKLIST_ENTRY_ITEM } from '../domain/entities.ts';
import { parseItem } from '../shared/dynamo/items.ts';

export type { BlacklistRepository, Federated } from '../domain/blacklist-rules.ts';

import type { NotificationRequest, Notifier } from '../domain/notifications.ts';
import type { EventOutbox } from '../domain/webhook-events.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export class DynamoBlacklistRepository implements BlacklistRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly notifier: Notifier<TransactItem>,
    private readonly clock: Clock,
    /** `blacklist.entered` for the tenant's own systems (webhooks), in the same transaction. */
    private readonly events?: EventOutbox<TransactItem>,
  ) {}

  async create(
    actor: Actor,
    entry: BlacklistEntry,
    notice: NotificationRequest,
    today: string,
    requestId: string,
    federated: Federated = {},
  ) {
    const now = new Date(entry.createdAt);
    const hold = holdOf(entry);
    const t = this.table;
    await transact(this.db, [
      {
        Put: {
          TableName: t,
          Item: entryItem(entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // One hold at a time: a new entry replaces only one that has expired.
      guard(
        {
          Update: {
            TableName: t,
            Key: keys.person(entry.tenantId, entry.personId),
            UpdateExpression: 'SET blacklist = :hold, #version = #version + :one',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(blacklist) OR blacklist.expiresOn <= :today)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':hold': hold, ':one': 1, ':today': today },
          },
        },
        () => new Conflict('already_blacklisted'),
      ),
      this.gateViewHold(entry, now, hold),
      ...this.federatedItems(entry, federated),
      ...this.notifier.prepare(entry.tenantId, [notice], now),
      ...(this.events?.prepare(entry.tenantId, [
        {
          eventId: newId('evt'),
          type: 'blacklist.entered',
          occurredAt: now.toISOString(),
          data: {
            entryId: entry.entryId,
            personId: entry.personId,
            nameMasked: notice.nameMasked,
            reasonCode: entry.reasonCode,
            expiresOn: hold.expiresOn,
            source: entry.source.type,
          },
        },
      ]) ?? []),
      auditPut(
        t,
        actor,
        {
          action: 'blacklist.create',
          entityType: 'blacklist',
          entityId: entry.entryId,
          details: { personId: entry.personId, reasonCode: entry.reasonCode, expiresOn: entry.expiresOn },
        },
        requestId,
        now,
      ),
    ]);
  }

  async get(tenantId: string, entryId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.blacklistEntry(tenantId, entryId) }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  async expiringOn(day: string) {
    // GSI4 holds keys only: the entries themselves in batches of 100.
    const { index, pk } = keys.blacklistExpiringOn(day);
    const found = await queryAll<{ pk: string; sk: string }>(this.db, {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    });
    const items = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      found.map(({ pk, sk }) => ({ pk, sk })),
    );
    return items.map(strip);
  }

  async list(tenantId: string) {
    const { pk, skPrefix } = keys.blacklistEntries(tenantId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map(strip);
  }

  async update(
    actor: Actor,
    entry: BlacklistEntry,
    change: { action: string; releaseHold: boolean; notices: NotificationRequest[]; federated?: Federated },
    requestId: string,
  ) {
    const now = this.clock.now();
    const t = this.table;
    const release: TransactItem[] = change.releaseHold
      ? [
          // Only this entry's hold: a newer entry's hold stays.
          {
            Update: {
              TableName: t,
              Key: keys.person(entry.tenantId, entry.personId),
              UpdateExpression: 'REMOVE blacklist SET #version = #version + :one',
              ConditionExpression: 'blacklist.entryId = :id',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':id': entry.entryId, ':one': 1 },
            },
          },
          {
            Update: {
              TableName: t,
              Key: keys.gateView(entry.tenantId, entry.personId),
              UpdateExpression: 'REMOVE blacklist SET gsi4pk = :dpk, gsi4sk = :dsk',
              ConditionExpression: 'blacklist.entryId = :id',
              ExpressionAttributeValues: { ':id': entry.entryId, ...dirtyValues(entry, now) },
            },
          },
        ]
      : [];
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: t,
            Item: entryItem({ ...entry, version: entry.version + 1 }),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': entry.version },
          },
        },
        () => new StaleRecord(),
      ),
      ...release,
      ...this.federatedItems(entry, change.federated ?? {}),
      ...this.notifier.prepare(entry.tenantId, change.notices, now),
      auditPut(
        t,
        actor,
        {
          action: change.action,
          entityType: 'blacklist',
          entityId: entry.entryId,
          details: { personId: entry.personId, state: entry.state },
        },
        requestId,
        now,
      ),
    ]);
  }

  private federatedItems(entry: BlacklistEntry, federated: Federated): TransactItem[] {
    const items: TransactItem[] = [];
    if (federated.feed)
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.feedItem(federated.feed.at, entry.entryId, federated.feed.version),
            entity: 'feed-entry',
            ...federated.feed,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    if (federated.inbound)
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.inboundLink(federated.inbound.partnerId, federated.inbound.entryRef, entry.tenantId),
            entity: 'inbound-link',
            tenantId: entry.tenantId,
            entryId: entry.entryId,
          },
          // A partner's entry lands once per tenant, however often it is pushed.
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    return items;
  }

  private gateViewHold(entry: BlacklistEntry, now: Date, hold: ReturnType<typeof holdOf>): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: keys.gateView(entry.tenantId, entry.personId),
        // The offline allowlists drop the person within a minute (allowlists job).
        UpdateExpression: 'SET blacklist = :hold, gsi4pk = :dpk, gsi4sk = :dsk',
        ExpressionAttributeValues: { ':hold': hold, ...dirtyValues(entry, now) },
      },
    };
  }
}

/** Entries are deleted by TTL 90 days after their expiry (the audit trail keeps the decisions). */
export const ENTRY_RETENTION_DAYS_AFTER_EXPIRY = 90;
const entryTtl = (entry: BlacklistEntry) => ({
  expiresAt:
    Math.floor(Date.parse(`${entry.expiresOn}T00:00:00+08:00`) / 1000) +
    ENTRY_RETENTION_DAYS_AFTER_EXPIRY * 86400,
});

/** The stored item of an entry: its key, the expiry index and TTL derived from it, the entry. */
const entryItem = (entry: BlacklistEntry) => ({
  ...keys.blacklistEntry(entry.tenantId, entry.entryId),
  ...expiryIndex(entry),
  ...entryTtl(entry),
  entity: 'blacklist-entry',
  ...entry,
});

/** Own entries in force are indexed by expiry day; removed ones and partners' are not. */
const expiryIndex = (entry: BlacklistEntry) =>
  entry.source.type === 'own' && entry.state !== 'removed' && !entry.expiryAnnouncedAt
    ? keys.blacklistExpiry(entry.tenantId, entry.entryId, entry.expiresOn)
    : {};

const dirtyValues = (entry: BlacklistEntry, now: Date) => {
  const dirty = keys.allowlistDirty(entry.tenantId, `PERSON#${entry.personId}`, now.toISOString());
  return { ':dpk': dirty.gsi4pk, ':dsk': dirty.gsi4sk };
};

function strip(item: Record<string, unknown>): BlacklistEntry {
  const { pk: _pk, sk: _sk, entity: _e, expiresAt: _ttl, gsi4pk: _g1, gsi4sk: _g2, ...entry } = item;
  return parseItem<BlacklistEntry>(BLACKLIST_ENTRY_ITEM, 'blacklist-entry', entry);
}
