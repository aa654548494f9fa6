// BatchGetItem over any number of keys: 100 keys per call, unprocessed keys retried.
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export async function batchGetAll<T>(
  db: DynamoDBDocumentClient,
  table: string,
  keyList: Record<string, string>[],
  options: { consistent?: boolean } = {},
): Promise<T[]> {
  const items: T[] = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let request: Record<string, { Keys: Record<string, string>[]; ConsistentRead?: boolean }> | undefined = {
      [table]: { Keys: keyList.slice(i, i + 100), ...(options.consistent ? { ConsistentRead: true } : {}) },
    };
    while (request && Object.keys(request).length) {
      const out = await db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...((out.Responses?.[table] ?? []) as T[]));
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return items;
}
