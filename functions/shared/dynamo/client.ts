// One DynamoDB document client per container, created at cold start. In local runs and
// tests AWS_ENDPOINT_URL points the SDK at the emulator; nothing else differs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClient } from '../aws-client-config.ts';
import { checkExpressions } from './expression-check.ts';

export function createDocumentClient(): DynamoDBDocumentClient {
  // Timeouts that throw and a deadline per call: a stalled table answers 503 in seconds.
  const client = awsClient(DynamoDBClient);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  // The emulator does not validate expressions the way DynamoDB does: check them here.
  if (process.env.AWS_ENDPOINT_URL) checkExpressions(doc);
  return doc;
}
