// Cognito pre-token-generation trigger (V2): copies the user's tenant, role, sites and
// subcontractor from custom attributes into the access token, where the HTTP API's JWT
// authorizer passes them to the handlers as claims. Users without a tenant get no claims,
// and the handlers then refuse them (401).
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

const CLAIMS = ['tenantId', 'role', 'siteIds', 'subcontractorId', 'personId'] as const;

export async function handler(
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> {
  const attributes = event.request.userAttributes;
  const claims: Record<string, string> = {};
  for (const name of CLAIMS) {
    const value = attributes[`custom:${name}`];
    if (value) claims[name] = value;
  }
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { claimsToAddOrOverride: claims },
      idTokenGeneration: { claimsToAddOrOverride: claims },
    },
  };
  return event;
}
