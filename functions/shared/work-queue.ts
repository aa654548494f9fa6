// Background work (registry checks of new certificates, batch rows) goes through one SQS
// queue with a dead-letter queue; a Lambda consumes it in AWS, a poller locally.
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { awsClient } from './aws-client-config.ts';
import { currentCorrelationId } from './logger.ts';

const optionalText = z.string().optional();

/** A ledger row as the import queues it (functions/imports/ledger-row.ts, LedgerRow). */
const LedgerRowMessage = z.object({
  row: z.number().int(),
  person: z.object({
    name: z.string(),
    idNumber: z.string(),
    employeeId: optionalText,
    site: optionalText,
    subcontractor: optionalText,
    phone: optionalText,
  }),
  certificate: z
    .object({
      scheme: z.enum(['MEM', 'SAMR', 'MOHURD']),
      category: z.string(),
      subType: optionalText,
      number: z.string(),
      issuedOn: z.string(),
      expiresOn: z.string(),
      reviewDueOn: optionalText,
    })
    .optional(),
  badgeUid: optionalText,
});

export const WorkMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('verify-certificate'),
    tenantId: z.string(),
    personId: z.string(),
    certificateId: z.string(),
  }),
  z.object({
    type: z.literal('verify-batch-rows'),
    tenantId: z.string(),
    batchId: z.string(),
    /** The uploader's scope: a subcontractor admin's batch matches only its own workers. */
    subcontractorId: z.string().optional(),
    /** A chunk of rows: 10,000 rows make 200 messages, not 10,000. */
    rows: z.array(
      z.object({
        row: z.number().int(),
        kind: z.enum(['certificate', 'id']),
        value: z.string(),
        name: z.string().optional(),
        /** One of our certificates, checked as it is (registry catch-up batches). */
        certificateRef: z.object({ personId: z.string(), certificateId: z.string() }).optional(),
      }),
    ),
  }),
  z.object({
    /** A chunk of ledger rows to write (the importer's principal: every rule applies as to them). */
    type: z.literal('import-rows'),
    tenantId: z.string(),
    importId: z.string(),
    principal: z.object({
      subject: z.string(),
      tenantId: z.string(),
      role: z.string(),
      siteIds: z.array(z.string()),
      subcontractorId: z.string().optional(),
      personId: z.string().optional(),
      userId: z.string().optional(),
    }),
    rows: z.array(LedgerRowMessage).max(100),
  }),
  z.object({
    /** One event to one webhook subscription (signed, logged; retried with backoff). */
    type: z.literal('deliver-webhook'),
    tenantId: z.string(),
    webhookId: z.string(),
    eventId: z.string(),
  }),
  z.object({
    /** One page of a subcontractor's workers made to follow its termination or reinstatement. */
    type: z.literal('subcontractor-workers'),
    tenantId: z.string(),
    subcontractorId: z.string(),
    cursor: z.string().optional(),
  }),
  z.object({
    /** One page of people whose never-verified certificates join a catch-up batch. */
    type: z.literal('list-unverified'),
    tenantId: z.string(),
    batchId: z.string(),
    page: z.number().int().min(0),
    cursor: z.string().optional(),
  }),
  z.object({
    /** The permit workflow asks one site to sign (sent by Step Functions with its task token). */
    type: z.literal('permit-signature-request'),
    tenantId: z.string(),
    permitId: z.string(),
    side: z.enum(['from', 'to']),
    siteId: z.string(),
    taskToken: z.string().min(1),
  }),
  z.object({
    /** The propagation workflow delivers one entry version to one partner (O4). */
    type: z.literal('federation-delivery'),
    partnerId: z.string(),
    feed: z.record(z.string(), z.unknown()),
    taskToken: z.string().min(1),
  }),
  z.object({
    /** An inbox message to take through its notification rule (N1): its item's keys. */
    type: z.literal('deliver-notification'),
    pk: z.string().min(1),
    sk: z.string().min(1),
  }),
  z.object({
    /** A page of a tenant's WeCom bindings to check for "following" (N2); cursor: the next page. */
    type: z.literal('check-bindings'),
    tenantId: z.string().min(1),
    cursor: z.record(z.string(), z.string()).optional(),
  }),
  z.object({
    /** A sent SMS whose receipt to read (N2): its channel record's keys. */
    type: z.literal('sms-receipt'),
    pk: z.string().min(1),
    sk: z.string().min(1),
  }),
  z.object({
    /** The regulator's archive of a person or a site to build (E3). */
    type: z.literal('build-archive'),
    tenantId: z.string().min(1),
    archiveId: z.string().min(1),
  }),
  z.object({
    /** A bounce or complaint of a notification mail (SES event via EventBridge, N1). */
    type: z.literal('mail-event'),
    eventType: z.string().min(1),
    tenantId: z.string().nullish(),
    personId: z.string().nullish(),
    bounceType: z.string().nullish(),
  }),
]);
export type WorkMessage = z.infer<typeof WorkMessage>;

export interface WorkQueue {
  send(messages: WorkMessage[]): Promise<void>;
  /** Makes a received message visible again only after `seconds` (the backoff of a retry). */
  retryLater?(receiptHandle: string, seconds: number): Promise<void>;
}

/** Exponential backoff of a retried message: 30 s, 60 s, 120 s … at most 15 minutes. */
export function retryDelaySeconds(receiveCount: number): number {
  return Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1));
}

export class SqsWorkQueue implements WorkQueue {
  private readonly sqs = awsClient(SQSClient);
  constructor(private readonly queueUrl: string) {}

  async send(messages: WorkMessage[]): Promise<void> {
    const correlationId = currentCorrelationId();
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((m, j) => ({
            Id: String(j),
            MessageBody: JSON.stringify(m),
            // The request's correlation id goes on with the work it queues (the worker logs it).
            ...(correlationId
              ? { MessageAttributes: { correlationId: { DataType: 'String', StringValue: correlationId } } }
              : {}),
          })),
        }),
      );
      if (out.Failed?.length) throw new Error(`${out.Failed.length} work messages were not queued`);
    }
  }

  async retryLater(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }
}
