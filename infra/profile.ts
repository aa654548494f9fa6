// The deployment profile, chosen at synth time: `cdk synth -c profile=global|china` (global
// the default). The china profile deploys to the AWS China regions (partition aws-cn),
// where Cognito user pools, SES, Rekognition, Textract and End User Messaging SMS are not
// offered (docs/deploy.md): identity comes from the customer's OIDC issuer, mail goes out
// over SMTP, and face / OCR through a domestic provider's adapter (or answer "not configured").
import type { Node } from 'constructs';

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
}

/**
 * The customer's OIDC issuer (china profile): -c oidcIssuer=https://… -c oidcAudience=…. Its
 * tokens need only say who (`iss`, `sub`): what a user may do is in the product's directory.
 */
export function oidcSettings(node: Node): OidcSettings {
  const issuer: string | undefined = node.tryGetContext('oidcIssuer');
  const audience: string | undefined = node.tryGetContext('oidcAudience');
  if (!issuer || !/^https:\/\/[^\s]+$/.test(issuer))
    throw new Error(
      'profile=china needs -c oidcIssuer=https://<your issuer> (the JWT authorizer checks its tokens)',
    );
  if (!audience) throw new Error('profile=china needs -c oidcAudience=<the API’s audience in your issuer>');
  return { issuer, audience };
}
