// Every HTTP route, once: the CDK HTTP API (infra/stacks/api-stack.ts), the local gateway
// (infra/local/gateway.ts), the request validation in the handlers and the OpenAPI
// document are all generated from this list.
import * as z from 'zod';
import { Batch, BatchQuery, BatchWithRows, CreateBatchBody, ReviewList, ReviewListQuery } from './batches.ts';
import { Certificate, CertificateList, CreateCertificateBody, StampCertificateBody } from './certificates.ts';
import {
  AllowlistKeys,
  Badge,
  BindBadgeBody,
  CreateGateBody,
  GateCredentials,
  GateList,
  HeatmapPerson,
  HeatmapQuery,
} from './gates.ts';
import { CreatePersonBody, ListPeopleQuery, Person, PersonList } from './people.ts';
import { PersonQuizzes, Quiz, QuizAnswersBody, QuizResult, SiteSafety, SiteSafetyBody } from './quizzes.ts';
import { HealthReport, HealthReportQuery, ReportRecipients } from './reports.ts';
import { FatigueThresholds, StatusThresholds } from './settings.ts';
import { CreateSiteBody, Site, SiteList } from './sites.ts';
import { HistoryQuery, Inbox, InboxQuery, PersonStatus, StatusHistory } from './status.ts';
import { RegistrySettings, RegistrySettingsBody, VerificationResult } from './verification.ts';

