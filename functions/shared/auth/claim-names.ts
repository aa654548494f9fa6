// Which JWT claims carry who the caller is. Cognito (global profile) carries them under
// these names (copied from custom attributes by the pre-token trigger); a customer's own
// OIDC issuer (china profile) may name them otherwise: the stack passes its names in
// CLAIM_NAMES (JSON) and the authorizer-verified claims are read through them.
export interface ClaimNames {
  tenantId: string;
  role: string;
  siteIds: string;
  subcontractorId: string;
  personId: string;
}

export const CLAIM_DEFAULTS: ClaimNames = {
  tenantId: 'tenantId',
  role: 'role',
  siteIds: 'siteIds',
  subcontractorId: 'subcontractorId',
  personId: 'personId',
};

/** The names in force: CLAIM_NAMES over the defaults; a malformed value is a deployment error. */
export function claimNames(json: string | undefined): ClaimNames {
  if (!json) return CLAIM_DEFAULTS;
  const parsed = JSON.parse(json) as Partial<ClaimNames>;
  return { ...CLAIM_DEFAULTS, ...parsed };
}
