// Counts the items DynamoDB returns to a client (moto reports a fixed ConsumedCapacity,
// so cost figures come from counting items and calls ourselves).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ReadMeter {
  calls: number;
  items: number;
}

export function meterReads(client: DynamoDBDocumentClient): ReadMeter {
  const meter: ReadMeter = { calls: 0, items: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const out = result.output as {
        Items?: unknown[];
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      if (out.Items) {
        meter.calls++;
        meter.items += out.Items.length;
      } else if ('Item' in out) {
        meter.calls++;
        meter.items += out.Item ? 1 : 0;
      } else if (out.Responses) {
        meter.calls++;
        meter.items += Object.values(out.Responses).reduce((n, r) => n + r.length, 0);
      }
      return result;
    },
    { step: 'initialize', name: 'readMeter' },
  );
  return meter;
}
