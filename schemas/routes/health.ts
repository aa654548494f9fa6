// The health function's routes (see schemas/route.ts).
import * as z from 'zod';
import { route } from '../route.ts';

const HealthStatus = z
  .object({
    status: z.enum(['ok', 'degraded']),
    dependencies: z.object({ table: z.enum(['ok', 'unavailable']) }),
  })
  .meta({ id: 'HealthStatus' });

export const health = route({
  operationId: 'health',
  method: 'GET',
  path: '/health',
  capability: 'health',
  auth: false,
  summary: 'Health: up, and whether the table answers',
  responses: {
    200: { description: 'Up, dependencies answering', schema: HealthStatus },
    503: { description: 'A dependency is not answering (Retry-After)', schema: HealthStatus },
  },
});
