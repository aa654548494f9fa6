// Who is calling. The token says who (its issuer and subject, verified by the authorizer:
// Cognito in the global profile, the customer's OIDC issuer in china, the local gateway's
// check locally); the product's own user directory says what they may do (tenant, role,
// sites, subcontractor, person), so a role change or a removal takes effect within the
// directory cache's window (60 s), not at token expiry. Nothing else in a token is trusted.
import { Unauthenticated } from '../errors.ts';

/** Roles inside a tenant. `worker` is a worker's own account: their status, certificates, inbox, quizzes, code. */
export const ROLES = ['group_admin', 'site_manager', 'hr', 'subcontractor', 'auditor', 'worker'] as const;
export type TenantRole = (typeof ROLES)[number];
/** The platform operator: outside every tenant, manages tenants only. */
export const PLATFORM_ROLE = 'platform_admin';
export type Role = TenantRole | typeof PLATFORM_ROLE;

/** Who did it: a user (from verified claims) or a system job. */
export interface Actor {
  tenantId: string;
  subject: string;
  role: string;
}

export interface Principal {
  subject: string;
  /** Empty for the platform operator (who belongs to no tenant and reads none). */
  tenantId: string;
  role: Role;
  /** Sites a site_manager is responsible for. */
  siteIds: string[];
  /** The subcontractor a subcontractor admin belongs to. */
  subcontractorId?: string;
  /** The person record of the user themself (a worker's own account), if linked. */
  personId?: string;
  /** The user's record in the directory. */
  userId?: string;
}

/** Who a verified token names: nothing more is read from it. */
export interface Identity {
  issuer: string;
  subject: string;
}

/** Resolves a verified identity to what the directory says the caller may do (401/403 otherwise). */
export interface PrincipalResolver {
  resolve(identity: Identity): Promise<Principal>;
}

export function identityFromClaims(claims: Record<string, unknown> | undefined): Identity {
  const issuer = claims?.iss;
  const subject = claims?.sub;
  if (typeof issuer !== 'string' || !issuer || typeof subject !== 'string' || !subject)
    throw new Unauthenticated('missing_token');
  return { issuer, subject };
}
