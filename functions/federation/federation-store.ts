// DynamoDB adapter for the federation: partners (service-wide: the alliance is not a tenant's),
// the nonces of signed requests (put-if-absent with a TTL: a replay finds its nonce), the OPRF
// rate per partner and minute (a conditional counter), the change feed partners pull, and the
// links from a partner's entry to the entries it made in our tenants (for its removal).
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { FEED_ENTRY_ITEM } from '../domain/entities.ts';
import type { Actor } from '../shared/audit.ts';
import { auditPut } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, isConditionFailure, transact } from '../shared/dynamo/transactions.ts';
import { ConcurrentModification, Conflict } from '../shared/errors.ts';
import type { FeedEntry, InboundEntry, Partner } from './federation-rules.ts';

export interface Delivery {
  partnerId: string;
  status: 'delivered' | 'failed';
  at: string;
  error?: string;
  attempts: number;
}

export interface FailedDelivery {
  partnerId: string;
  feed: FeedEntry;
}

export interface FederationStore {
  createPartner(actor: Actor, partner: Partner, requestId: string): Promise<void>;
  /** Its state or key changed from `before` (as read), audited; 409 when it changed meanwhile. */
  updatePartner(
    actor: Actor,
    before: Partner,
    change: Pick<Partner, 'state' | 'publicKeyPem'>,
    requestId: string,
  ): Promise<Partner>;
  partner(partnerId: string): Promise<Partner | undefined>;
  partners(): Promise<Partner[]>;
  /** False when the nonce was seen before (a replay). */
  useNonce(partnerId: string, nonce: string, keepUntil: Date): Promise<boolean>;
  /** Counts `n` evaluations for the partner this minute; false when that would pass `limit`. */
  countEvaluations(partnerId: string, n: number, limit: number): Promise<boolean>;
  /** Evaluations per day, for the partner list (an enumeration attempt shows here). */
  evaluationsOn(partnerId: string, day: string): Promise<number>;
  /** The feed after `cursor` (exclusive), oldest first. */
  feedSince(cursor: string | undefined, limit: number): Promise<{ items: FeedEntry[]; cursor?: string }>;
  /** The worker's note of one delivery attempt (the partner's answer), beside the workflow's record. */
  noteAttempt(
    entryRef: string,
    version: number,
    partnerId: string,
    answer: string,
    feed: Record<string, unknown>,
  ): Promise<void>;
  /** Deliveries whose last run failed (a later run retries them), oldest first. */
  failedDeliveries(limit: number): Promise<FailedDelivery[]>;
  /** What the workflow recorded for each partner, for one entry version. */
  deliveries(entryRef: string, version: number): Promise<Delivery[]>;
  /** Keeps (or, on removal, drops) a partner's entry under its pseudonym, for people registered later. */
  keepPartnerEntry(partnerId: string, entry: InboundEntry): Promise<void>;
  dropPartnerEntry(partnerId: string, pseudonym: string, entryRef: string): Promise<void>;
  /** Partners' entries kept on a pseudonym. */
  partnerEntriesOn(pseudonym: string): Promise<(InboundEntry & { partnerId: string })[]>;
  /** Where a partner's entry landed in our tenants. */
  inboundLinks(partnerId: string, entryRef: string): Promise<{ tenantId: string; entryId: string }[]>;
}

