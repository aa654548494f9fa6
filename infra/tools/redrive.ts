// `npm run redrive -- <queue> [--move] [--max N]`: what is in a queue's dead-letter queue,
// then (with --move) back to the queue. The dead-letter queue is found from the queue's own
// redrive policy, so the operator names the queue they know (its URL or its name). Moving
// re-sends each message with its body and attributes (the correlation id goes with it) and
// deletes it from the dead letters only once re-sent: a crash in between sends one twice,
// which the worker's idempotent handlers absorb (docs/operations.md). Without --move nothing
// changes: messages are looked at with a short visibility and left where they are.
//
// The work queue is SQS → SQS. The gate scan and scheduled-job dead letters hold Lambda and
// Scheduler failure records, not messages to re-send: docs/operations.md says what to do.
import { parseArgs } from 'node:util';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export interface RedriveReport {
  queueUrl: string;
  deadLetterUrl: string;
  inspected: number;
  moved: number;
  /** Messages by their work type (the body's `type`), for the operator's first look. */
  byType: Record<string, number>;
}

async function urlOf(sqs: SQSClient, queue: string) {
  if (/^https?:\/\//.test(queue)) return queue;
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl as string;
}

export async function deadLetterUrlOf(sqs: SQSClient, queueUrl: string) {
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
  );
  const policy = attrs.Attributes?.RedrivePolicy;
  if (!policy) throw new Error(`${queueUrl} has no dead-letter queue`);
  const arn = JSON.parse(policy).deadLetterTargetArn as string;
  return urlOf(sqs, arn.split(':').at(-1) as string);
}

const typeOf = (m: Message) => {
  try {
    return String((JSON.parse(m.Body ?? '{}') as { type?: string }).type ?? 'unknown');
  } catch {
    return 'not_json';
  }
};

export async function redrive(
  sqs: SQSClient,
  queue: string,
  options: { move?: boolean; max?: number } = {},
): Promise<RedriveReport> {
  const queueUrl = await urlOf(sqs, queue);
  const deadLetterUrl = await deadLetterUrlOf(sqs, queueUrl);
  const max = options.max ?? 10_000;
  const report: RedriveReport = { queueUrl, deadLetterUrl, inspected: 0, moved: 0, byType: {} };
  const seen = new Set<string>();
  while (report.inspected < max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterUrl,
        MaxNumberOfMessages: Math.min(10, max - report.inspected),
        // Inspecting only: back in view soon. Moving: long enough to re-send and delete.
        VisibilityTimeout: options.move ? 60 : 5,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
    if (!messages.length) break;
    for (const m of messages) {
      seen.add(m.MessageId ?? '');
      report.inspected += 1;
      const type = typeOf(m);
      report.byType[type] = (report.byType[type] ?? 0) + 1;
    }
    if (!options.move) continue;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length
            ? { MessageAttributes: m.MessageAttributes }
            : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    const done = messages.filter((_, i) => ok.has(i));
    if (done.length)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      );
    report.moved += done.length;
  }
  return report;
}

if (process.argv[1]?.endsWith('redrive.ts')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { move: { type: 'boolean', default: false }, max: { type: 'string' } },
  });
  const queue = positionals[0] ?? process.env.WORK_QUEUE_URL;
  if (!queue) {
    console.error('Usage: npm run redrive -- <queue url or name> [--move] [--max N]');
    process.exit(2);
  }
  const report = await redrive(new SQSClient({}), queue, {
    move: values.move,
    ...(values.max ? { max: Number(values.max) } : {}),
  });
  console.log(JSON.stringify(report, null, 2));
  if (!values.move && report.inspected)
    console.log('Nothing moved: run again with --move to send them back.');
}
