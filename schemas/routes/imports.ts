// The imports function's routes (see schemas/route.ts).

import { Problem } from '../common.ts';
import {
  CreateImportBody,
  CreateUploadBody,
  DryRunReport,
  Import,
  ImportRows,
  ImportRowsQuery,
  Upload,
} from '../imports.ts';
import { Created, route } from '../route.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const createImport = route({
  operationId: 'createImport',
  method: 'POST',
  path: '/imports',
  capability: 'imports',
  auth: true,
  summary:
    'Import the ledger (台账: people, certificates, badges) from CSV or XLSX (group_admin, hr): every row checked at once, written in the background; dryRun checks and writes nothing. An Idempotency-Key header makes a retried POST answer the same import',
  body: CreateImportBody,
  // A file upload (field "file"; .xlsx or .csv) is the same as the JSON form.
  multipart: ({ fields, files }) => {
    const file = files[0];
    if (!file) return { ...fields, dryRun: fields.dryRun === 'true' };
    const ext = file.fileName.toLowerCase().split('.').pop();
    const format = fields.format ?? (ext === 'xlsx' ? 'xlsx' : 'csv');
    return {
      format,
      content: format === 'xlsx' ? file.data.toString('base64') : file.data.toString('utf8'),
      fileName: file.fileName,
      ...(fields.dryRun ? { dryRun: fields.dryRun === 'true' } : {}),
    };
  },
  responses: {
    202: { description: 'Import accepted; follow it at /imports/{importId}', schema: Import },
    200: {
      description: 'Dry run: what the import would do, and the rows it would refuse',
      schema: DryRunReport,
    },
    409: { description: 'The Idempotency-Key was used for another request body', schema: Problem },
  },
});

export const createImportUpload = route({
  operationId: 'createImportUpload',
  method: 'POST',
  path: '/imports/uploads',
  capability: 'imports',
  auth: true,
  summary:
    'A presigned PUT for a ledger file over 5 MB (up to 50 MB / 50,000 rows; group_admin, hr); then POST /imports with its uploadKey',
  body: CreateUploadBody,
  responses: Created(Upload, 'Upload'),
});

export const getImportTemplate = route({
  operationId: 'getImportTemplate',
  method: 'GET',
  path: '/imports/template.xlsx',
  capability: 'imports',
  auth: true,
  summary: 'The ledger template (zh-CN headers, an example row, notes)',
  responses: { 200: { description: 'The template', files: [XLSX] } },
});

export const getImport = route({
  operationId: 'getImport',
  method: 'GET',
  path: '/imports/{importId}',
  capability: 'imports',
  auth: true,
  summary: 'An import’s progress: processed of total, counts per outcome, started/finished, an ETA',
  responses: { 200: { description: 'The import', schema: Import } },
});

export const getImportRows = route({
  operationId: 'getImportRows',
  method: 'GET',
  path: '/imports/{importId}/rows',
  capability: 'imports',
  auth: true,
  summary:
    'Each row’s outcome with its reasons (zh-CN/English by Accept-Language); ?outcome=refused for the fix-up list, ?format=xlsx to download it',
  query: ImportRowsQuery,
  responses: {
    200: {
      description: 'A page of rows, or an XLSX file with ?format=xlsx',
      schema: ImportRows,
      files: [XLSX],
    },
  },
});
