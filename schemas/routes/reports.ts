// The reports function's routes (see schemas/route.ts).
import { HealthReport, HealthReportQuery } from '../reports.ts';
import { route } from '../route.ts';

export const getHealthReport = route({
  operationId: 'getHealthReport',
  method: 'GET',
  path: '/reports/health',
  capability: 'reports',
  auth: true,
  summary:
    'Monthly certificate health report (expiry, on-time review, cross-region holding; trend and per site); ?format=html|csv to download',
  query: HealthReportQuery,
  responses: { 200: { description: 'The report as JSON, or an HTML/CSV file', schema: HealthReport } },
});
