// GET /health: up, and whether the table answers (DescribeTable, cached for a few seconds so
// a probe every second costs little). A dependency that does not answer gives 503 with
// Retry-After, so a load balancer or `npm start`'s user sees the outage, not "ok".
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { health } from '../../schemas/routes.ts';
import { tableName } from '../shared/config.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { RETRY_AFTER_SECONDS } from '../shared/http/problem.ts';

const CACHE_MS = 5_000;
let client: DynamoDBClient | undefined;
let last: { at: number; ok: boolean } | undefined;

async function tableAnswers(): Promise<boolean> {
  if (last && Date.now() - last.at < CACHE_MS) return last.ok;
  client ??= new DynamoDBClient({ maxAttempts: 1, requestHandler: { requestTimeout: 2000 } });
  const ok = await client.send(new DescribeTableCommand({ TableName: tableName() })).then(
    (out) => out.Table?.TableStatus === 'ACTIVE' || out.Table?.TableStatus === 'UPDATING',
    () => false,
  );
  last = { at: Date.now(), ok };
  return ok;
}

export const handler = httpHandler([
  on(health, async () => {
    const table = (await tableAnswers()) ? 'ok' : 'unavailable';
    const up = table === 'ok';
    return {
      status: up ? 200 : 503,
      body: { status: up ? 'ok' : 'degraded', dependencies: { table } },
      ...(up ? {} : { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }),
    };
  }),
]);
