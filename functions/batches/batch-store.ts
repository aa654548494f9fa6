// Where batches and their rows live: the port the batch use cases talk to, and its
// DynamoDB adapter (the batch item at BATCH#<id>/META, its rows beside it at ROW#<n>).
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { BATCH_ITEM, BATCH_ROW_ITEM } from '../domain/entities.ts';
import { type Actor, type AuditEvent, auditPut } from '../shared/audit.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { parseItems, parseOptionalItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, isConditionFailure, StaleRecord, transact } from '../shared/dynamo/transactions.ts';
import type { BatchMeta, BatchRow, RowResult } from './batch.ts';
import { needsReview } from './row-outcome.ts';

export interface BatchStore {
  get(tenantId: string, batchId: string): Promise<BatchMeta | undefined>;
  /**
   * Stores the rows, then the batch and its audit record: a batch that exists always has
   * all its rows. Answers the batch already stored under this id if there is one.
   */
  create(
    actor: Actor,
    batch: BatchMeta,
    rows: BatchRow[],
    audit: AuditEvent,
    requestId: string,
  ): Promise<{ batch: BatchMeta; created: boolean }>;
  rows(
    tenantId: string,
    batchId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: BatchRow[]; nextCursor?: string }>;
  /** Every row that needs a person's eye, in row order. */
  rowsToReview(tenantId: string, batchId: string): Promise<BatchRow[]>;
  row(tenantId: string, batchId: string, row: number): Promise<BatchRow | undefined>;
  /**
   * Stores a row's finding and counts it on the batch, once: false when the row was
   * already checked (a duplicate delivery got there first).
   */
  recordResult(tenantId: string, batchId: string, row: number, result: RowResult, at: Date): Promise<boolean>;
  /** Completes the batch if every row is checked and no page is still being listed. */
  completeIfDone(tenantId: string, batchId: string, at: Date): Promise<void>;
  /** A catch-up batch whose rows are still being listed page by page. */
  startListing(tenantId: string, batch: BatchMeta): Promise<void>;
  /** Adds rows found on one listed page; a page counted before is not counted again. */
  addListedPage(tenantId: string, batchId: string, page: number, rows: BatchRow[]): Promise<void>;
  finishListing(tenantId: string, batchId: string): Promise<void>;
}

const PARALLEL_WRITES = 8;

async function inParallel<T>(items: T[], size: number, limit: number, fn: (chunk: T[]) => Promise<void>) {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  for (let i = 0; i < chunks.length; i += limit) await Promise.all(chunks.slice(i, i + limit).map(fn));
}

function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}

