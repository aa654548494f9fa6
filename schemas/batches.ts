import * as z from 'zod';
import { Cursor, Limit } from './common.ts';

export const CreateBatchBody = z
  .strictObject({
    format: z
      .enum(['text', 'csv', 'xlsx'])
      .meta({ description: 'text: one value per line; csv: text; xlsx: base64' }),
    // A Lambda takes at most 6 MB of request; 5 MB of content leaves room for the rest.
    content: z.string().min(1).max(5_000_000).meta({
      description:
        'Certificate numbers or ID numbers (one per line/row; CSV/XLSX may have columns 证书编号/身份证号/姓名); at most 5,000,000 characters (an XLSX of about 3.7 MB) and 10,000 rows',
    }),
    fileName: z.string().max(200).optional(),
  })
  .meta({ id: 'CreateBatchBody' });

const Outcome = z.enum([
  'valid',
  'expired',
  'revoked',
  'not_found',
  'mismatch',
  'name_review',
  'unavailable',
  'malformed',
]);

export const Batch = z
  .object({
    batchId: z.string(),
    fileName: z.string().optional(),
    format: z.enum(['text', 'csv', 'xlsx', 'registry']).meta({
      description: 'registry: the never-verified certificates, checked when the registry was connected',
    }),
    status: z.enum(['processing', 'completed']),
    total: z.number().int(),
    processed: z.number().int(),
    counts: z.record(z.string(), z.number().int()),
    createdAt: z.string(),
    completedAt: z.string().optional(),
    duplicate: z
      .boolean()
      .optional()
      .meta({ description: 'The same file was uploaded before: this is that batch' }),
  })
  .meta({ id: 'Batch' });

export const BatchRow = z
  .object({
    row: z.number().int(),
    kind: z.enum(['certificate', 'id', 'malformed']),
    display: z.string().meta({ description: 'Certificate number, or the ID number masked' }),
    name: z.string().optional(),
    outcome: Outcome.optional(),
    reasons: z.array(z.string()).optional(),
    registryName: z.string().optional(),
    personId: z.string().optional(),
    certificateId: z.string().optional(),
    needsReview: z.boolean(),
    checkedAt: z.string().optional(),
  })
  .meta({ id: 'BatchRow' });

export const BatchWithRows = z
  .object({ batch: Batch, rows: z.array(BatchRow), nextCursor: z.string().optional() })
  .meta({ id: 'BatchWithRows' });

export const BatchQuery = z.strictObject({ cursor: Cursor, limit: Limit });
export const ReviewListQuery = z.strictObject({ format: z.enum(['json', 'xlsx']).default('json') });
export const ReviewList = z
  .object({ batchId: z.string(), items: z.array(BatchRow) })
  .meta({ id: 'ReviewList' });
