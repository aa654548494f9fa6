// DynamoDB adapter for ledger imports: the import at IMPORT#<id>/META with its counts, one
// result per row beside it at ROW#<n>. A row's result is put only if absent, in the same
// transaction as its count, so a redelivered chunk neither repeats nor double-counts a row.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventOutbox } from '../domain/webhook-events.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { count, METRIC } from '../shared/metrics.ts';

/** The row's result is stored already (an earlier delivery of its chunk). */
class AlreadyRecorded extends Error {}

import { IMPORT_ITEM, IMPORT_ROW_ITEM } from '../domain/entities.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import type { ImportMeta, ImportOutcome, ImportRowResult, ImportStore } from './imports.ts';

/** Rows written per transaction when an import starts (DynamoDB takes up to 100 items). */
const ROWS_PER_TRANSACTION = 90;

export class DynamoImportStore implements ImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** `import.finished` for the tenant's own systems, written with the completion. */
    private readonly events?: EventOutbox<TransactItem>,
  ) {}

  private rowItem(tenantId: string, importId: string, r: ImportRowResult) {
    return { ...keys.ledgerImportRow(tenantId, importId, r.row), entity: 'import-row', ...r };
  }

  async byIdempotencyKey(tenantId: string, key: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.importIdempotencyKey(tenantId, key),
        ConsistentRead: true,
      }),
    );
    return out.Item
      ? { importId: String(out.Item.importId), bodyHash: String(out.Item.bodyHash) }
      : undefined;
  }

  async start(
    principal: Principal,
    meta: ImportMeta,
    refused: ImportRowResult[],
    requestId: string,
    idempotency?: { key: string; bodyHash: string },
  ) {
    const tenantId = principal.tenantId;
    // Refused rows first, then the import: an import that exists has all its refused rows.
    for (let i = 0; i < refused.length; i += ROWS_PER_TRANSACTION) {
      await transact(
        this.db,
        refused.slice(i, i + ROWS_PER_TRANSACTION).map(
          (r): TransactItem => ({
            Put: { TableName: this.table, Item: this.rowItem(tenantId, meta.importId, r) },
          }),
        ),
      );
    }
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.ledgerImport(tenantId, meta.importId), entity: 'import', ...meta },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // The key, taken with the import (kept a day: a client's retries come within minutes).
      ...(idempotency
        ? [
            guard(
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...keys.importIdempotencyKey(tenantId, idempotency.key),
                    entity: 'import-key',
                    importId: meta.importId,
                    bodyHash: idempotency.bodyHash,
                    expiresAt: Math.floor(Date.parse(meta.startedAt) / 1000) + 86_400,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              () => new Conflict('idempotency_key_reused'),
            ),
          ]
        : []),
      auditPut(
        this.table,
        principal,
        {
          action: 'import.start',
          entityType: 'import',
          entityId: meta.importId,
          details: { format: meta.format, total: meta.total, refused: meta.counts.refused },
        },
        requestId,
        new Date(meta.startedAt),
      ),
    ]);
    // Rows refused before any was written (unreadable, incomplete) count with the started import.
    if (refused.length) count(METRIC.importRow, { outcome: 'refused' }, refused.length);
  }

  async get(tenantId: string, importId: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.ledgerImport(tenantId, importId),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { pk: _p, sk: _s, entity: _e, ...meta } = out.Item;
    return parseItem<ImportMeta>(IMPORT_ITEM, 'import', meta);
  }

  async done(tenantId: string, importId: string, rows: number[]) {
    if (rows.length === 0) return new Set<number>();
    const first = keys.ledgerImportRow(tenantId, importId, Math.min(...rows));
    const last = keys.ledgerImportRow(tenantId, importId, Math.max(...rows));
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': first.pk, ':a': first.sk, ':b': last.sk },
        ProjectionExpression: '#r',
        ExpressionAttributeNames: { '#r': 'row' },
        ConsistentRead: true,
      }),
    );
    return new Set((out.Items ?? []).map((i) => Number(i.row)));
  }

  async record(tenantId: string, importId: string, result: ImportRowResult) {
    try {
      await transact(this.db, [
        guard(
          {
            Put: {
              TableName: this.table,
              Item: this.rowItem(tenantId, importId, result),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          () => new AlreadyRecorded(),
          // Counted once, when recorded (a redelivered chunk's row is not counted again).
          () => count(METRIC.importRow, { outcome: result.outcome }),
        ),
        {
          Update: {
            TableName: this.table,
            Key: keys.ledgerImport(tenantId, importId),
            UpdateExpression: 'ADD #p :one, counts.#o :one',
            ExpressionAttributeNames: { '#p': 'processed', '#o': result.outcome },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ]);
    } catch (error) {
      // Recorded by an earlier delivery of the same chunk: counted then.
      if (!(error instanceof AlreadyRecorded)) throw error;
    }
  }

  async finishIfDone(tenantId: string, importId: string, now: Date) {
    const meta = await this.get(tenantId, importId);
    if (!meta || meta.status !== 'processing' || meta.processed < meta.total) return;
    try {
      await transact(this.db, [
        guard(
          {
            Update: {
              TableName: this.table,
              Key: keys.ledgerImport(tenantId, importId),
              UpdateExpression: 'SET #s = :done, finishedAt = :now',
              ConditionExpression: '#p >= #t AND #s = :processing',
              ExpressionAttributeNames: { '#s': 'status', '#t': 'total', '#p': 'processed' },
              ExpressionAttributeValues: {
                ':done': 'completed',
                ':processing': 'processing',
                ':now': now.toISOString(),
              },
            },
          },
          () => new AlreadyRecorded(),
        ),
        ...(this.events?.prepare(tenantId, [
          {
            eventId: newId('evt'),
            type: 'import.finished',
            occurredAt: now.toISOString(),
            data: { importId, total: meta.total, counts: meta.counts },
          },
        ]) ?? []),
      ]);
    } catch (error) {
      // Completed by another chunk's worker a moment ago.
      if (!(error instanceof AlreadyRecorded)) throw error;
    }
  }

  async rows(
    tenantId: string,
    importId: string,
    q: { outcome?: ImportOutcome; limit: number; cursor?: string },
  ) {
    const { pk } = keys.ledgerImport(tenantId, importId);
    const start = decodeCursor(q.cursor, { attribute: 'pk', value: pk, allowedAttributes: ['pk', 'sk'] });
    const items: ImportRowResult[] = [];
    let next = start;
    // A filter applies after DynamoDB's Limit: read on until the page is full or the rows end.
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
          ...(q.outcome ? { FilterExpression: 'outcome = :o' } : {}),
          ExpressionAttributeValues: { ':pk': pk, ':row': 'ROW#', ...(q.outcome ? { ':o': q.outcome } : {}) },
          Limit: q.limit - items.length + (q.outcome ? 200 : 0),
          ExclusiveStartKey: next,
        }),
      );
      for (const i of out.Items ?? []) {
        if (items.length === q.limit) break;
        const { pk: _p, sk: _s, entity: _e, ...row } = i;
        items.push(parseItem<ImportRowResult>(IMPORT_ROW_ITEM, 'import row', row));
        next = { pk: i.pk, sk: i.sk };
      }
      if (items.length < q.limit) next = out.LastEvaluatedKey;
    } while (next && items.length < q.limit);
    const nextCursor = items.length === q.limit ? encodeCursor(next) : undefined;
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }
}
