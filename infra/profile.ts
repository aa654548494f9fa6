// The deployment profile, chosen at synth time: `cdk synth -c profile=global|china` (global
// the default). The china profile deploys to the AWS China regions (partition aws-cn),
// where Cognito user pools, SES, Rekognition, Textract and End User Messaging SMS are not
// offered (docs/deploy.md): identity comes from the customer's OIDC issuer, mail goes out
// over SMTP, and face / OCR through a domestic provider's adapter (or answer "not configured").
import type { Node } from 'constructs';
import { CLAIM_DEFAULTS, type ClaimNames } from '../functions/shared/auth/claim-names.ts';

export type DeploymentProfile = 'global' | 'china';

export function profileOf(node: Node): DeploymentProfile {
  const value = node.tryGetContext('profile') ?? 'global';
  if (value !== 'global' && value !== 'china')
    throw new Error(`-c profile=${value}: the deployment profile is "global" or "china"`);
  return value;
}

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** Which claims carry tenant, role, sites, subcontractor and person (the customer's IdP names). */
  claims: ClaimNames;
}

/**
 * The customer's OIDC issuer (china profile): -c oidcIssuer=https://… -c oidcAudience=…, and
 * optionally -c claimTenantId=… -c claimRole=… -c claimSiteIds=… -c claimSubcontractorId=…
 * -c claimPersonId=… when its tokens name them differently.
 */
export function oidcSettings(node: Node): OidcSettings {
  const issuer: string | undefined = node.tryGetContext('oidcIssuer');
  const audience: string | undefined = node.tryGetContext('oidcAudience');
  if (!issuer || !/^https:\/\/[^\s]+$/.test(issuer))
    throw new Error(
      'profile=china needs -c oidcIssuer=https://<your issuer> (the JWT authorizer checks its tokens)',
    );
  if (!audience) throw new Error('profile=china needs -c oidcAudience=<the API’s audience in your issuer>');
  const claim = (key: keyof ClaimNames) =>
    (node.tryGetContext(`claim${key[0]?.toUpperCase()}${key.slice(1)}`) as string | undefined) ??
    CLAIM_DEFAULTS[key];
  return {
    issuer,
    audience,
    claims: {
      tenantId: claim('tenantId'),
      role: claim('role'),
      siteIds: claim('siteIds'),
      subcontractorId: claim('subcontractorId'),
      personId: claim('personId'),
    },
  };
}