/** One Lambda function per capability; its entry is functions/<name>/handler.ts. */
export const CAPABILITIES = [
  'health',
  'openapi',
  'sites',
  'people',
  'certificates',
  'status',
  'verification',
  'batches',
  'reports',
  'badges',
  'heatmap',
  'settings',
  'quizzes',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface MultipartForm {
  fields: Record<string, string>;
  files: { field: string; fileName: string; data: Buffer }[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  operationId: string;
  method: HttpMethod;
  path: string;
  capability: Capability;
  auth: boolean;
  summary: string;
  body?: B;
  query?: Q;
  /** Also accept multipart/form-data: turns the form into the JSON body the schema checks. */
  multipart?: (form: MultipartForm) => unknown;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const HealthStatus = z
  .object({
    status: z.enum(['ok', 'degraded']),
    dependencies: z.object({ table: z.enum(['ok', 'unavailable']) }),
  })
  .meta({ id: 'HealthStatus' });

const route = <B extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever>(
  r: RouteDefinition<B, Q>,
) => r;

const Created = (schema: z.ZodType, what: string) => ({ 201: { description: `${what} created`, schema } });

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

export const openApiDocument = route({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  capability: 'openapi',
  auth: false,
  summary: 'This API’s OpenAPI 3.1 document',
  responses: { 200: { description: 'OpenAPI document' } },
});

export const createSite = route({
  operationId: 'createSite',
  method: 'POST',
  path: '/sites',
  capability: 'sites',
  auth: true,
  summary: 'Register a site of the group (group_admin)',
  body: CreateSiteBody,
  responses: Created(Site, 'Site'),
});

export const listSites = route({
  operationId: 'listSites',
  method: 'GET',
  path: '/sites',
  capability: 'sites',
  auth: true,
  summary: 'Sites of the tenant (a site_manager sees their own)',
  responses: { 200: { description: 'Sites', schema: SiteList } },
});

export const createPerson = route({
  operationId: 'createPerson',
  method: 'POST',
  path: '/people',
  capability: 'people',
  auth: true,
  summary: 'Register a person (group_admin, hr, subcontractor for its own workers)',
  body: CreatePersonBody,
  responses: Created(Person, 'Person'),
});

export const listPeople = route({
  operationId: 'listPeople',
  method: 'GET',
  path: '/people',
  capability: 'people',
  auth: true,
  summary: 'People in scope, optionally by colour and home site; paginated',
  query: ListPeopleQuery,
  responses: { 200: { description: 'A page of people', schema: PersonList } },
});

export const getPerson = route({
  operationId: 'getPerson',
  method: 'GET',
  path: '/people/{personId}',
  capability: 'people',
  auth: true,
  summary: 'One person (ID number masked)',
  responses: { 200: { description: 'Person', schema: Person } },
});

export const createCertificate = route({
  operationId: 'createCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates',
  capability: 'certificates',
  auth: true,
  summary: 'Enter a certificate or a renewal; recomputes the person’s status in the same transaction',
  body: CreateCertificateBody,
  responses: Created(Certificate, 'Certificate'),
});

export const stampCertificate = route({
  operationId: 'stampCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates/{certificateId}/stamps',
  capability: 'certificates',
  auth: true,
  summary:
    'Record a review (MEM 复审) or an extension (MOHURD 延期复核) stamped on the card; recomputes the status at once',
  body: StampCertificateBody,
  responses: { 200: { description: 'The certificate with its new dates', schema: Certificate } },
});

export const listCertificates = route({
  operationId: 'listCertificates',
  method: 'GET',
  path: '/people/{personId}/certificates',
  capability: 'certificates',
  auth: true,
  summary: 'Every certificate of a person, renewed ones included',
  responses: { 200: { description: 'Certificates', schema: CertificateList } },
});

export const getPersonStatus = route({
  operationId: 'getPersonStatus',
  method: 'GET',
  path: '/people/{personId}/status',
  capability: 'certificates',
  auth: true,
  summary: 'Traffic-light status of a person and each certificate, as of today (Asia/Shanghai)',
  responses: { 200: { description: 'Status', schema: PersonStatus } },
});

export const getStatusHistory = route({
  operationId: 'getStatusHistory',
  method: 'GET',
  path: '/people/{personId}/status/history',
  capability: 'status',
  auth: true,
  summary: 'Every change of a person’s colour, newest first, with its cause and reasons',
  query: HistoryQuery,
  responses: { 200: { description: 'Status history', schema: StatusHistory } },
});

export const getMyInbox = route({
  operationId: 'getMyInbox',
  method: 'GET',
  path: '/me/inbox',
  capability: 'status',
  auth: true,
  summary: 'In-app notices for the caller: review tasks, freeze and unfreeze notices, newest first',
  query: InboxQuery,
  responses: { 200: { description: 'Inbox', schema: Inbox } },
});

export const verifyCertificateNow = route({
  operationId: 'verifyCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates/{certificateId}/verify',
  capability: 'verification',
  auth: true,
  summary: 'Check one certificate against the national registry now and apply the answer to the status',
  responses: {
    200: { description: 'The registry’s answer and the resulting status', schema: VerificationResult },
  },
});

export const getRegistrySettings = route({
  operationId: 'getRegistrySettings',
  method: 'GET',
  path: '/settings/registry',
  capability: 'settings',
  auth: true,
  summary: 'The tenant’s registry connection',
  responses: { 200: { description: 'Registry settings', schema: RegistrySettings } },
});

export const putRegistrySettings = route({
  operationId: 'putRegistrySettings',
  method: 'PUT',
  path: '/settings/registry',
  capability: 'settings',
  auth: true,
  summary:
    'Connect the tenant to the registry gateway (group_admin): credit code and client-certificate secret',
  body: RegistrySettingsBody,
  responses: { 200: { description: 'Registry settings', schema: RegistrySettings } },
});

export const createVerificationBatch = route({
  operationId: 'createVerificationBatch',
  method: 'POST',
  path: '/verifications/batches',
  capability: 'batches',
  auth: true,
  summary:
    'Upload certificate or ID numbers (text, CSV, XLSX ≤ 10,000 rows) to check against the registry in the background',
  body: CreateBatchBody,
  // A file upload (field "file"; .xlsx, .csv or anything else as text) is the same as the JSON form.
  multipart: ({ fields, files }) => {
    const file = files[0];
    if (!file) return { format: fields.format, content: fields.content, fileName: fields.fileName };
    const ext = file.fileName.toLowerCase().split('.').pop();
    const format = fields.format ?? (ext === 'xlsx' ? 'xlsx' : ext === 'csv' ? 'csv' : 'text');
    return {
      format,
      content: format === 'xlsx' ? file.data.toString('base64') : file.data.toString('utf8'),
      fileName: file.fileName,
    };
  },
  responses: {
    202: { description: 'Batch accepted; poll it for progress', schema: Batch },
    200: { description: 'The same file was uploaded before: the existing batch', schema: Batch },
  },
});

export const getVerificationBatch = route({
  operationId: 'getVerificationBatch',
  method: 'GET',
  path: '/verifications/batches/{batchId}',
  capability: 'batches',
  auth: true,
  summary: 'Progress and per-row outcomes of a batch (rows paginated)',
  query: BatchQuery,
  responses: { 200: { description: 'Batch', schema: BatchWithRows } },
});

export const getBatchReviewList = route({
  operationId: 'getBatchReviewList',
  method: 'GET',
  path: '/verifications/batches/{batchId}/review-list',
  capability: 'batches',
  auth: true,
  summary:
    'Rows needing a human (name variants, ID mismatch, not found, registry unavailable, malformed); ?format=xlsx to download',
  query: ReviewListQuery,
  responses: {
    200: { description: 'Review list (JSON), or an XLSX file with ?format=xlsx', schema: ReviewList },
  },
});

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

export const putReportRecipients = route({
  operationId: 'putReportRecipients',
  method: 'PUT',
  path: '/settings/report-recipients',
  capability: 'settings',
  auth: true,
  summary: 'Safety-head addresses that receive the monthly health report (group_admin)',
  body: ReportRecipients,
  responses: { 200: { description: 'Recipients', schema: ReportRecipients } },
});

export const bindBadge = route({
  operationId: 'bindBadge',
  method: 'POST',
  path: '/people/{personId}/badges',
  capability: 'badges',
  auth: true,
  summary: 'Bind an NFC badge to a person; a badge bound to someone else moves (their binding is revoked)',
  body: BindBadgeBody,
  responses: { 201: { description: 'Badge bound', schema: Badge } },
});

export const revokeBadge = route({
  operationId: 'revokeBadge',
  method: 'DELETE',
  path: '/people/{personId}/badges/{badgeUid}',
  capability: 'badges',
  auth: true,
  summary: 'Revoke a badge binding: the badge is denied at every gate',
  responses: { 204: { description: 'Revoked' } },
});

export const createGate = route({
  operationId: 'createGate',
  method: 'POST',
  path: '/sites/{siteId}/gates',
  capability: 'badges',
  auth: true,
  summary: 'Provision a gate device: thing, certificate and policy; the certificate bundle is returned once',
  body: CreateGateBody,
  responses: {
    201: {
      description: 'Gate credentials (keep the private key: it is not stored)',
      schema: GateCredentials,
    },
  },
});

export const retireGate = route({
  operationId: 'retireGate',
  method: 'DELETE',
  path: '/sites/{siteId}/gates/{gate}',
  capability: 'badges',
  auth: true,
  summary:
    'Retire a gate (lost, stolen, replaced): its certificate is revoked, it gets no more allowlists and its retained list is cleared',
  responses: { 204: { description: 'Retired' } },
});

export const listGates = route({
  operationId: 'listGates',
  method: 'GET',
  path: '/sites/{siteId}/gates',
  capability: 'badges',
  auth: true,
  summary: 'The site’s gates with their provisioning status, and the last allowlist published to them',
  responses: { 200: { description: 'Gates', schema: GateList } },
});

export const getAllowlistKeys = route({
  operationId: 'getAllowlistKeys',
  method: 'GET',
  path: '/gates/allowlist-keys',
  capability: 'badges',
  auth: false,
  summary: 'The public keys (JWK Set) with which gate devices verify their signed offline allowlists',
  responses: { 200: { description: 'JWK Set', schema: AllowlistKeys } },
});

export const getHeatmap = route({
  operationId: 'getHeatmap',
  method: 'GET',
  path: '/heatmap',
  capability: 'heatmap',
  auth: true,
  summary:
    'People on site now, per site and per H3 cell, as GeoJSON; filter by colour and certificate category',
  query: HeatmapQuery,
  responses: { 200: { description: 'GeoJSON FeatureCollection', contentType: 'application/geo+json' } },
});

export const getHeatmapPerson = route({
  operationId: 'getHeatmapPerson',
  method: 'GET',
  path: '/heatmap/people/{personId}',
  capability: 'heatmap',
  auth: true,
  summary: 'Drill into a point: current site, last 3 jobs’ work types, certificate validity, fatigue window',
  responses: { 200: { description: 'The person on the map', schema: HeatmapPerson } },
});

export const getThresholds = route({
  operationId: 'getStatusThresholds',
  method: 'GET',
  path: '/settings/status-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'The tenant’s colour thresholds',
  responses: { 200: { description: 'Thresholds', schema: StatusThresholds } },
});

export const putThresholds = route({
  operationId: 'putStatusThresholds',
  method: 'PUT',
  path: '/settings/status-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'Change the tenant’s colour thresholds (group_admin); applies at each person’s next recompute',
  body: StatusThresholds,
  responses: { 200: { description: 'Thresholds', schema: StatusThresholds } },
});

export const getFatigueThresholds = route({
  operationId: 'getFatigueThresholds',
  method: 'GET',
  path: '/settings/fatigue-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'The tenant’s fatigue limits (continuous and trailing-24 h time on site)',
  responses: { 200: { description: 'Fatigue thresholds', schema: FatigueThresholds } },
});

export const putFatigueThresholds = route({
  operationId: 'putFatigueThresholds',
  method: 'PUT',
  path: '/settings/fatigue-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'Change the tenant’s fatigue limits (group_admin); applies to the next status read',
  body: FatigueThresholds,
  responses: { 200: { description: 'Fatigue thresholds', schema: FatigueThresholds } },
});

export const putSiteSafety = route({
  operationId: 'putSiteSafety',
  method: 'PUT',
  path: '/sites/{siteId}/safety',
  capability: 'sites',
  auth: true,
  summary:
    'Set the site’s safety notice, its pool of situational questions and whether a passed quiz is required to enter',
  body: SiteSafetyBody,
  responses: { 200: { description: 'The site’s safety notice and questions', schema: SiteSafety } },
});

export const getSiteSafety = route({
  operationId: 'getSiteSafety',
  method: 'GET',
  path: '/sites/{siteId}/safety',
  capability: 'sites',
  auth: true,
  summary: 'The site’s safety notice and question pool, with answers (managers)',
  responses: { 200: { description: 'The site’s safety notice and questions', schema: SiteSafety } },
});

export const getQuiz = route({
  operationId: 'getQuiz',
  method: 'GET',
  path: '/quizzes/{quizId}',
  capability: 'quizzes',
  auth: true,
  summary: 'A site quiz as its taker sees it: the notice and three questions (the person, or a manager)',
  responses: { 200: { description: 'The quiz', schema: Quiz } },
});

export const listPersonQuizzes = route({
  operationId: 'listPersonQuizzes',
  method: 'GET',
  path: '/people/{personId}/quizzes',
  capability: 'quizzes',
  auth: true,
  summary:
    'A person’s site quizzes (pending or passed), to administer one at the gate (the person, HR, admins, the site’s managers)',
  responses: { 200: { description: 'Quizzes', schema: PersonQuizzes } },
});

export const answerQuiz = route({
  operationId: 'answerQuiz',
  method: 'POST',
  path: '/quizzes/{quizId}/answers',
  capability: 'quizzes',
  auth: true,
  summary: 'Grade an attempt: all three right passes and opens the site’s gates to the person',
  body: QuizAnswersBody,
  responses: { 200: { description: 'The grade', schema: QuizResult } },
});

export const ROUTES: RouteDefinition[] = [
  health,
  openApiDocument,
  createSite,
  listSites,
  createPerson,
  listPeople,
  getPerson,
  createCertificate,
  listCertificates,
  stampCertificate,
  getPersonStatus,
  getStatusHistory,
  getMyInbox,
  verifyCertificateNow,
  createVerificationBatch,
  getVerificationBatch,
  getBatchReviewList,
  getThresholds,
  putThresholds,
  getFatigueThresholds,
  putFatigueThresholds,
  getRegistrySettings,
  putRegistrySettings,
  getHealthReport,
  putReportRecipients,
  bindBadge,
  revokeBadge,
  createGate,
  listGates,
  retireGate,
  getAllowlistKeys,
  getHeatmap,
  getHeatmapPerson,
  putSiteSafety,
  getSiteSafety,
  getQuiz,
  listPersonQuizzes,
  answerQuiz,
];

export const routeKey = (r: Pick<RouteDefinition, 'method' | 'path'>) => `${r.method} ${r.path}`;
