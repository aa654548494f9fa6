// Batch cleaning (SPEC L6): an upload becomes a batch of rows, each checked against the
// registry in the background through the work queue (SQS with a DLQ; the worker's
// event source caps concurrency so 10,000 rows stay within the registry's rate limit).
// A queue rather than a Step Functions Map: rows are independent, per-row retries and
// the DLQ come for free, and the same worker already serves new certificates.

import { createHash } from 'node:crypto';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequest } from '../shared/errors.ts';
import { hashIdNumber, maskIdLikeRuns, maskIdNumber } from '../shared/identity-numbers.ts';
import type { WorkMessage, WorkQueue } from '../shared/work-queue.ts';
import { type BatchMeta, type BatchRow, ROWS_PER_MESSAGE, uploaderScope } from './batch.ts';
import type { BatchStore } from './batch-store.ts';
import { MAX_ROWS, parseCsvText, parseText, parseXlsx, type RowInput } from './parse-upload.ts';

export interface BatchDeps {
  batches: BatchStore;
  workQueue: WorkQueue;
  idHashKey: () => Promise<string>;
  clock: Clock;
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

const PARALLEL_WRITES = 8;

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
  const existing = await deps.batches.get(principal.tenantId, batchId);
  if (existing) return { batch: existing, created: false };

  const malformed = rows.filter((r) => r.kind === 'malformed').length;
  const now = deps.clock.now().toISOString();
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
  const stored: BatchRow[] = rows.map((r) => {
    if (r.kind === 'malformed') {
      return {
        row: r.row,
        kind: 'malformed',
        display: maskIdLikeRuns(r.raw),
        outcome: 'malformed',
        reasons: [r.reason],
        needsReview: true,
      };
    }
    return {
      row: r.row,
      kind: r.kind,
      display: r.kind === 'id' ? maskIdNumber(r.value) : maskIdLikeRuns(r.value),
      ...(r.kind === 'id' ? { idHash: hashIdNumber(r.value, key) } : {}),
      ...(r.name ? { name: r.name } : {}),
    };
  });
  const outcome = await deps.batches.create(
    principal,
    batch,
    stored,
    {
      action: 'batch.create',
      entityType: 'batch',
      entityId: batchId,
      details: { total: rows.length, malformed },
    },
    requestId,
  );
  if (!outcome.created) return outcome;
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

export const getBatch = (deps: Pick<BatchDeps, 'batches'>, tenantId: string, batchId: string) =>
  deps.batches.get(tenantId, batchId);

export const batchRows = (
  deps: Pick<BatchDeps, 'batches'>,
  tenantId: string,
  batchId: string,
  limit: number,
  cursor?: string,
) => deps.batches.rows(tenantId, batchId, limit, cursor);

/** Every row a person must look at, in row order. */
export const reviewList = (deps: Pick<BatchDeps, 'batches'>, tenantId: string, batchId: string) =>
  deps.batches.rowsToReview(tenantId, batchId);
