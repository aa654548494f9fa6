import * as z from 'zod';

/** How long a leaver's records are kept before their personal data is erased. */
export const RecordRetention = z
  .strictObject({
    leaverYears: z.number().int().min(3).max(30).meta({
      description:
        'Years a leaver’s records are kept after their last day (MEM Order 30 expects the employer to keep them; at least 3)',
    }),
  })
  .meta({ id: 'RecordRetention' });

export const DataExport = z
  .object({
    exportId: z.string(),
    url: z
      .string()
      .meta({ description: 'A time-limited link to the ZIP (JSON records and the person’s images)' }),
    expiresAt: z.string(),
    files: z.array(z.object({ name: z.string(), bytes: z.number().int() })),
    records: z.record(z.string(), z.number().int()).meta({ description: 'Records exported, by kind' }),
  })
  .meta({ id: 'DataExport' });

export const DeletionRequestBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .meta({ id: 'DeletionRequestBody' });

const Text = z.object({ zh: z.string(), en: z.string() });

export const DeletionAnswer = z
  .object({
    personId: z.string(),
    decidedAt: z.string(),
    erased: z
      .boolean()
      .meta({ description: 'true: the personal data is gone now (retention over, or it never applied)' }),
    deleted: z.array(z.object({ category: z.string(), count: z.number().int(), text: Text })),
    kept: z.array(
      z.object({
        category: z.string(),
        basis: z
          .string()
          .meta({ description: 'The legal basis code (e.g. mem_order_30_records, blacklist_entry)' }),
        until: z.string().optional().meta({ description: 'The day it is erased, when known' }),
        text: Text,
      }),
    ),
  })
  .meta({ id: 'DeletionAnswer' });
