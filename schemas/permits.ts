// Cross-site permits (SPEC X4): a person works at another site of the group only with a
// permit co-signed by the safety managers of both sites (a Step Functions workflow).
import * as z from 'zod';
import { id } from './common.ts';
import { PersonId } from './people.ts';
import { SiteId } from './sites.ts';

export const PermitId = id('pmt');
const instant = z.iso.datetime({ offset: true });

export const CrossSitePermitBody = z
  .strictObject({
    personId: PersonId,
    fromSiteId: SiteId.meta({ description: 'The person’s home site' }),
    toSiteId: SiteId,
    from: instant,
    to: instant,
    reason: z.string().trim().min(2).max(500),
  })
  .meta({ id: 'CrossSitePermitBody' });

export const PermitApprovalBody = z
  .strictObject({ decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(500).optional() })
  .meta({ id: 'PermitApprovalBody' });

const Signature = z.object({
  decision: z.enum(['approve', 'reject']),
  by: z.string(),
  personId: z.string().optional(),
  at: z.string(),
  comment: z.string().optional(),
});

export const CrossSitePermit = z
  .object({
    permitId: PermitId,
    personId: z.string(),
    nameMasked: z.string(),
    fromSiteId: z.string(),
    toSiteId: z.string(),
    from: z.string(),
    to: z.string(),
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'rejected', 'expired']),
    signatures: z.object({ from: Signature.optional(), to: Signature.optional() }),
    requestedBy: z.string(),
    requestedAt: z.string(),
    timeoutSeconds: z.number(),
    decidedAt: z.string().optional(),
    workflow: z
      .string()
      .optional()
      .meta({ description: 'The co-sign execution’s state (RUNNING, SUCCEEDED, …)' }),
  })
  .meta({ id: 'CrossSitePermit' });
