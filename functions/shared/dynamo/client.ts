// One DynamoDB document client per container, created at cold start. In local runs and
// tests AWS_ENDPOINT_URL points the SDK at the emulator; nothing else differs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkExpressions } from './expression-check.ts';

export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ maxAttempts: process.env.AWS_ENDPOINT_URL ? 2 : 3 });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  // The emulator does not validate expressions the way DynamoDB does: check them here.
  if (process.env.AWS_ENDPOINT_URL) checkExpressions(doc);
  return doc;
}
