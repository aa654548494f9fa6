// Certificates entered before a tenant connected the registry were answered "not
// configured" and stayed never verified. Connecting (or changing) the connection starts a
// batch the tenant can follow like an upload (GET /verifications/batches/{id}) that
// checks every certificate the registry never answered for.
//
// The listing runs in the worker a page of people at a time (one queue message per page,
// the next page queued by the previous one), so no tenant size hits a Lambda timeout.
// Every step is idempotent under redelivery: rows are put only if absent, a page is
// counted once (its number kept on the batch), and checking a row twice is a no-op.
import type { CertificateRecord } from '../domain/certificate.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { newId } from '../shared/ids.ts';
import type { WorkMessage, WorkQueue } from '../shared/work-queue.ts';
import { type BatchMeta, type BatchRow, ROWS_PER_MESSAGE } from './batch.ts';
import type { BatchStore } from './batch-store.ts';
import type { RowDeps } from './process-row.ts';

/** People per page: their certificates become at most ROW_SLOTS_PER_PAGE rows. */
export const CATCH_UP_PEOPLE_PER_PAGE = 20;
/** Row numbers of page p are p × 1000 + 1 … : the same page always gives the same rows. */
const ROW_SLOTS_PER_PAGE = 1000;

type ListMessage = Extract<WorkMessage, { type: 'list-unverified' }>;

/** Never answered by the registry: never verified, or only ever "unavailable". */
export const neverVerified = (c: CertificateRecord) => !c.verification?.lastAnsweredAt;

export async function startRegistryCatchUp(
  deps: { batches: BatchStore; workQueue: WorkQueue },
  principal: Principal,
  now: Date,
): Promise<BatchMeta> {
  const batch: BatchMeta = {
    batchId: newId('bat'),
    format: 'registry',
    status: 'processing',
    total: 0,
    processed: 0,
    counts: {},
    createdAt: now.toISOString(),
    createdBy: principal.subject,
  };
  await deps.batches.startListing(principal.tenantId, batch);
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
  await deps.batches.addListedPage(
    tenantId,
    batchId,
    page,
    rows.map(
      (r): BatchRow => ({
        row: r.row,
        kind: 'certificate',
        display: r.display,
        personId: r.personId,
        certificateId: r.certificateId,
      }),
    ),
  );
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
async function finishListing(deps: Pick<RowDeps, 'batches' | 'clock'>, tenantId: string, batchId: string) {
  await deps.batches.finishListing(tenantId, batchId);
  await deps.batches.completeIfDone(tenantId, batchId, deps.clock.now());
}
