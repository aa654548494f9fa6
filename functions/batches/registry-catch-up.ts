// Certificates entered before a tenant connected the registry were answered "not
// configured" and stayed never verified. Connecting (or changing) the connection starts a
// batch the tenant can follow like an upload (GET /verifications/batches/{id}) that
// checks every certificate the registry never answered for.
//
// The listing runs in the worker a page of people at a time (one queue message per page,
// the next page queued by the previous one), so no tenant size hits a Lambda timeout.
// Every step is idempotent under redelivery: rows are put only if absent, a page is
// counted once (its number kept on the batch), and checking a row twice is a no-op.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CertificateRecord } from '../certificates/certificate-repository.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import { newId } from '../shared/ids.ts';
import type { WorkMessage, WorkQueue } from '../shared/work-queue.ts';
import type { BatchMeta } from './batches.ts';
import { ROWS_PER_MESSAGE } from './batches.ts';
import { completeIfDone, type RowDeps } from './process-row.ts';

/** People per page: their certificates become at most ROW_SLOTS_PER_PAGE rows. */
export const CATCH_UP_PEOPLE_PER_PAGE = 20;
/** Row numbers of page p are p × 1000 + 1 … : the same page always gives the same rows. */
const ROW_SLOTS_PER_PAGE = 1000;

type ListMessage = Extract<WorkMessage, { type: 'list-unverified' }>;

/** Never answered by the registry: never verified, or only ever "unavailable". */
export const neverVerified = (c: CertificateRecord) => !c.verification?.lastAnsweredAt;

export async function startRegistryCatchUp(
  deps: Pick<RowDeps, 'db' | 'table'> & { workQueue: WorkQueue },
  principal: Principal,
  now: Date,
): Promise<BatchMeta> {
  const batch: BatchMeta & { listing: boolean } = {
    batchId: newId('bat'),
    format: 'registry',
    status: 'processing',
    total: 0,
    processed: 0,
    counts: {},
    createdAt: now.toISOString(),
    createdBy: principal.subject,
    listing: true,
  };
  await deps.db.send(
    new PutCommand({
      TableName: deps.table,
      Item: { ...keys.batch(principal.tenantId, batch.batchId), entity: 'batch', ...batch },
    }),
  );
  await deps.workQueue.send([
    { type: 'list-unverified', tenantId: principal.tenantId, batchId: batch.batchId, page: 0 },
  ]);
  return batch;
}

export async function listUnverifiedPage(
  deps: RowDeps & { workQueue: WorkQueue },
  msg: ListMessage,
): Promise<void> {
  const { tenantId, batchId, page } = msg;
  const people = await deps.people.list(tenantId, {
    limit: CATCH_UP_PEOPLE_PER_PAGE,
    ...(msg.cursor ? { cursor: msg.cursor } : {}),
  });
  const found: { personId: string; cert: CertificateRecord }[] = [];
  for (const person of people.items) {
    const certs = await deps.certificates.listForPerson(tenantId, person.personId);
    for (const cert of certs.filter(neverVerified)) found.push({ personId: person.personId, cert });
  }
  if (found.length >= ROW_SLOTS_PER_PAGE) throw new Error('too many certificates on one page of people');
  const rows = found.map(({ personId, cert }, i) => ({
    row: page * ROW_SLOTS_PER_PAGE + i + 1,
    personId,
    certificateId: cert.certificateId,
    display: cert.numberMasked,
  }));
  for (const r of rows) {
    await deps.db
      .send(
        new PutCommand({
          TableName: deps.table,
          Item: {
            ...keys.batchRow(tenantId, batchId, r.row),
            entity: 'batch-row',
            row: r.row,
            kind: 'certificate',
            display: r.display,
            personId: r.personId,
            certificateId: r.certificateId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch(ignoreConditionFailure);
  }
  // Count the page once, whatever the redeliveries.
  await deps.db
    .send(
      new UpdateCommand({
        TableName: deps.table,
        Key: keys.batch(tenantId, batchId),
        UpdateExpression: 'ADD #total :n, pagesListed :page',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(pagesListed) OR NOT contains(pagesListed, :p))',
        ExpressionAttributeNames: { '#total': 'total' },
        ExpressionAttributeValues: { ':n': rows.length, ':page': new Set([page]), ':p': page },
      }),
    )
    .catch(ignoreConditionFailure);
  const messages: WorkMessage[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
    messages.push({
      type: 'verify-batch-rows',
      tenantId,
      batchId,
      rows: rows.slice(i, i + ROWS_PER_MESSAGE).map((r) => ({
        row: r.row,
        kind: 'certificate' as const,
        value: '',
        certificateRef: { personId: r.personId, certificateId: r.certificateId },
      })),
    });
  }
  if (people.nextCursor) messages.push({ ...msg, page: page + 1, cursor: people.nextCursor });
  if (messages.length) await deps.workQueue.send(messages);
  if (!people.nextCursor) await finishListing(deps, tenantId, batchId);
}

/** The last page is listed: the batch completes once every row is checked (maybe now). */
async function finishListing(
  deps: Pick<RowDeps, 'db' | 'table' | 'clock'>,
  tenantId: string,
  batchId: string,
) {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.table,
      Key: keys.batch(tenantId, batchId),
      UpdateExpression: 'REMOVE listing',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
  await completeIfDone(deps, tenantId, batchId, deps.clock.now());
}

function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}
