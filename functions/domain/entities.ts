// What a stored item must hold to be read as an entity: the identity, the fields the rules
// decide with, and their types. Adapters parse every item they read with these
// (functions/shared/dynamo/items.ts) instead of casting, so a malformed or half-migrated
// item fails loudly at the adapter, naming the entity and the field, never the value.
// Loose objects: fields beyond these pass through unchanged (optional, or added later).
import * as z from 'zod';
import { SCHEMES } from './scheme-rules.ts';

const id = z.string().min(1);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.string().min(1);
const colour = z.enum(['green', 'yellow', 'red']);
const access = z.enum(['allowed', 'frozen']);

export const PERSON_ITEM = z.looseObject({
  tenantId: id,
  personId: id,
  name: z.string().min(1),
  idHash: id,
  idNumberMasked: z.string(),
  employer: z.looseObject({ type: z.enum(['own', 'subcontractor']), subcontractorId: z.string().optional() }),
  status: z.looseObject({
    color: colour,
    gateAccess: access,
    reasons: z.array(z.looseObject({ code: z.string().min(1) })),
    computedOn: day,
  }),
  version: z.number().int().positive(),
  createdAt: instant,
});

export const CERTIFICATE_ITEM = z.looseObject({
  tenantId: id,
  personId: id,
  certificateId: id,
  scheme: z.enum(SCHEMES),
  category: z.string().min(1),
  numberMasked: z.string(),
  numberHash: id,
  issuedOn: day,
  expiresOn: day,
  reviewDueOn: day.nullable(),
  createdAt: instant,
});

export const SUBCONTRACTOR_ITEM = z.looseObject({
  subcontractorId: id,
  name: z.string().min(1),
});

export const WORK_TICKET_ITEM = z.looseObject({
  ticketId: id,
  siteId: id,
  type: z.string().min(1),
  status: z.enum(['draft', 'approved', 'active', 'suspended', 'closed', 'cancelled', 'expired']),
  version: z.number().int().nonnegative(),
});

export const BLACKLIST_ENTRY_ITEM = z.looseObject({
  tenantId: id,
  entryId: id,
  personId: id,
  state: z.enum(['active', 'appealed', 'removed']),
  reasonCode: z.string().min(1),
  expiresOn: day,
  version: z.number().int().nonnegative(),
});

export const AUDIT_RECORD_ITEM = z.looseObject({
  auditId: id,
  at: instant,
  action: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string(),
  actor: z.looseObject({ subject: z.string().min(1), role: z.string().min(1) }),
  requestId: z.string(),
});
