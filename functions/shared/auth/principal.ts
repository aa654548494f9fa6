// Who is calling, read only from claims the authorizer verified (Cognito in AWS, the
// local gateway's JWT check locally). Handlers never trust a tenant from the body or path.
import * as z from 'zod';
import { Unauthenticated } from '../errors.ts';
import { type ClaimNames, claimNames } from './claim-names.ts';

export const ROLES = ['group_admin', 'site_manager', 'hr', 'subcontractor', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  tenantId: string;
  role: Role;
  /** Sites a site_manager is responsible for. */
  siteIds: string[];
  /** The subcontractor a subcontractor admin belongs to. */
  subcontractorId?: string;
  /** The person record of the user themself (a worker's own account), if linked. */
  personId?: string;
}

// HTTP API passes JWT claims as strings; Cognito custom attributes carry a `custom:` prefix
// in ID tokens, the pre-token-generation trigger copies them without it into access tokens.
const claim = (claims: Record<string, unknown>, name: string): unknown =>
  claims[name] ?? claims[`custom:${name}`];

const listClaim = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => {
    if (v === undefined) return [];
    const items = Array.isArray(v) ? v : v.replace(/^\[|\]$/g, '').split(/[,\s]+/);
    return items.map((s) => s.trim()).filter(Boolean);
  });

const principalSchema = z.object({
  subject: z.string().min(1),
  tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  role: z.enum(ROLES),
  siteIds: listClaim,
  subcontractorId: z.string().min(1).optional(),
  personId: z.string().min(1).optional(),
});

let names: ClaimNames | undefined;
/** The deployment's claim names (china profile: the customer's issuer), read once. */
const deploymentClaimNames = (): ClaimNames => {
  names ??= claimNames(process.env.CLAIM_NAMES);
  return names;
};

export function principalFromClaims(
  claims: Record<string, unknown> | undefined,
  n: ClaimNames = deploymentClaimNames(),
): Principal {
  if (!claims) throw new Unauthenticated('missing_token');
  const parsed = principalSchema.safeParse({
    subject: claims.sub,
    tenantId: claim(claims, n.tenantId),
    role: claim(claims, n.role),
    siteIds: claim(claims, n.siteIds),
    subcontractorId: claim(claims, n.subcontractorId),
    personId: claim(claims, n.personId),
  });
  if (!parsed.success) throw new Unauthenticated('missing_token');
  const p = parsed.data;
  if (p.role === 'subcontractor' && !p.subcontractorId) throw new Unauthenticated('missing_token');
  return p;
}
