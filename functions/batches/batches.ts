// Batch cleaning (SPEC L6): an upload becomes a batch of rows, each checked against the
// registry in the background through the work queue (SQS with a DLQ; the worker's
// event source caps concurrency so 10,000 rows stay within the registry's rate limit).
// A queue rather than a Step Functions Map: rows are independent, per-row retries and
// the DLQ come for free, and the same worker already serves new certificates.

import { createHash } from 'node:crypto';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import { InvalidRequest } from '../shared/errors.ts';
import { hashIdNumber, maskIdLikeRuns, maskIdNumber } from '../shared/identity-numbers.ts';
import type { WorkMessage, WorkQueue } from '../shared/work-queue.ts';
import { MAX_ROWS, parseCsvText, parseText, parseXlsx, type RowInput } from './parse-upload.ts';
import { needsReview, type RowOutcome } from './row-outcome.ts';

export interface BatchDeps {
  db: DynamoDBDocumentClient;
  table: string;
  workQueue: WorkQueue;
  idHashKey: () => Promise<string>;
}

export interface BatchMeta {
  batchId: string;
  fileName?: string;
  /** `registry`: certificates the registry never answered for, queued when it was connected. */
  format: 'text' | 'csv' | 'xlsx' | 'registry';
  status: 'processing' | 'completed';
  total: number;
  processed: number;
  counts: Partial<Record<RowOutcome, number>>;
  createdAt: string;
  createdBy: string;
  /** Uploaded by a subcontractor admin: only that subcontractor sees it and its rows match only its workers. */
  subcontractorId?: string;
  completedAt?: string;
}

export interface BatchRow {
  row: number;
  kind: 'certificate' | 'id' | 'malformed';
  /** Certificate number, or the ID number masked: raw ID numbers are never stored. */
  display: string;
  idHash?: string;
  name?: string;
  outcome?: RowOutcome;
  reasons?: string[];
  registryName?: string;
  personId?: string;
  certificateId?: string;
  needsReview?: boolean;
  checkedAt?: string;
}

async function parseUpload(format: BatchMeta['format'], content: string): Promise<RowInput[]> {
  if (format === 'text') return parseText(content);
  if (format === 'csv') return await parseCsvText(content);
  try {
    return await parseXlsx(content);
  } catch {
    throw new InvalidRequest('validation_failed', [
      { field: 'content', code: 'xlsx_unreadable', message: 'xlsx_unreadable' },
    ]);
  }
}

/** A subcontractor admin uploads for its own workers only; every other role for the tenant. */
export const uploaderScope = (principal: Principal): { subcontractorId?: string } =>
  principal.role === 'subcontractor' && principal.subcontractorId
    ? { subcontractorId: principal.subcontractorId }
    : {};

/** Whether the caller may see a batch: a subcontractor admin only its subcontractor's. */
export function canSeeBatch(principal: Principal, batch: BatchMeta): boolean {
  if (principal.role !== 'subcontractor') return true;
  // Batches from before scopes were stored: only their uploader.
  if (!batch.subcontractorId) return batch.createdBy === principal.subject;
  return batch.subcontractorId === principal.subcontractorId;
}

const PARALLEL_WRITES = 8;
/** Rows per queue message; each row is idempotent, so a retried chunk redoes only what failed. */
export const ROWS_PER_MESSAGE = 50;

async function inParallel<T>(items: T[], size: number, limit: number, fn: (chunk: T[]) => Promise<void>) {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  for (let i = 0; i < chunks.length; i += limit) await Promise.all(chunks.slice(i, i + limit).map(fn));
}