export class DynamoBatchStore implements BatchStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string, batchId: string): Promise<BatchMeta | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.batch(tenantId, batchId), ConsistentRead: true }),
    );
    return parseOptionalItem<BatchMeta>(BATCH_ITEM, 'batch', out.Item);
  }

  async create(
    actor: Actor,
    batch: BatchMeta,
    rows: BatchRow[],
    audit: AuditEvent,
    requestId: string,
  ): Promise<{ batch: BatchMeta; created: boolean }> {
    const { tenantId } = actor;
    await inParallel(rows, 25, PARALLEL_WRITES, async (chunk) => {
      let pending = chunk.map((r) => ({
        PutRequest: { Item: { ...keys.batchRow(tenantId, batch.batchId, r.row), entity: 'batch-row', ...r } },
      }));
      while (pending.length) {
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (out.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    });
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.batch(tenantId, batch.batchId), entity: 'batch', ...batch },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      ignoreConditionFailure(error);
      const again = await this.get(tenantId, batch.batchId);
      return { batch: again as BatchMeta, created: false };
    }
    await this.db.send(
      new PutCommand(auditPut(this.table, actor, audit, requestId, new Date(batch.createdAt)).Put),
    );
    return { batch, created: true };
  }

  async rows(tenantId: string, batchId: string, limit: number, cursor?: string) {
    const { pk } = keys.batch(tenantId, batchId);
    const start = decodeCursor(cursor, { attribute: 'pk', value: pk, allowedAttributes: ['pk', 'sk'] });
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
        ExpressionAttributeValues: { ':pk': pk, ':row': 'ROW#' },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return {
      items: parseItems<BatchRow>(BATCH_ROW_ITEM, 'batch row', out.Items ?? []),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async rowsToReview(tenantId: string, batchId: string): Promise<BatchRow[]> {
    const { pk } = keys.batch(tenantId, batchId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
      FilterExpression: 'needsReview = :yes',
      ExpressionAttributeValues: { ':pk': pk, ':row': 'ROW#', ':yes': true },
    });
    return parseItems<BatchRow>(BATCH_ROW_ITEM, 'batch row', items);
  }

  async row(tenantId: string, batchId: string, row: number): Promise<BatchRow | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.batchRow(tenantId, batchId, row),
        ConsistentRead: true,
      }),
    );
    return parseOptionalItem<BatchRow>(BATCH_ROW_ITEM, 'batch row', out.Item);
  }

  async recordResult(
    tenantId: string,
    batchId: string,
    row: number,
    result: RowResult,
    at: Date,
  ): Promise<boolean> {
    const { registryName, personId, certificateId } = result;
    try {
      await transact(this.db, [
        guard(
          {
            Update: {
              TableName: this.table,
              Key: keys.batchRow(tenantId, batchId, row),
              UpdateExpression:
                'SET outcome = :o, reasons = :r, needsReview = :n, checkedAt = :at' +
                (registryName ? ', registryName = :rn' : '') +
                (personId ? ', personId = :p' : '') +
                (certificateId ? ', certificateId = :c' : ''),
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(outcome)',
              ExpressionAttributeValues: {
                ':o': result.outcome,
                ':r': result.reasons,
                ':n': needsReview(result.outcome),
                ':at': at.toISOString(),
                ...(registryName ? { ':rn': registryName } : {}),
                ...(personId ? { ':p': personId } : {}),
                ...(certificateId ? { ':c': certificateId } : {}),
              },
            },
          },
          () => new StaleRecord(),
        ),
        {
          Update: {
            TableName: this.table,
            Key: keys.batch(tenantId, batchId),
            UpdateExpression: 'ADD #processed :one, #counts.#o :one',
            ExpressionAttributeNames: {
              '#processed': 'processed',
              '#counts': 'counts',
              '#o': result.outcome,
            },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof StaleRecord) return false;
      throw error;
    }
  }

  async completeIfDone(tenantId: string, batchId: string, at: Date): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.batch(tenantId, batchId),
          UpdateExpression: 'SET #s = :done, completedAt = :at',
          // A catch-up batch still listing its pages is not done, whatever the counts say.
          ConditionExpression: '#p >= #t AND #s = :processing AND attribute_not_exists(listing)',
          ExpressionAttributeNames: { '#s': 'status', '#t': 'total', '#p': 'processed' },
          ExpressionAttributeValues: {
            ':done': 'completed',
            ':processing': 'processing',
            ':at': at.toISOString(),
          },
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async startListing(tenantId: string, batch: BatchMeta): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.batch(tenantId, batch.batchId), entity: 'batch', ...batch, listing: true },
      }),
    );
  }

  async addListedPage(tenantId: string, batchId: string, page: number, rows: BatchRow[]): Promise<void> {
    // Put only if absent: a redelivered page leaves rows already checked alone.
    for (const r of rows) {
      await this.db
        .send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.batchRow(tenantId, batchId, r.row), entity: 'batch-row', ...r },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .catch(ignoreConditionFailure);
    }
    // Count the page once, whatever the redeliveries.
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.batch(tenantId, batchId),
          UpdateExpression: 'ADD #total :n, pagesListed :page',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(pagesListed) OR NOT contains(pagesListed, :p))',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':n': rows.length, ':page': new Set([page]), ':p': page },
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async finishListing(tenantId: string, batchId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.batch(tenantId, batchId),
        UpdateExpression: 'REMOVE listing',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }
}
