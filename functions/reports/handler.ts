import { getHealthReport } from '../../schemas/routes/reports.ts';
import { certificateRepository, reportStore } from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { healthReport } from './health-report.ts';
import { renderCsv, renderHtml } from './render.ts';

const deps = { reports: reportStore(), certificates: certificateRepository() };

export const handler = httpHandler([
  on(getHealthReport, async ({ principal, query, lang }) => {
    authorize(principal, 'report:read');
    const report = await healthReport(deps, principal.tenantId, query.month);
    if (query.format === 'html') {
      const data = Buffer.from(renderHtml(report, lang));
      return {
        status: 200,
        file: { contentType: 'text/html; charset=utf-8', fileName: `health-${query.month}.html`, data },
      };
    }
    if (query.format === 'csv') {
      const data = Buffer.from(renderCsv(report));
      return {
        status: 200,
        file: { contentType: 'text/csv; charset=utf-8', fileName: `health-${query.month}.csv`, data },
      };
    }
    return { status: 200, body: report };
  }),
]);
