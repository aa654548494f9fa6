// Identity for the API (global profile): the Cognito user pool with its resource server
// scope and web client, and the trigger that copies custom attributes into access tokens.
// Created in the stack's own scope: the pool is retained, and a moved one would be replaced.
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StringAttribute,
  UserPool,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { CapabilityFunction } from '../constructs/capability-function.ts';

export const API_SCOPE_NAME = 'api';
export const RESOURCE_SERVER_ID = 'compliance';

export function addAuth(stack: Stack) {
  const userPool = new UserPool(stack, 'Users', {
    selfSignUpEnabled: false,
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

  // Custom attributes live in ID tokens only; this trigger copies them into access
  // tokens, which the API requires (the scope check refuses bare ID tokens).
  const preToken = new CapabilityFunction(stack, 'PreTokenGeneration', { capability: 'auth' });
  userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, preToken.fn, LambdaVersion.V2_0);
  return { userPool, client };
}
