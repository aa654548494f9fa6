// Identity for the API (global profile): the Cognito user pool with its resource server
// scope and web client. Its tokens say only who (issuer, sub): tenant, role and sites are in
// the product's user directory (functions/users/), which creates the pool's accounts itself.
// The pool's shape is kept as first deployed (e-mail usernames, the custom attributes): a
// pool's attributes cannot be removed and changing its usernames replaces it, losing every
// account. The attributes are read once, by `npm run migrate -- cognito-users`.
// Created in the stack's own scope: the pool is retained, and a moved one would be replaced.
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StringAttribute,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';

export const API_SCOPE_NAME = 'api';
export const RESOURCE_SERVER_ID = 'compliance';

export function addAuth(stack: Stack) {
  const userPool = new UserPool(stack, 'Users', {
    selfSignUpEnabled: false,
    // Invited by e-mail (AdminCreateUser, functions/users/).
    signInAliases: { email: true },
    mfa: Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    featurePlan: FeaturePlan.PLUS,
    passwordPolicy: {
      minLength: 12,
      requireDigits: true,
      requireLowercase: true,
      requireUppercase: true,
      requireSymbols: true,
    },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    // Legacy (before the user directory): read only by the cognito-users migration.
    customAttributes: {
      tenantId: new StringAttribute({ mutable: false, minLen: 2, maxLen: 63 }),
      role: new StringAttribute({ mutable: true, maxLen: 32 }),
      siteIds: new StringAttribute({ mutable: true, maxLen: 2048 }),
      subcontractorId: new StringAttribute({ mutable: true, maxLen: 64 }),
      personId: new StringAttribute({ mutable: true, maxLen: 64 }),
    },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const apiScope = new ResourceServerScope({
    scopeName: API_SCOPE_NAME,
    scopeDescription: 'Use the compliance API',
  });
  const resourceServer = userPool.addResourceServer('ResourceServer', {
    identifier: RESOURCE_SERVER_ID,
    scopes: [apiScope],
  });
  const client = userPool.addClient('WebClient', {
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.resourceServer(resourceServer, apiScope)],
      callbackUrls: ['https://localhost/callback'],
    },
    accessTokenValidity: Duration.hours(1),
    preventUserExistenceErrors: true,
  });
  return { userPool, client };
}
