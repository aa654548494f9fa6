// The local stand-in for the SQS → Lambda event source: long-polls the work queue in the
// emulator and hands batches to the same worker handler, deleting what succeeded.

import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { asFunction } from './iam-check.ts';

export interface WorkPoller {
  stop(): Promise<void>;
  /** Resolves once the queue has been seen empty (for tests). */
  drained(): Promise<void>;
}

export function startWorkPoller(
  queueUrl: string,
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
): WorkPoller {
  const sqs = new SQSClient({ maxAttempts: 2 });
  let running = true;
  // A waiter is owed an empty receive that *started* after it asked: a long poll already in
  // flight when the test queued its message may come back empty without having seen it.
  let emptyWaiters: { resolve: () => void; after: number }[] = [];
  let receives = 0;
  const loop = (async () => {
    while (running) {
      const receive = ++receives;
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 30,
            // The correlation id travels as a message attribute (functions/shared/work-queue.ts).
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        );
        const messages = out.Messages ?? [];
        if (!messages.length) {
          for (const w of emptyWaiters) if (w.after < receive) w.resolve();
          emptyWaiters = emptyWaiters.filter((w) => w.after >= receive);
          continue;
        }
        const event: SQSEvent = {
          Records: messages.map((m) => ({
            messageId: m.MessageId ?? '',
            receiptHandle: m.ReceiptHandle ?? '',
            body: m.Body ?? '',
            attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' } as never,
            messageAttributes: Object.fromEntries(
              Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
                k,
                { stringValue: v.StringValue, dataType: v.DataType ?? 'String' } as never,
              ]),
            ),
            md5OfBody: m.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'local',
            awsRegion: process.env.AWS_REGION ?? 'us-east-1',
          })),
        };
        const result = await asFunction('worker', () => handler(event));
        const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
            }),
          );
        }
      } catch (error) {
        if (running) console.error('work poller:', (error as Error).message);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      sqs.destroy();
    },
    drained: () => new Promise<void>((resolve) => emptyWaiters.push({ resolve, after: receives })),
  };
}
