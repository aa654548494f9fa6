// GET /health: up, and whether the table answers. A dependency that does not answer gives
// 503 with Retry-After, so a load balancer or `npm start`'s user sees the outage, not "ok".
import { health } from '../../schemas/routes/health.ts';
import { tableName } from '../shared/config.ts';
import { tableAnswers } from '../shared/dynamo/table-health.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { RETRY_AFTER_SECONDS } from '../shared/http/problem.ts';

export const handler = httpHandler([
  on(health, async () => {
    const table = (await tableAnswers(tableName())) ? 'ok' : 'unavailable';
    const up = table === 'ok';
    return {
      status: up ? 200 : 503,
      body: { status: up ? 'ok' : 'degraded', dependencies: { table } },
      ...(up ? {} : { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }),
    };
  }),
]);