export async function createBatch(
  deps: BatchDeps,
  principal: Principal,
  upload: { format: BatchMeta['format']; content: string; fileName?: string },
  requestId: string,
): Promise<{ batch: BatchMeta; created: boolean }> {
  const rows = await parseUpload(upload.format, upload.content);
  if (rows.length === 0)
    throw new InvalidRequest('validation_failed', [
      { field: 'content', code: 'no_rows', message: 'no_rows' },
    ]);
  if (rows.length > MAX_ROWS) {
    throw new InvalidRequest('validation_failed', [
      { field: 'content', code: 'too_many_rows', message: 'too_many_rows', params: { max: MAX_ROWS } },
    ]);
  }
  // The same file uploaded again in the same scope is the same batch: the id is a hash of
  // tenant, uploader scope and content (two subcontractors uploading one file get two batches).
  const scope = uploaderScope(principal);
  const digest = createHash('sha256')
    .update(`${principal.tenantId}\n${scope.subcontractorId ?? '*'}\n${upload.format}\n${upload.content}`)
    .digest('hex');
  const batchId = `bat_${digest.slice(0, 26)}`;
  const existing = await deps.db.send(
    new GetCommand({
      TableName: deps.table,
      Key: keys.batch(principal.tenantId, batchId),
      ConsistentRead: true,
    }),
  );
  if (existing.Item) return { batch: existing.Item as BatchMeta, created: false };

  const malformed = rows.filter((r) => r.kind === 'malformed').length;
  const now = new Date().toISOString();
  const batch: BatchMeta = {
    batchId,
    ...(upload.fileName ? { fileName: upload.fileName } : {}),
    format: upload.format,
    status: malformed === rows.length ? 'completed' : 'processing',
    total: rows.length,
    processed: malformed,
    counts: malformed ? { malformed } : {},
    createdAt: now,
    createdBy: principal.subject,
    ...scope,
    ...(malformed === rows.length ? { completedAt: now } : {}),
  };
  const key = await deps.idHashKey();
  const stored: (BatchRow & { pk: string; sk: string })[] = rows.map((r) => {
    const base = keys.batchRow(principal.tenantId, batchId, r.row);
    if (r.kind === 'malformed') {
      return {
        ...base,
        row: r.row,
        kind: 'malformed',
        display: maskIdLikeRuns(r.raw),
        outcome: 'malformed',
        reasons: [r.reason],
        needsReview: true,
      };
    }
    return {
      ...base,
      row: r.row,
      kind: r.kind,
      display: r.kind === 'id' ? maskIdNumber(r.value) : maskIdLikeRuns(r.value),
      ...(r.kind === 'id' ? { idHash: hashIdNumber(r.value, key) } : {}),
      ...(r.name ? { name: r.name } : {}),
    };
  });
  // Rows first, then the batch: a batch that exists always has all its rows.
  await inParallel(stored, 25, PARALLEL_WRITES, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item: { entity: 'batch-row', ...Item } } }));
    while (pending.length) {
      const out = await deps.db.send(new BatchWriteCommand({ RequestItems: { [deps.table]: pending } }));
      pending = (out.UnprocessedItems?.[deps.table] ?? []) as typeof pending;
    }
  });
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.table,
        Item: { ...keys.batch(principal.tenantId, batchId), entity: 'batch', ...batch },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) {
      const again = await deps.db.send(
        new GetCommand({ TableName: deps.table, Key: keys.batch(principal.tenantId, batchId) }),
      );
      return { batch: again.Item as BatchMeta, created: false };
    }
    throw error;
  }
  const audit = auditPut(
    deps.table,
    principal,
    {
      action: 'batch.create',
      entityType: 'batch',
      entityId: batchId,
      details: { total: rows.length, malformed },
    },
    requestId,
  );
  await deps.db.send(new PutCommand(audit.Put));
  // Raw values travel only in the (encrypted, short-lived) queue messages.
  const toCheck = rows.flatMap((r) =>
    r.kind === 'malformed'
      ? []
      : [{ row: r.row, kind: r.kind, value: r.value, ...(r.name ? { name: r.name } : {}) }],
  );
  const messages: WorkMessage[] = [];
  for (let i = 0; i < toCheck.length; i += ROWS_PER_MESSAGE) {
    messages.push({
      type: 'verify-batch-rows',
      tenantId: principal.tenantId,
      batchId,
      ...scope,
      rows: toCheck.slice(i, i + ROWS_PER_MESSAGE),
    });
  }
  await inParallel(messages, 10, PARALLEL_WRITES, (chunk) => deps.workQueue.send(chunk));
  return { batch, created: true };
}

export async function getBatch(
  deps: BatchDeps,
  tenantId: string,
  batchId: string,
): Promise<BatchMeta | undefined> {
  const out = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: keys.batch(tenantId, batchId), ConsistentRead: true }),
  );
  return out.Item as BatchMeta | undefined;
}

export async function batchRows(
  deps: BatchDeps,
  tenantId: string,
  batchId: string,
  limit: number,
  cursor?: string,
) {
  const { pk } = keys.batch(tenantId, batchId);
  const start = decodeCursor(cursor, { attribute: 'pk', value: pk, allowedAttributes: ['pk', 'sk'] });
  const out = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
      ExpressionAttributeValues: { ':pk': pk, ':row': 'ROW#' },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  const nextCursor = encodeCursor(out.LastEvaluatedKey);
  return { items: (out.Items ?? []) as BatchRow[], ...(nextCursor ? { nextCursor } : {}) };
}

/** Every row a person must look at, in row order. */
export async function reviewList(deps: BatchDeps, tenantId: string, batchId: string): Promise<BatchRow[]> {
  const { pk } = keys.batch(tenantId, batchId);
  return queryAll<BatchRow>(deps.db, {
    TableName: deps.table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
    FilterExpression: 'needsReview = :yes',
    ExpressionAttributeValues: { ':pk': pk, ':row': 'ROW#', ':yes': true },
  });
}

/** A row as callers see it: no storage keys, no ID hash. */
export function rowView(r: BatchRow) {
  const {
    idHash: _h,
    pk: _pk,
    sk: _sk,
    entity: _e,
    ...view
  } = r as BatchRow & { pk?: string; sk?: string; entity?: string };
  return { ...view, needsReview: r.outcome ? needsReview(r.outcome) : false };
}
