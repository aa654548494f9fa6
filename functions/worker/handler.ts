// Consumes the work queue (SQS): registry checks of new certificates and batch rows, and
// the permit workflow's signature requests, the propagation workflow's deliveries to partners.
// Failures are reported per message (batchItemFailures) so one bad message neither
// blocks nor repeats the others; after the queue's retries it lands in the DLQ.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processBatchRows } from '../batches/process-row.ts';
import { listUnverifiedPage } from '../batches/registry-catch-up.ts';
import {
  archiveDeps,
  batchStore,
  clock,
  federationServiceKey,
  federationStore,
  idHashKey,
  notificationAdapters,
  permitStore,
  permitWorkflow,
  propagation,
  registryChecks,
  restatus,
  subcontractorRepository,
  verificationAdapters,
  webhookDeps,
  workQueue,
} from '../composition-root.ts';
import { deliverToPartner } from '../federation/federation.ts';
import { processChunk } from '../imports/imports.ts';
import type { LedgerRow } from '../imports/ledger-row.ts';
import {
  checkBindingsPage,
  DeliveryIncomplete,
  deliverNotification,
  onMailEvent,
} from '../notifications/deliveries.ts';
import { readReceipt } from '../notifications/receipts.ts';
import { onSignatureRequest } from '../permits/cross-site-permits.ts';
import { systemActor } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { errorForLog } from '../shared/error-log.ts';
import { acceptableCorrelationId, logger, withRequestLogger } from '../shared/logger.ts';
import { coldStart, metricsFlushed } from '../shared/metrics.ts';
import { postOutbound } from '../shared/outbound-http.ts';
import { annotate } from '../shared/tracer.ts';
import { retryDelaySeconds, WorkMessage } from '../shared/work-queue.ts';
import { followPage } from '../subcontractors/contract-changes.ts';
import { verifyCertificate } from '../verification/verify.ts';
import { deliverWebhook, WebhookNotTaken } from '../webhooks/webhooks.ts';
import { ledgerWrites } from './ledger-writes.ts';

const deps = {
  ...verificationAdapters(),
  registryChecks: registryChecks(),
  batches: batchStore(),
  workQueue: workQueue(),
  idHashKey: idHashKey(),
  permits: permitStore(),
  workflow: permitWorkflow(),
};
const notifying = notificationAdapters();
const deliveries = {
  federation: federationStore(),
  propagation: propagation(),
  serviceKey: federationServiceKey(),
  clock: clock(),
  post: postOutbound,
};

export async function handleWork(message: WorkMessage, messageId: string, attempt = 1): Promise<void> {
  switch (message.type) {
    case 'verify-certificate': {
      const person = await deps.people.get(message.tenantId, message.personId);
      if (!person) return; // deleted meanwhile: nothing to verify
      await verifyCertificate(
        deps,
        systemActor(message.tenantId, 'verification'),
        person,
        message.certificateId,
        messageId,
      );
      return;
    }
    case 'verify-batch-rows':
      await processBatchRows(deps, message, messageId);
      return;
    case 'list-unverified':
      await listUnverifiedPage(deps, message);
      return;
    case 'import-rows':
      await processChunk(
        ledgerWrites(),
        {
          tenantId: message.tenantId,
          importId: message.importId,
          principal: message.principal as Principal,
          rows: message.rows as LedgerRow[],
        },
        messageId,
      );
      return;
    case 'build-archive': {
      const { buildArchive } = await import('../archives/archives.ts');
      await buildArchive(archiveDeps(), message.tenantId, message.archiveId);
      return;
    }
    case 'deliver-webhook':
      await deliverWebhook({ ...webhookDeps(), post: postOutbound }, message, attempt);
      return;
    case 'subcontractor-workers': {
      const { tenantId, subcontractorId } = message;
      const cursor = await followPage(
        {
          subcontractors: subcontractorRepository(),
          people: deps.people,
          restatus: restatus(),
          clock: clock(),
        },
        systemActor(tenantId, 'subcontractor-termination'),
        subcontractorId,
        message.cursor,
        messageId,
      );
      // The next page as its own message: no subcontractor's size meets a Lambda timeout.
      if (cursor)
        await deps.workQueue.send([{ type: 'subcontractor-workers', tenantId, subcontractorId, cursor }]);
      return;
    }
    case 'permit-signature-request':
      await onSignatureRequest(deps, message);
      return;
    case 'federation-delivery':
      await deliverToPartner(deliveries, message);
      return;
    case 'deliver-notification':
      await deliverNotification(notifying, message);
      return;
    case 'check-bindings':
      await checkBindingsPage(notifying, message.tenantId, message.cursor);
      return;
    case 'sms-receipt':
      await readReceipt(notifying, message);
      return;
    case 'mail-event':
      await onMailEvent(notifying, message);
      return;
  }
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  coldStart('worker');
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    // Each message logs under the correlation id of the request (or job) that queued it.
    const correlationId =
      acceptableCorrelationId(record.messageAttributes?.correlationId?.stringValue) ?? record.messageId;
    await withRequestLogger({ messageId: record.messageId, correlationId }, () =>
      work(record, batchItemFailures),
    );
  }
  await metricsFlushed();
  return { batchItemFailures };
}

async function work(
  record: SQSEvent['Records'][number],
  batchItemFailures: SQSBatchResponse['batchItemFailures'],
) {
  try {
    const parsed = WorkMessage.safeParse(JSON.parse(record.body));
    if (!parsed.success) {
      // A malformed message will never succeed: log it and drop it rather than retry.
      logger.error('dropping malformed work message', { messageId: record.messageId });
      return;
    }
    const started = performance.now();
    await handleWork(
      parsed.data,
      record.messageId,
      Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1,
    );
    logger.info('work message done', { type: parsed.data.type, ms: Math.round(performance.now() - started) });
    // Searchable in X-Ray: the message type is a closed set.
    annotate({ capability: 'worker', messageType: parsed.data.type });
  } catch (error) {
    batchItemFailures.push({ itemIdentifier: record.messageId });
    if (error instanceof DeliveryIncomplete || error instanceof WebhookNotTaken) {
      // A provider throttling or down: try again later, longer each time, then the DLQ.
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
      await notifying.workQueue
        .retryLater?.(record.receiptHandle, retryDelaySeconds(receiveCount))
        .catch(() => {});
      logger.warn('delivery incomplete', { messageId: record.messageId, receiveCount });
      return;
    }
    logger.error('work message failed', { messageId: record.messageId, error: errorForLog(error) });
  }
}
