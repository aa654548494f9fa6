// DLQ redrive (issue 30): `npm run redrive` finds the dead letters from the queue's own
// redrive policy, shows what is there without moving it, then moves every message back with
// its attributes — and a second run moves nothing. Against the emulator's SQS.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { redrive } from '../../infra/tools/redrive.ts';

const sqs = new SQSClient({});
afterAll(() => sqs.destroy());

async function queues(name: string) {
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl as string;
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  const source = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
      }),
    )
  ).QueueUrl as string;
  return { source, dlq };
}

const count = async (url: string) =>
  Number(
    (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
    ).Attributes?.ApproximateNumberOfMessages,
  );

describe('redrive', () => {
  it('inspects, then moves the dead letters back with their attributes, once', async () => {
    const { source, dlq } = await queues(`redrive-${Date.now()}`);
    for (const [i, type] of ['deliver-webhook', 'deliver-webhook', 'verify-certificate'].entries())
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: JSON.stringify({ type, n: i }),
          MessageAttributes: { correlationId: { DataType: 'String', StringValue: `corr-redrive-${i}` } },
        }),
      );
    const looked = await redrive(sqs, source);
    expect(looked).toMatchObject({
      inspected: 3,
      moved: 0,
      byType: { 'deliver-webhook': 2, 'verify-certificate': 1 },
    });
    expect(looked.deadLetterUrl).toBe(dlq);

    await new Promise((r) => setTimeout(r, 5_500)); // the inspection's visibility runs out
    const moved = await redrive(sqs, source, { move: true });
    expect(moved).toMatchObject({ inspected: 3, moved: 3 });
    expect(await count(dlq)).toBe(0);
    const back = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: source,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(back.Messages).toHaveLength(3);
    expect(back.Messages?.map((m) => m.MessageAttributes?.correlationId?.StringValue).sort()).toEqual([
      'corr-redrive-0',
      'corr-redrive-1',
      'corr-redrive-2',
    ]);
    expect(await redrive(sqs, source, { move: true })).toMatchObject({ inspected: 0, moved: 0 });
  });

  it('refuses a queue without a dead-letter queue', async () => {
    const plain = (await sqs.send(new CreateQueueCommand({ QueueName: `plain-${Date.now()}` })))
      .QueueUrl as string;
    await expect(redrive(sqs, plain)).rejects.toThrow('no dead-letter queue');
  });
});
