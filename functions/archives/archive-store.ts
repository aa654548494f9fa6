// DynamoDB adapter for the regulator's file: documents under the person, archives with their
// progress, shared links beside the archive and by their token's hash (two items written
// together; a revocation updates both at once). Audited where a person acts.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { CalendarDate } from '../shared/calendar.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys, TABLE_DESIGN } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';
import type { ArchiveRecord, ArchiveStore, Share } from './archives.ts';
import type { DocumentRecord, DocumentStore } from './documents.ts';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _p, sk: _s, entity: _e, expiresAtEpoch: _x, gsi4pk: _g, gsi4sk: _h, ...rest } = item;
  return rest as T;
};

/** A document whose retention ended: a tombstone until the table's TTL removes it, read as gone. */
const expired = (item: Record<string, unknown>) => item.state === 'expired';

/** The document was deleted by an earlier run (or its record never stored). */
class AlreadyGone extends Error {}

export class DynamoDocumentStore extends TableStore implements DocumentStore {
  async create(actor: Actor, doc: DocumentRecord, requestId: string) {
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.document(doc.tenantId, doc.personId, doc.documentId),
            entity: 'document',
            ...doc,
            // Found by the daily records expiry if it is never completed.
            ...keys.documentDeclared(doc.createdAt, doc.tenantId, doc.personId, doc.documentId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(
        this.table,
        actor,
        {
          action: 'document.declare',
          entityType: 'person',
          entityId: doc.personId,
          details: { documentId: doc.documentId, kind: doc.kind, bytes: doc.bytes },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async get(tenantId: string, personId: string, documentId: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.document(tenantId, personId, documentId),
        ConsistentRead: true,
      }),
    );
    return out.Item && !expired(out.Item) ? strip<DocumentRecord>(out.Item) : undefined;
  }

  async list(tenantId: string, personId: string) {
    const { pk, skPrefix } = keys.documentsOf(tenantId, personId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.filter((i) => !expired(i)).map((i) => strip<DocumentRecord>(i));
  }

  async stored(actor: Actor, doc: DocumentRecord, requestId: string) {
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.document(doc.tenantId, doc.personId, doc.documentId),
              entity: 'document',
              ...doc,
              // Found by the daily records expiry once its retention ends.
              ...(doc.keepUntil
                ? keys.documentKeptUntil(doc.keepUntil, doc.tenantId, doc.personId, doc.documentId)
                : {}),
            },
            ConditionExpression: '#s = :uploading',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':uploading': 'uploading' },
          },
        },
        () => new Conflict('document_stored'),
      ),
      auditPut(
        this.table,
        actor,
        {
          action: 'document.store',
          entityType: 'person',
          entityId: doc.personId,
          details: { documentId: doc.documentId, kind: doc.kind, bytes: doc.bytes },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  pastRetention(day: CalendarDate, limit: number) {
    return this.indexed(keys.documentsKeptUntilQuery(), day, limit);
  }

  declaredBefore(before: string, limit: number) {
    return this.indexed(keys.documentsDeclaredQuery(), before, limit);
  }

  /** Documents whose GSI4 sort key is below `bound`, read back strongly (the index holds keys only). */
  private async indexed(q: { index: 'gsi4'; pk: string }, bound: string, limit: number) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: q.index,
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :bound',
        ExpressionAttributeValues: { ':pk': q.pk, ':bound': bound },
        Limit: limit,
      }),
    );
    const found = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      (out.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
      { consistent: true },
    );
    // Only items still carrying the key they were found by: a tombstone has none, a
    // declaration stored since carries RECORDS#KEEP (the index may lag either).
    return found.filter((i) => i.gsi4pk === q.pk).map((i) => strip<DocumentRecord>(i));
  }

  expire(actor: Actor, doc: DocumentRecord, requestId: string) {
    return this.retire(actor, doc, 'stored', 'document.expire', requestId);
  }

  discard(actor: Actor, doc: DocumentRecord, requestId: string) {
    return this.retire(actor, doc, 'uploading', 'document.discard', requestId);
  }

  private async retire(
    actor: Actor,
    doc: DocumentRecord,
    from: DocumentRecord['state'],
    action: 'document.expire' | 'document.discard',
    requestId: string,
  ) {
    const now = this.clock.now();
    try {
      await transact(this.db, [
        // No function deletes items (IAM grants no DeleteItem): the record becomes a tombstone
        // without the file's name, key or title, hidden from every read, and the table's TTL
        // removes it.
        guard(
          {
            Update: {
              TableName: this.table,
              Key: keys.document(doc.tenantId, doc.personId, doc.documentId),
              UpdateExpression:
                'SET #s = :expired, expiredAt = :at, #ttl = :epoch REMOVE title, fileName, #key, createdBy, gsi4pk, gsi4sk',
              ConditionExpression: '#s = :from',
              ExpressionAttributeNames: {
                '#s': 'state',
                '#key': 'key',
                '#ttl': TABLE_DESIGN.timeToLiveAttribute,
              },
              ExpressionAttributeValues: {
                ':expired': 'expired',
                ':from': from,
                ':at': now.toISOString(),
                ':epoch': Math.floor(now.getTime() / 1000),
              },
            },
          },
          () => new AlreadyGone(),
        ),
        auditPut(
          this.table,
          actor,
          {
            action,
            entityType: 'person',
            entityId: doc.personId,
            details: {
              documentId: doc.documentId,
              kind: doc.kind,
              ...(doc.keepUntil ? { keepUntil: doc.keepUntil } : { declaredAt: doc.createdAt }),
            },
          },
          requestId,
          now,
        ),
      ]);
      return true;
    } catch (error) {
      if (error instanceof AlreadyGone) return false;
      throw error;
    }
  }
}

