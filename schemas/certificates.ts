import * as z from 'zod';
import { categoryProblem, dateProblem } from '../functions/certificates/certificate-checks.ts';
import { SCHEMES } from '../functions/domain/scheme-rules.ts';
import { calendarDate, id } from './common.ts';

export const CertificateId = id('cer');

export const CreateCertificateBody = z
  .strictObject({
    scheme: z.enum(SCHEMES),
    category: z
      .string()
      .min(1)
      .max(40)
      .meta({ description: 'MEM category, SAMR item code (2011 codes mapped) or MOHURD item' }),
    subType: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .meta({ description: 'MEM operation item within the category' }),
    number: z.string().trim().min(1).max(40),
    issuedOn: calendarDate,
    expiresOn: calendarDate,
    reviewDueOn: calendarDate.nullable().optional().meta({
      description:
        'Next review (复审) due date; defaults from the scheme (MEM: issue + 3 years); null for none before expiry',
    }),
    reviewIntervalExtended: z
      .boolean()
      .optional()
      .meta({ description: 'MEM Art. 21: review interval extended to 6 years with the authority’s consent' }),
    authority: z.string().trim().min(1).max(100).optional(),
    replacesCertificateId: CertificateId.optional().meta({ description: 'The certificate this one renews' }),
  })
  .superRefine((c, ctx) => {
    const category = categoryProblem(c);
    if (category) {
      ctx.addIssue({
        code: 'custom',
        path: [category.field],
        message: category.code,
        params: category.params,
      });
    }
    // Cross-field date rules only once both dates are well-formed.
    const dateFields: unknown[] = ['issuedOn', 'expiresOn', 'reviewDueOn'];
    if (!ctx.value || ctx.issues.some((i) => dateFields.includes(i.path?.[0]))) return;
    const dates = dateProblem(c);
    if (dates)
      ctx.addIssue({ code: 'custom', path: [dates.field], message: dates.code, params: dates.params });
  })
  .meta({ id: 'CreateCertificateBody' });

export const UpdateCertificateBody = z
  .strictObject({
    scheme: z.enum(SCHEMES),
    category: z.string().min(1).max(40),
    subType: z.string().min(1).max(40).nullable().meta({ description: 'null: none' }),
    number: z.string().trim().min(1).max(40).meta({ writeOnly: true }),
    issuedOn: calendarDate,
    expiresOn: calendarDate,
    reviewDueOn: calendarDate.nullable().meta({
      description:
        'Left out: kept, or recomputed from the scheme when the dates change on a card never stamped',
    }),
    reviewIntervalExtended: z.boolean(),
    authority: z.string().trim().min(1).max(100).nullable(),
    reason: z
      .string()
      .trim()
      .min(2)
      .max(500)
      .meta({ description: 'What was wrong (kept in the audit trail)' }),
  })
  .partial()
  .refine((b) => Object.keys(b).some((k) => k !== 'reason'), { message: 'no_change_given' })
  .meta({ id: 'UpdateCertificateBody' });

export const VoidCertificateBody = z
  .strictObject({
    reason: z.string().trim().min(2).max(500).meta({ description: 'Why it was entered in error' }),
  })
  .meta({ id: 'VoidCertificateBody' });

export const ForgerySignal = z
  .object({
    code: z.string().meta({
      description:
        'card_reused, photo_reused, editing_software, no_camera_metadata, edited_after_capture, error_level_inconsistent, lighting_inconsistent, photo_resampled, seal_flat_under_flash, face_mismatch',
    }),
    confidence: z.number(),
    detail: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .meta({ id: 'ForgerySignal' });

export const ForgeryAnalysis = z
  .object({
    risk: z.number().int().min(0).max(100),
    state: z.enum(['clear', 'pending_review', 'genuine', 'forged']).meta({
      description: 'pending_review: locked (red) until hr or a group admin decides',
    }),
    signals: z.array(ForgerySignal).meta({ description: 'What drove the score, strongest first' }),
    analysedAt: z.string(),
    imageKey: z.string(),
    review: z
      .object({ decision: z.enum(['genuine', 'forged']), note: z.string(), by: z.string(), at: z.string() })
      .optional(),
  })
  .meta({ id: 'ForgeryAnalysis' });

const REGISTRY_OUTCOMES = ['valid', 'expired', 'revoked', 'not_found', 'mismatch', 'name_review'] as const;

export const CertificateVerification = z
  .object({
    lastAttemptAt: z.string(),
    lastAttemptResult: z.enum([...REGISTRY_OUTCOMES, 'unavailable']),
    unavailableReason: z.string().optional(),
    lastAnsweredAt: z
      .string()
      .optional()
      .meta({ description: 'The last time the registry actually answered' }),
    outcome: z.enum(REGISTRY_OUTCOMES).optional().meta({ description: 'What it said then' }),
    mismatches: z
      .array(
        z.object({
          field: z.enum(['holderName', 'issuedOn', 'expiresOn', 'category', 'subType', 'idNumber']),
          ours: z.string().nullable(),
          registry: z.string().nullable(),
          nameMatch: z.enum(['same', 'pinyin_variant', 'former_name', 'different']).optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'CertificateVerification', description: 'The registry check (null: not checked yet)' });

export const Certificate = z
  .object({
    certificateId: CertificateId,
    personId: z.string(),
    scheme: z.enum(SCHEMES),
    category: z.string(),
    categoryMappedFrom: z.string().optional().meta({ description: 'The 2011 SAMR code as entered' }),
    subType: z.string().optional(),
    numberMasked: z.string().meta({
      description:
        'The certificate number with any ID-number-like digits masked (a MEM number is "T" + the holder’s ID number); the number itself is never returned',
    }),
    issuedOn: calendarDate,
    expiresOn: calendarDate,
    reviewDueOn: calendarDate.nullable(),
    reviewIntervalExtended: z.boolean(),
    authority: z.string().optional(),
    replacesCertificateId: z.string().optional(),
    replacedByCertificateId: z.string().optional(),
    revokedOn: calendarDate.optional(),
    stamps: z
      .array(
        z.object({
          kind: z.enum(['review', 'extension']),
          reviewedOn: calendarDate.optional(),
          extendedOn: calendarDate.optional(),
          recordedAt: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Reviews and extensions stamped on this card, oldest first' }),
    verification: CertificateVerification.nullable(),
    forgery: ForgeryAnalysis.optional(),
    voided: z
      .object({ at: z.string(), by: z.string(), reason: z.string() })
      .optional()
      .meta({ description: 'Entered in error: kept in the history, never counted' }),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'Certificate' });

export const ForgeryReviewBody = z
  .strictObject({
    decision: z.enum(['genuine', 'forged']),
    note: z.string().trim().min(2).max(500),
  })
  .meta({ id: 'ForgeryReviewBody' });

export const StampCertificateBody = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('review'),
      reviewedOn: calendarDate.meta({ description: 'Day the interim review (复审) was passed (MEM)' }),
    }),
    z.strictObject({
      kind: z.literal('extension'),
      extendedOn: calendarDate.meta({ description: 'Day the extension (延期复核) was granted (MOHURD)' }),
      expiresOn: calendarDate.optional().meta({ description: 'New expiry; defaults to +2 years' }),
    }),
  ])
  .meta({ id: 'StampCertificateBody' });

export const CertificateList = z.object({ items: z.array(Certificate) }).meta({ id: 'CertificateList' });
export type Certificate = z.infer<typeof Certificate>;
