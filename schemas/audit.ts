// The audit trail as read (GET /audit): who changed what, when — masked.
import * as z from 'zod';
import { AUDIT_ENTITY_TYPES } from '../functions/shared/audit.ts';
import { Cursor, calendarDate, Limit } from './common.ts';

export const AuditQuery = z.strictObject({
  from: calendarDate.optional().meta({ description: 'First China day (default: six days before `to`)' }),
  to: calendarDate
    .optional()
    .meta({ description: 'Last China day (default: today); at most 92 days in all' }),
  entity: z.enum(AUDIT_ENTITY_TYPES).optional().meta({ description: 'What the records are about' }),
  entityId: z.string().trim().min(1).max(80).optional(),
  actor: z.string().trim().min(1).max(200).optional().meta({ description: 'The actor’s subject' }),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{1,60}$/)
    .optional()
    .meta({ description: 'An action code, e.g. person.status.change' }),
  limit: Limit,
  cursor: Cursor,
  format: z.enum(['json', 'csv']).default('json'),
});

export const AuditRecord = z.object({
  auditId: z.string(),
  at: z.string(),
  action: z.string(),
  actionName: z.string().meta({ description: 'The action’s name in the caller’s language' }),
  entityType: z.enum(AUDIT_ENTITY_TYPES),
  entityId: z.string(),
  actor: z.object({ subject: z.string(), role: z.string() }),
  requestId: z.string(),
  details: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'Codes, ids and dates; anything naming or reaching a person is masked' }),
  chain: z
    .object({
      hash: z
        .string()
        .meta({ description: 'SHA-256 of the record (RFC 8785 canonical JSON), written with it' }),
      seq: z
        .number()
        .int()
        .optional()
        .meta({ description: 'Its place in the day’s chain, once the day is sealed' }),
      prevHash: z.string().optional().meta({ description: 'The previous link of the chain, once sealed' }),
    })
    .optional()
    .meta({
      description: 'The tamper-evident chain (docs/extensions.md): `npm run verify-audit` checks it offline',
    }),
});

export const AuditPage = z.object({
  from: calendarDate,
  to: calendarDate,
  items: z.array(AuditRecord),
  nextCursor: z.string().optional(),
});
