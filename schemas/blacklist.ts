import * as z from 'zod';
import { REASON_CODES } from '../functions/domain/blacklist-rules.ts';
import { calendarDate, id } from './common.ts';
import { PersonId } from './people.ts';

export const BlacklistEntryId = id('bl');

export const CreateBlacklistBody = z
  .strictObject({
    personId: PersonId,
    reasonCode: z.enum(REASON_CODES),
    evidence: z.array(z.string().min(1).max(300)).min(1).max(20).meta({
      description:
        'S3 keys of the person’s own admission images in this tenant (documents/t/<tenant>/p/<person>/…, face/t/<tenant>/p/<person>/…); each must exist (400 evidence_not_found)',
    }),
    note: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'CreateBlacklistBody' });

export const AppealBody = z
  .strictObject({ statement: z.string().trim().min(10).max(2000) })
  .meta({ id: 'BlacklistAppealBody' });

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['uphold', 'remove']),
    note: z.string().trim().min(1).max(1000),
  })
  .meta({ id: 'BlacklistDecisionBody' });

export const ListBlacklistQuery = z.strictObject({
  inForce: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .meta({ description: 'Only entries in force (default); false lists removed and expired ones too' }),
});

const Actor = z.object({ subject: z.string(), role: z.string() });
const Source = z.union([
  z.object({ type: z.literal('own') }),
  z.object({
    type: z.literal('partner'),
    partnerId: z.string(),
    organisation: z.string().meta({ description: 'The registered partner association: the source' }),
    reportedAs: z
      .string()
      .optional()
      .meta({ description: 'The label in the partner’s push (e.g. a member), shown only under its name' }),
  }),
]);

export const BlacklistEntry = z
  .object({
    entryId: BlacklistEntryId,
    personId: z.string(),
    nameMasked: z.string(),
    subcontractorId: z.string().optional(),
    reasonCode: z.enum(REASON_CODES),
    legalBasis: z.string(),
    evidence: z.array(z.string()).meta({ description: 'Shown to group_admin, hr and auditors only' }),
    note: z.string(),
    source: Source,
    state: z.enum(['active', 'appealed', 'removed']),
    inForce: z.boolean(),
    createdOn: calendarDate,
    expiresOn: calendarDate.meta({
      description: 'Three years after entry; the first day it no longer counts',
    }),
    appealBy: calendarDate,
    appeals: z.array(z.object({ statement: z.string(), by: Actor, at: z.string() })),
    decisions: z.array(
      z.object({ decision: z.enum(['uphold', 'remove']), note: z.string(), by: Actor, at: z.string() }),
    ),
    createdAt: z.string(),
    createdBy: z.string(),
    expiryAnnouncedAt: z.string().optional().meta({ description: 'When its expiry was sent to partners' }),
    deliveries: z
      .array(
        z.object({
          version: z.number().int(),
          partnerId: z.string(),
          status: z.enum(['delivered', 'failed']),
          at: z.string(),
          error: z.string().optional().meta({ description: 'The partner’s last answer when it failed' }),
          attempts: z.number().int().meta({ description: 'Failed attempts the worker noted' }),
        }),
      )
      .optional()
      .meta({ description: 'Per version, each partner’s delivery (own entries; group_admin, hr, auditor)' }),
  })
  .meta({ id: 'BlacklistEntry' });

export const BlacklistList = z.object({ items: z.array(BlacklistEntry) }).meta({ id: 'BlacklistList' });