export class DynamoArchiveStore extends TableStore implements ArchiveStore {
  async create(actor: Actor, a: ArchiveRecord, requestId: string) {
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.archive(a.tenantId, a.archiveId), entity: 'archive', ...a },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(
        this.table,
        actor,
        {
          action: 'archive.create',
          entityType: 'archive',
          entityId: a.archiveId,
          details: { scope: a.scope, subjectId: a.subjectId },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async get(tenantId: string, archiveId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.archive(tenantId, archiveId), ConsistentRead: true }),
    );
    return out.Item ? strip<ArchiveRecord>(out.Item) : undefined;
  }

  async update(a: ArchiveRecord) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.archive(a.tenantId, a.archiveId), entity: 'archive', ...a },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  private shareItems(s: Share) {
    return [
      { ...keys.archiveShare(s.tenantId, s.archiveId, s.shareId), entity: 'archive-share', ...s },
      // The token's item goes a day after the link expires: the table's TTL attribute holds epoch
      // seconds, so the link's own time is kept beside it.
      {
        ...keys.shareToken(s.tokenHash),
        entity: 'share-token',
        ...s,
        [TABLE_DESIGN.timeToLiveAttribute]: Math.ceil(Date.parse(s.expiresAt) / 1000) + 86_400,
        linkExpiresAt: s.expiresAt,
      },
    ];
  }

  async createShare(actor: Actor, s: Share, requestId: string) {
    await transact(this.db, [
      ...this.shareItems(s).map((Item) => ({
        Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      auditPut(
        this.table,
        actor,
        {
          action: 'archive.share',
          entityType: 'archive',
          entityId: s.archiveId,
          details: { shareId: s.shareId, expiresAt: s.expiresAt },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async shares(tenantId: string, archiveId: string) {
    const { pk, skPrefix } = keys.archiveShares(tenantId, archiveId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => strip<Share>(i));
  }

  async shareByToken(tokenHash: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.shareToken(tokenHash), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    // Items written before the TTL was set carry the link's time under expiresAt itself.
    const { linkExpiresAt, ...item } = out.Item;
    return strip<Share>({ ...item, expiresAt: linkExpiresAt ?? item.expiresAt });
  }

  async revokeShare(actor: Actor, s: Share, requestId: string) {
    await transact(this.db, [
      ...[keys.archiveShare(s.tenantId, s.archiveId, s.shareId), keys.shareToken(s.tokenHash)].map((Key) => ({
        Update: {
          TableName: this.table,
          Key,
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': s.revokedAt },
        },
      })),
      auditPut(
        this.table,
        actor,
        {
          action: 'archive.revoke_share',
          entityType: 'archive',
          entityId: s.archiveId,
          details: { shareId: s.shareId },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async auditAccess(
    s: Share,
    action: 'archive.share_view' | 'archive.share_download',
    details: Record<string, unknown>,
  ) {
    const put = auditPut(
      this.table,
      { tenantId: s.tenantId, subject: `share:${s.shareId}`, role: 'inspector' },
      { action, entityType: 'archive', entityId: s.archiveId, details: { shareId: s.shareId, ...details } },
      `share-${s.shareId}`,
      this.clock.now(),
    );
    await this.db.send(new PutCommand(put.Put));
  }
}
