// What a stored item must hold to be read as an entity: the identity, the fields the rules
// decide with, and their types. Adapters parse every item they read with these
// (functions/shared/dynamo/items.ts) instead of casting, so a malformed or half-migrated
// item fails loudly at the adapter, naming the entity and the field, never the value.
// Loose objects: fields beyond these pass through unchanged (optional, or added later).
import * as z from 'zod';
import { PLATFORM_ROLE, ROLES } from '../shared/auth/principal.ts';
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

export const SITE_ITEM = z.looseObject({
  siteId: id,
  name: z.string().min(1),
  code: z.string().min(1),
  location: z.looseObject({ lat: z.number(), lng: z.number() }),
  createdAt: instant,
});

/** The gate's view of a person (one item read on every scan). */
export const GATE_VIEW_ITEM = z.looseObject({
  personId: id,
  nameMasked: z.string(),
  color: colour,
  gateAccess: access,
  reasons: z.array(z.string()),
});

/** The heat map's part of the gate view (a projection of it). */
export const GATE_COUNTING_ITEM = z.looseObject({
  counted: z.looseObject({}).optional(),
  cv: z.number().int().nonnegative().optional(),
});

export const CHECK_IN_ITEM = z.looseObject({
  at: instant,
  direction: z.enum(['in', 'out']),
  siteId: id,
});

const counts = z.record(z.string(), z.number().int().nonnegative());

export const BATCH_ITEM = z.looseObject({
  batchId: id,
  format: z.enum(['text', 'csv', 'xlsx', 'registry']),
  status: z.enum(['processing', 'completed']),
  total: z.number().int().nonnegative(),
  processed: z.number().int().nonnegative(),
  counts,
  createdAt: instant,
});

export const BATCH_ROW_ITEM = z.looseObject({
  row: z.number().int().positive(),
  kind: z.enum(['certificate', 'id', 'malformed']),
  display: z.string(),
});

export const IMPORT_ROW_ITEM = z.looseObject({
  row: z.number().int().positive(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'refused']),
});

export const IMPORT_ITEM = z.looseObject({
  importId: id,
  format: z.enum(['csv', 'xlsx']),
  status: z.enum(['processing', 'completed']),
  total: z.number().int().nonnegative(),
  processed: z.number().int().nonnegative(),
  counts,
  startedAt: instant,
});

export const INBOX_MESSAGE_ITEM = z.looseObject({
  messageId: id,
  mailbox: z.string().min(1),
  kind: z.string().min(1),
  personId: z.string(),
  createdAt: instant,
});

export const SPOT_CHECK_ITEM = z.looseObject({
  spotCheckId: id,
  personId: id,
  siteId: id,
  passed: z.boolean(),
  at: instant,
});

export const TICKET_JOB_ITEM = z.looseObject({
  ticketId: id,
  siteId: id,
  type: z.string().min(1),
  from: instant,
  to: instant,
});

export const FEED_ENTRY_ITEM = z.looseObject({
  entryRef: id,
  version: z.number().int().nonnegative(),
  action: z.enum(['add', 'remove', 'expire']),
  pseudonym: id,
  reasonCode: z.string().min(1),
  expiresOn: day,
  at: instant,
});

export const REGISTRY_SETTINGS_ITEM = z.looseObject({
  unifiedSocialCreditCode: z.string().min(1),
  updatedAt: instant,
});

/** A user account: its role decides every permission, so an unknown role never reads as one. */
export const USER_ITEM = z.looseObject({
  userId: id,
  tenantId: z.string(),
  role: z.enum([...ROLES, PLATFORM_ROLE]),
  state: z.enum(['invited', 'active', 'disabled']),
  createdAt: instant,
});

export const TENANT_ITEM = z.looseObject({
  tenantId: id,
  name: z.string().min(1),
  state: z.enum(['active', 'suspended']),
  settings: z.looseObject({ profile: z.enum(['global', 'china']) }),
  version: z.number().int().nonnegative(),
});
