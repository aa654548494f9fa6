import * as z from 'zod';
import { LEDGER_FIELDS } from '../functions/imports/ledger-columns.ts';
import { Cursor, id, Limit } from './common.ts';

export const ImportId = id('imp');

export const CreateImportBody = z
  .strictObject({
    format: z.enum(['xlsx', 'csv']),
    // A Lambda takes at most 6 MB of request; 5 MB of content leaves room for the rest.
    content: z.string().min(1).max(5_000_000).optional().meta({
      description:
        'The ledger: CSV text, or the XLSX file in base64 (first worksheet, a header row first); or give uploadKey',
    }),
    uploadKey: z
      .string()
      .regex(/^imports\/t\/[A-Za-z0-9_-]{1,64}\/upl_[A-Za-z0-9]{26}\.(csv|xlsx)$/)
      .optional()
      .meta({
        description: 'A file uploaded through POST /imports/uploads (up to 50 MB), instead of content',
      }),
    fileName: z.string().trim().min(1).max(200).optional(),
    dryRun: z
      .boolean()
      .optional()
      .meta({ description: 'Check every row and say what would be created or updated; write nothing' }),
    mapping: z
      .record(z.string().min(1).max(100), z.enum(LEDGER_FIELDS))
      .optional()
      .refine((m) => !m || Object.keys(m).length <= 40, { message: 'too_many_mappings' })
      .meta({
        description:
          'Header → field, for headers the import does not recognise (zh-CN template headers, common synonyms and English ones are)',
      }),
  })
  .refine((b) => (b.content === undefined) !== (b.uploadKey === undefined), {
    message: 'content_or_upload',
    path: ['content'],
  })
  .meta({ id: 'CreateImportBody' });

/** The largest ledger file taken through an upload (the 50 MB / 50,000 rows). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export const CreateUploadBody = z
  .strictObject({
    format: z.enum(['xlsx', 'csv']),
    bytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_UPLOAD_BYTES)
      .meta({ description: 'The file’s exact size: the upload URL admits that size only' }),
  })
  .meta({ id: 'CreateLedgerUploadBody' });

export const Upload = z
  .object({
    uploadKey: z.string(),
    url: z.string().meta({ description: 'PUT the file here, with the headers below, within 15 minutes' }),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  })
  .meta({ id: 'LedgerUpload' });
export type CreateImportBody = z.output<typeof CreateImportBody>;

const Outcome = z.enum(['created', 'updated', 'unchanged', 'refused']);

const Problem = z.object({
  field: z.string(),
  column: z.string().optional().meta({ description: 'The column as the file heads it' }),
  code: z.string(),
  message: z.string().meta({ description: 'The reason, in the caller’s language' }),
});

export const ImportRow = z
  .object({
    row: z
      .number()
      .int()
      .meta({ description: 'The row as the spreadsheet numbers it (the header is row 1)' }),
    outcome: Outcome,
    problems: z.array(Problem).optional(),
    nameMasked: z.string().optional(),
    personId: z.string().optional(),
    certificateId: z.string().optional(),
  })
  .meta({ id: 'ImportRow' });

export const Import = z
  .object({
    importId: ImportId,
    format: z.enum(['xlsx', 'csv']),
    fileName: z.string().optional(),
    status: z.enum(['processing', 'completed']),
    total: z.number().int(),
    processed: z.number().int(),
    counts: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      refused: z.number().int(),
    }),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    etaSeconds: z.number().int().optional().meta({ description: 'Seconds left at the pace so far' }),
  })
  .meta({ id: 'Import' });

export const DryRunReport = z
  .object({
    dryRun: z.literal(true),
    total: z.number().int(),
    counts: z.object({ create: z.number().int(), update: z.number().int(), refused: z.number().int() }),
    refused: z.array(ImportRow),
  })
  .meta({ id: 'ImportDryRun' });

export const ImportRowsQuery = z.strictObject({
  outcome: Outcome.optional(),
  format: z
    .enum(['json', 'xlsx'])
    .optional()
    .meta({ description: 'xlsx: the rows as a workbook (the fix-up list)' }),
  cursor: Cursor,
  limit: Limit,
});

export const ImportRows = z
  .object({ items: z.array(ImportRow), nextCursor: z.string().optional() })
  .meta({ id: 'ImportRows' });
