import {
  createSpotCheck,
  getAuditTrail,
  getHealthReport,
  getSubcontractorReport,
} from '../../schemas/routes/reports.ts';
import { apiHandler } from '../api-handler.ts';
import {
  auditTrail,
  blacklistRepository,
  certificateRepository,
  clock,
  personRepository,
  reportStore,
  settingsRepository,
  siteRepository,
  spotCheckStore,
  subcontractorRepository,
} from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { on } from '../shared/http/handler.ts';
import { readAuditTrail, renderAuditCsv } from './audit-trail.ts';
import { healthReport } from './health-report.ts';
import { renderCsv, renderHtml } from './render.ts';
import { recordSpotCheck } from './spot-checks.ts';
import { subcontractorReport } from './subcontractor-report.ts';

const deps = {
  reports: reportStore(),
  certificates: certificateRepository(),
  subcontractors: subcontractorRepository(),
  blacklist: blacklistRepository(),
  spotChecks: spotCheckStore(),
  settings: settingsRepository(),
  people: personRepository(),
  sites: siteRepository(),
  audit: auditTrail(),
  clock: clock(),
};

export const handler = apiHandler([
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
  on(createSpotCheck, async ({ principal, body, requestId }) => ({
    status: 201,
    body: await recordSpotCheck(deps, principal, body, requestId),
  })),
  on(getSubcontractorReport, async ({ principal, query }) => {
    authorize(principal, 'subcontractor_report:read');
    const report = await subcontractorReport(deps, principal.tenantId, query.month);
    // A subcontractor's admin sees its own row, not its competitors'.
    const rows =
      principal.role === 'subcontractor'
        ? report.rows.filter((r) => r.subcontractorId === principal.subcontractorId)
        : report.rows;
    return { status: 200, body: { ...report, rows } };
  }),
  on(getAuditTrail, async ({ principal, query, lang }) => {
    const { entity, format, ...rest } = query;
    const page = await readAuditTrail(
      deps,
      principal,
      { ...rest, ...(entity ? { entityType: entity } : {}) },
      lang,
    );
    if (format === 'csv') {
      const data = Buffer.from(renderAuditCsv(page));
      return {
        status: 200,
        file: { contentType: 'text/csv; charset=utf-8', fileName: `audit-${page.from}-${page.to}.csv`, data },
      };
    }
    return { status: 200, body: page };
  }),
]);
