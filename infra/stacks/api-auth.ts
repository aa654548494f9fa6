// Identity for the API (global profile): the Cognito user pool with its resource server
// scope and web client. Its tokens say only who (issuer, sub): tenant, role and sites are in
// the product's user directory (functions/users/), which creates the pool's accounts itself.
// Created in the stack's own scope: the pool is retained, and a moved one would be replaced.
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';

export const API_SCOPE_NAME = 'api';
export const RESOURCE_SERVER_ID = 'compliance';

export function addAuth(stack: Stack) {
  const userPool = new UserPool(stack, 'Users', {
    selfSignUpEnabled: false,
    // Invited by e-mail, or by phone where someone has none (AdminCreateUser, functions/users/).
    signInAliases: { email: true, phone: true },
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