export class DynamoFederationStore implements FederationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async createPartner(actor: Actor, partner: Partner, requestId: string) {
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.partner(partner.partnerId), entity: 'partner', ...partner },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        () => new Conflict('partner_exists'),
      ),
      auditPut(
        this.table,
        actor,
        { action: 'partner.create', entityType: 'partner', entityId: partner.partnerId },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async updatePartner(
    actor: Actor,
    before: Partner,
    change: Pick<Partner, 'state' | 'publicKeyPem'>,
    requestId: string,
  ) {
    const { partnerId } = before;
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.partner(partnerId),
            UpdateExpression: 'SET #state = :state, publicKeyPem = :key',
            // Changed meanwhile (another admin): refused rather than one change lost.
            ConditionExpression: '#state = :was AND publicKeyPem = :wasKey',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':state': change.state,
              ':key': change.publicKeyPem,
              ':was': before.state,
              ':wasKey': before.publicKeyPem,
            },
          },
        },
        () => new ConcurrentModification('concurrent_update'),
      ),
      auditPut(
        this.table,
        actor,
        {
          action: 'partner.update',
          entityType: 'partner',
          entityId: partnerId,
          details: {
            state: change.state,
            ...(change.publicKeyPem !== before.publicKeyPem ? { keyRotated: true } : {}),
          },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
    return { ...before, ...change };
  }

  async partner(partnerId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.partner(partnerId) }));
    return out.Item ? strip<Partner>(out.Item) : undefined;
  }

  async partners() {
    const { pk, skPrefix } = keys.partners();
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map((i) => strip<Partner>(i));
  }

  async useNonce(partnerId: string, nonce: string, keepUntil: Date) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.federationNonce(partnerId, nonce),
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

  async countEvaluations(partnerId: string, n: number, limit: number) {
    const now = this.clock.now();
    const minute = now.toISOString().slice(0, 16);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.federationRate(partnerId, minute),
          UpdateExpression: 'ADD evaluations :n SET expiresAt = :ttl, entity = :e',
          ConditionExpression: 'attribute_not_exists(evaluations) OR evaluations <= :room',
          ExpressionAttributeValues: {
            ':n': n,
            ':room': limit - n,
            ':ttl': Math.ceil(now.getTime() / 1000) + 3600,
            ':e': 'oprf-rate',
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    // The day's count for the partner list: one more small write, never refused.
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.federationDailyCount(partnerId, now.toISOString().slice(0, 10)),
        UpdateExpression: 'ADD evaluations :n SET entity = :e',
        ExpressionAttributeValues: { ':n': n, ':e': 'oprf-count' },
      }),
    );
    return true;
  }

  async evaluationsOn(partnerId: string, day: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.federationDailyCount(partnerId, day) }),
    );
    return Number(out.Item?.evaluations ?? 0);
  }

  async feedSince(cursor: string | undefined, limit: number) {
    const { pk } = keys.federationFeed();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: cursor ? 'pk = :pk AND sk > :after' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(cursor ? { ':after': cursor } : {}) },
        Limit: limit,
      }),
    );
    const items = (out.Items ?? []).map((i) =>
      parseItem<FeedEntry>(FEED_ENTRY_ITEM, 'feed entry', strip(i, true)),
    );
    const last = out.Items?.at(-1)?.sk as string | undefined;
    return { items, ...(last ? { cursor: last } : {}) };
  }

  async noteAttempt(
    entryRef: string,
    version: number,
    partnerId: string,
    answer: string,
    feed: Record<string, unknown>,
  ) {
    const at = this.clock.now().toISOString();
    const retry = keys.deliveryRetry(entryRef, version, partnerId, at);
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.delivery(entryRef, version, partnerId),
        // The change itself is kept too: a later run re-sends it without reading anything else.
        UpdateExpression:
          'SET lastError = :answer, lastAttemptAt = :at, feed = :feed, partnerId = :partner, gsi4pk = :rpk, gsi4sk = :rsk ADD attempts :one',
        ExpressionAttributeValues: {
          ':answer': answer,
          ':at': at,
          ':feed': feed,
          ':partner': partnerId,
          ':rpk': retry.gsi4pk,
          ':rsk': retry.gsi4sk,
          ':one': 1,
        },
      }),
    );
  }

  async failedDeliveries(limit: number) {
    const { index, pk } = keys.deliveryRetryQuery();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit,
      }),
    );
    // GSI4 holds keys only: the records themselves in batches of 100.
    const items = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      (out.Items ?? []).map((k) => ({ pk: k.pk as string, sk: k.sk as string })),
    );
    return items.flatMap((item) =>
      item.status === 'failed' && item.feed
        ? [{ partnerId: item.partnerId as string, feed: item.feed as FeedEntry }]
        : [],
    );
  }

  async deliveries(entryRef: string, version: number) {
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.deliveriesOf(entryRef, version).pk },
    });
    // Only settled outcomes: a delivery still being tried has only the worker's note.
    return items
      .filter((i) => i.status)
      .map((i) => ({
        partnerId: i.partnerId as string,
        status: i.status as Delivery['status'],
        at: i.at as string,
        ...(i.status === 'failed' && i.lastError ? { error: String(i.lastError) } : {}),
        attempts: Number(i.attempts ?? 0),
      }));
  }

  async keepPartnerEntry(partnerId: string, entry: InboundEntry) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.partnerEntryByPseudonym(entry.pseudonym, partnerId, entry.entryRef),
          entity: 'partner-entry',
          partnerId,
          ...entry,
          // Gone by itself after its expiry (TTL), like the entries it makes.
          expiresAt: Math.ceil(Date.parse(`${entry.expiresOn}T00:00:00+08:00`) / 1000),
        },
      }),
    );
  }

  async dropPartnerEntry(partnerId: string, pseudonym: string, entryRef: string) {
    // Marked withdrawn and left to TTL: no function of this service deletes items.
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.partnerEntryByPseudonym(pseudonym, partnerId, entryRef),
        UpdateExpression: 'SET withdrawn = :yes, expiresAt = :now, entity = :e',
        ExpressionAttributeValues: {
          ':yes': true,
          ':now': Math.ceil(this.clock.now().getTime() / 1000),
          ':e': 'partner-entry',
        },
      }),
    );
  }

  async partnerEntriesOn(pseudonym: string) {
    const { pk, skPrefix } = keys.partnerEntriesByPseudonym(pseudonym);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.filter((i) => !i.withdrawn).map((i) => strip<InboundEntry & { partnerId: string }>(i));
  }

  async inboundLinks(partnerId: string, entryRef: string) {
    const out = await queryAll<{ tenantId: string; entryId: string }>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.inboundLinks(partnerId, entryRef).pk },
    });
    return out.map(({ tenantId, entryId }) => ({ tenantId, entryId }));
  }
}

function strip<T>(item: Record<string, unknown>, dropSk = true): T {
  const { pk: _pk, sk, entity: _e, expiresAt: _x, ...rest } = item;
  return (dropSk ? rest : { ...rest, sk }) as T;
}
