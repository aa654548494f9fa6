// The reports function's routes (see schemas/route.ts).

import { AuditPage, AuditQuery } from '../audit.ts';
import {
  CreateSpotCheckBody,
  HealthReport,
  HealthReportQuery,
  SpotCheck,
  SubcontractorReport,
  SubcontractorReportQuery,
} from '../reports.ts';
import { Created, route } from '../route.ts';

export const getHealthReport = route({
  operationId: 'getHealthReport',
  method: 'GET',
  path: '/reports/health',
  capability: 'reports',
  auth: true,
  summary:
    'Monthly certificate health report (expiry, on-time review, cross-region holding; trend and per site); ?format=html|csv to download',
  query: HealthReportQuery,
  responses: {
    200: {
      description: 'The report as JSON, or an HTML/CSV file',
      schema: HealthReport,
      files: ['text/html', 'text/csv'],
    },
  },
});

export const createSpotCheck = route({
  operationId: 'createSpotCheck',
  method: 'POST',
  path: '/spot-checks',
  capability: 'reports',
  auth: true,
  summary: 'Record a spot check of a worker at a site (site_manager of the site, hr, group_admin)',
  body: CreateSpotCheckBody,
  responses: Created(SpotCheck, 'Spot check'),
});

export const getSubcontractorReport = route({
  operationId: 'getSubcontractorReport',
  method: 'GET',
  path: '/reports/subcontractors',
  capability: 'reports',
  auth: true,
  summary:
    'Monthly subcontractor report: lapsed-certificate rate, forgery findings, blacklist, spot checks, 6-month trend, settlement hold (a subcontractor sees its own row)',
  query: SubcontractorReportQuery,
  responses: { 200: { description: 'The report', schema: SubcontractorReport } },
});

export const getAuditTrail = route({
  operationId: 'getAuditTrail',
  method: 'GET',
  path: '/audit',
  capability: 'reports',
  auth: true,
  summary:
    'The audit trail, newest first (auditor, group_admin): filter by entity, entity id, actor, action and China days; ?format=csv to download',
  query: AuditQuery,
  responses: {
    200: { description: 'A page of audit records, or a CSV file', schema: AuditPage, files: ['text/csv'] },
  },
});
