// Whether the table answers (GET /health): DescribeTable, cached a few seconds so that a
// probe every second costs little.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClient } from '../aws-client-config.ts';

const CACHE_MS = 5_000;
let client: DynamoDBClient | undefined;
let last: { at: number; ok: boolean } | undefined;

export async function tableAnswers(tableName: string): Promise<boolean> {
  if (last && Date.now() - last.at < CACHE_MS) return last.ok;
  // One attempt within two seconds: a probe that waits on a stalled table is no probe.
  client ??= awsClient(DynamoDBClient, { maxAttempts: 1 }, 2_000);
  const ok = await client.send(new DescribeTableCommand({ TableName: tableName })).then(
    (out) => out.Table?.TableStatus === 'ACTIVE' || out.Table?.TableStatus === 'UPDATING',
    () => false,
  );
  last = { at: Date.now(), ok };
  return ok;
}
