// The batches function's routes (see schemas/route.ts).
import {
  Batch,
  BatchQuery,
  BatchWithRows,
  CreateBatchBody,
  ReviewList,
  ReviewListQuery,
} from '../batches.ts';
import { route } from '../route.ts';

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
    200: {
      description: 'Review list (JSON), or an XLSX file with ?format=xlsx',
      schema: ReviewList,
      files: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    },
  },
});
