import * as z from 'zod';
import { calendarDate, id } from './common.ts';

export const SubcontractorId = id('sub');

const Contact = z.strictObject({
  name: z.string().trim().min(1).max(50),
  phone: z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/),
  role: z.string().trim().min(1).max(50).optional().meta({ description: 'e.g. 项目经理, 安全员' }),
});

export const CreateSubcontractorBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    unifiedSocialCreditCode: z.string().trim().max(40).meta({
      description:
        'GB 32100-2015, 18 characters; a failed check character (some early pilot codes) is accepted with a warning',
    }),
    contacts: z.array(Contact).min(1).max(5),
  })
  .meta({ id: 'CreateSubcontractorBody' });

export const UpdateSubcontractorBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    unifiedSocialCreditCode: z.string().trim().max(40),
    contacts: z.array(Contact).min(1).max(5).meta({ description: 'Replaces the contacts' }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'no_change_given' })
  .meta({ id: 'UpdateSubcontractorBody' });

export const TerminationBody = z
  .strictObject({
    effectiveOn: calendarDate.meta({
      description: 'The first day its workers are out (today or later, China date)',
    }),
    reason: z.string().trim().min(2).max(500),
  })
  .meta({ id: 'TerminationBody' });

export const Subcontractor = z
  .object({
    subcontractorId: SubcontractorId,
    name: z.string(),
    unifiedSocialCreditCode: z.string(),
    contacts: z.array(
      z.object({ nameMasked: z.string(), phoneMasked: z.string(), role: z.string().optional() }),
    ),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
    termination: z
      .object({ effectiveOn: calendarDate, reason: z.string(), recordedAt: z.string() })
      .optional()
      .meta({
        description: 'Its contract ended: its workers lose gate and dispatch access from effectiveOn',
      }),
    warnings: z
      .array(z.enum(['uscc_check_char']))
      .optional()
      .meta({ description: 'uscc_check_char: the code fails its check character (early pilot codes do)' }),
  })
  .meta({ id: 'Subcontractor' });

export const SubcontractorList = z
  .object({ items: z.array(Subcontractor) })
  .meta({ id: 'SubcontractorList' });
export type CreateSubcontractorBody = z.infer<typeof CreateSubcontractorBody>;
export type UpdateSubcontractorBody = z.output<typeof UpdateSubcontractorBody>;
export type TerminationBody = z.output<typeof TerminationBody>;
export type Subcontractor = z.infer<typeof Subcontractor>;
