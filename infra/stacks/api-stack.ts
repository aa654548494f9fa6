// The stateless API: Cognito (users, the tenant/role claims, the API scope), the HTTP
// API with a JWT authorizer, and one function per capability with the routes and grants
// from schemas/routes.ts.

import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, type IRole, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TENANT_SECRET_PREFIXES, TENANT_TAG } from '../../functions/shared/tenant-secret-names.ts';
import { PURPOSE_TAG, WORKER_CODE_PURPOSE } from '../../functions/verification/tenant-key-tags.ts';
import { CAPABILITIES, type Capability, ROUTES } from '../../schemas/routes.ts';
import { CapabilityFunction } from '../constructs/capability-function.ts';
import { type DeploymentProfile, oidcSettings, profileOf } from '../profile.ts';
import { TABLE_ACCESS } from '../table-access.ts';
import { API_SCOPE_NAME, addAuth, RESOURCE_SERVER_ID } from './api-auth.ts';
import { addPropagationWorkflow } from './federation-workflow.ts';
import { addGateDevices, grantGateProvisioning, grantGateRetirement } from './gate-devices.ts';
import { addPermitWorkflow } from './permit-workflow.ts';
import { addScheduledJobs, addTicketTimers } from './scheduled-jobs.ts';
import {
  addNotificationMail,
  admissionProviders,
  grantEvidence,
  grantEvidenceCheck,
  grantLedgerUploads,
  grantMail,
  grantPersonalFiles,
  grantRecordExpiry,
  grantRecordFiles,
  grantTableAccess,
  reportSender,
  smtpSecretName,
} from './stack-parts.ts';

export interface ApiStackProps extends StackProps {
  table: ITable;
  key: IKey;
  idHashKey: ISecret;
  /** The export naming the evidence bucket's ARN (data stack): grants by ARN, no cross-stack cycle. */
  evidenceExport: string;
}

/** What a caller of a CMK-encrypted table needs from the key (no wildcards). */

export { API_SCOPE_NAME, RESOURCE_SERVER_ID } from './api-auth.ts';

export class ApiStack extends Stack {
  readonly api: HttpApi;
  get gatePolicyName() {
    return `${this.stackName}-gate`;
  }
  readonly allowlistKey: Key;
  readonly profile: DeploymentProfile;
  readonly functions = new Map<Capability | 'jobs' | 'worker' | 'gates', CapabilityFunction>();
  /** The worker's queue (its dead letters on `deadLetterQueue`): the monitoring stack watches it. */
  workQueue!: Queue;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    // Identity: Cognito in the global profile; the customer's OIDC issuer in the china
    // profile (no Cognito user pools in the AWS China regions). The token says who; the
    // claim names say where tenant, role and sites are.
    this.profile = profileOf(this.node);
    const oidc = this.profile === 'china' ? oidcSettings(this.node) : undefined;
    // Choices the profile rules out fail here, before anything is built.
    admissionProviders(this);
    const cognito = oidc ? undefined : addAuth(this);
    const { api, authorizer } = addHttpApi(this, cognito, oidc);
    this.api = api;

    // Imported references: grants then land in the functions' own policies only, never
    // in the data stack's key policy (which would make the two stacks depend on each other).
    const key = Key.fromKeyArn(this, 'DataKey', props.key.keyArn);
    const idHashKey = Secret.fromSecretCompleteArn(this, 'IdHashKeySecret', props.idHashKey.secretArn);
    const workQueue = addWorkQueue(this);
    // The registry gateway a deployment talks to (docs/registry-contract.md): -c registryBaseUrl=https://…
    const registryBaseUrl: string =
      this.node.tryGetContext('registryBaseUrl') ?? 'https://registry-gateway.invalid';
    // A gateway on the deployment's private network (RFC 1918, e.g. over a VPN to the
    // authority): -c registryPrivateHosts=gw.registry.intranet — the only hosts the outbound
    // guard lets resolve to private addresses (docs/deploy.md).
    const registryPrivateHosts: string | undefined = this.node.tryGetContext('registryPrivateHosts');
    // Tenants' registry client certificates: secrets named special-ops/registry/<tenant> and
    // tagged tenantId=<tenant>. Functions never read them with their own role: they assume
    // one of these roles with the session tag tenantId=<calling tenant>, and the role's
    // policy admits only secrets carrying the same tag, so one tenant's request cannot
    // reach another tenant's certificate even through a bug in the code.
    // The tenant whose group admins register the alliance's partners: -c federationHubTenant=<tenantId>
    // (absent: partner management answers 503 federation_hub_not_configured).
    const federationHubTenant: string | undefined = this.node.tryGetContext('federationHubTenant');
    const { registryCertificateReader, registryCertificateWriter } = addTenantSecretRoles(this);
    // Gate allowlists are signed in KMS (ES256); devices hold the public key. Retained: a
    // new key would mean re-distributing the public key to every gate.
    this.allowlistKey = new Key(this, 'GateAllowlistKey', {
      description: 'Signs gate offline allowlists, work tickets and permit-board links (ES256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const environment = {
      TABLE_NAME: props.table.tableName,
      ID_HASH_KEY_SECRET_ID: props.idHashKey.secretArn,
      ALLOWLIST_KEY_ID: this.allowlistKey.keyArn,
      // Certificate numbers (which may hold an ID number) are encrypted under the data key.
      PERSONAL_DATA_KEY_ID: key.keyArn,
      // Operator kill switches (functions/shared/kill-switches.ts): -c killSwitches=travel-alert,…
      ...(this.node.tryGetContext('killSwitches')
        ? { KILL_SWITCHES: String(this.node.tryGetContext('killSwitches')) }
        : {}),
      // The deployment's mail: SES v2 (global) or SMTP through the operator's account (china).
      ...(this.profile === 'china' ? { MAIL_PROVIDER: 'smtp', SMTP_SECRET_ID: smtpSecretName(this) } : {}),
    };
    addCapabilityFunctions(this, {
      environment,
      workQueue,
      registry: { baseUrl: registryBaseUrl, privateHosts: registryPrivateHosts },
      federationHubTenant,
      secretRoles: { reader: registryCertificateReader, writer: registryCertificateWriter },
      data: { table: props.table, key, idHashKey, evidenceExport: props.evidenceExport },
    });
    const worker = this.functions.get('worker') as CapabilityFunction;
    // Bounded concurrency keeps a 10,000-row batch from overrunning the registry's rate limit.
    worker.fn.addEventSource(
      new SqsEventSource(workQueue, { batchSize: 10, maxConcurrency: 5, reportBatchItemFailures: true }),
    );

    addRoutes(this, authorizer, !!cognito);

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*]',
      reason: 'Gate provisioning creates a thing per gate; its name is only known at request time.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:CreateKeysAndCertificate, iot:DescribeEndpoint, the Rekognition face actions and textract:DetectDocumentText support no resource-level permissions.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Only GET /health and GET /openapi.json are public by design; every other route has the Cognito JWT authorizer.',
    });

    const jobs = addScheduledJobs(this, { table: props.table, key, environment });
    this.functions.set('jobs', jobs);
    if (TABLE_ACCESS.jobs.keepsPersonalFiles) grantPersonalFiles(this, jobs, props.evidenceExport);
    if (TABLE_ACCESS.jobs.expiresRecordFiles) grantRecordExpiry(this, jobs, props.evidenceExport);
    // The notification relay and the binding check hand their work to the worker.
    if (TABLE_ACCESS.jobs.queuesWork) {
      workQueue.grantSendMessages(jobs.fn);
      jobs.fn.addEnvironment('WORK_QUEUE_URL', workQueue.queueUrl);
    }
    addNotificationMail(this, [this.functions.get('worker'), this.functions.get('notifications')], workQueue);
    const tickets = this.functions.get('tickets') as CapabilityFunction;
    addTicketTimers(this, jobs, tickets);
    addPermitWorkflow(
      this,
      { table: props.table, key },
      workQueue,
      this.functions.get('permits') as CapabilityFunction,
      this.functions.get('worker') as CapabilityFunction,
    );
    addPropagationWorkflow(
      this,
      { table: props.table, key },
      workQueue,
      [this.functions.get('blacklist') as CapabilityFunction, jobs],
      this.functions.get('worker') as CapabilityFunction,
    );
    // The service key's public half is published with the tenants' keys (GET /.well-known/jwks.json).
    const verification = this.functions.get('verification') as CapabilityFunction;
    verification.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.allowlistKey.keyArn] }),
    );
    addTenantSigningKeys(this, verification);
    // The audit chain's daily seal signs each tenant's day with the tenant's key (reports/audit-seal.ts).
    addTenantSigningKeys(this, jobs);
    // Signed work tickets and permit-board links (functions/tickets/ticket-documents.ts).
    tickets.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [this.allowlistKey.keyArn],
      }),
    );
    this.functions.set('gates', addGateDevices(this, { table: props.table, key, environment }));
    addUserManagement(this, this.functions.get('users') as CapabilityFunction, cognito?.userPool, [
      this.functions.get('people') as CapabilityFunction,
      jobs,
    ]);

    this.workQueue = workQueue;
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    if (cognito) {
      new CfnOutput(this, 'UserPoolId', { value: cognito.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: cognito.client.userPoolClientId });
    }
  }
}

/**
 * The users function (functions/users/): invitations by mail from the notification sender,
 * and — in the global profile — the accounts of its own Cognito pool, with only the four
 * actions it calls, on that pool alone. With an external OIDC issuer (china) it has no pool.
 */
function addUserManagement(
  stack: ApiStack,
  users: CapabilityFunction,
  pool: UserPool | undefined,
  /** Functions that disable a leaver's own accounts (a departure, the sweep on its day). */
  disablers: CapabilityFunction[],
) {
  const sender: string = stack.node.tryGetContext('notificationSender') ?? reportSender(stack);
  grantMail(stack, users, 'NOTIFICATION_SENDER', sender);
  if (!pool) return;
  for (const fn of disablers) {
    fn.fn.addEnvironment('USER_POOL_ID', pool.userPoolId);
    fn.fn.addEnvironment('USER_POOL_ISSUER', pool.userPoolProviderUrl);
    fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['cognito-idp:AdminDisableUser'], resources: [pool.userPoolArn] }),
    );
  }
  users.fn.addEnvironment('USER_POOL_ID', pool.userPoolId);
  users.fn.addEnvironment('USER_POOL_ISSUER', pool.userPoolProviderUrl);
  users.fn.addToRolePolicy(
    new PolicyStatement({
      actions: [
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminDisableUser',
        'cognito-idp:AdminEnableUser',
        'cognito-idp:AdminDeleteUser',
      ],
      resources: [pool.userPoolArn],
    }),
  );
}

/**
 * Worker codes are signed with one KMS key per tenant (functions/verification/tenant-key-store.ts),
 * created on the tenant's first code. The role may create keys only with the worker-code tags,
 * and sign with, read or retire only keys that carry them — never the service or data keys.
 */
function addTenantSigningKeys(stack: Stack, fn: CapabilityFunction) {
  const tenantKeys = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['kms:CreateKey', 'kms:TagResource'],
      resources: ['*'],
      conditions: {
        StringEquals: { [`aws:RequestTag/${PURPOSE_TAG}`]: WORKER_CODE_PURPOSE },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [PURPOSE_TAG, TENANT_TAG] },
      },
    }),
  );
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['kms:Sign', 'kms:GetPublicKey', 'kms:ScheduleKeyDeletion'],
      resources: [tenantKeys],
      conditions: { StringEquals: { [`aws:ResourceTag/${PURPOSE_TAG}`]: WORKER_CODE_PURPOSE } },
    }),
  );
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'kms:CreateKey has no resource to name before the key exists; the request must carry the worker-code purpose tag and no other tags than purpose and tenantId.',
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
    reason:
      'One key per tenant, created on demand: the statement admits only keys tagged purpose=worker-code (ABAC), not the service or data keys.',
  });
}

/** The HTTP API with its access log and the JWT authorizer of the profile's identity provider. */
function addHttpApi(
  stack: ApiStack,
  cognito: ReturnType<typeof addAuth> | undefined,
  oidc: ReturnType<typeof oidcSettings> | undefined,
) {
  const accessLogs = new LogGroup(stack, 'AccessLogs', {
    retention: RetentionDays.SIX_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const authorizer = cognito
    ? new HttpJwtAuthorizer('Cognito', cognito.userPool.userPoolProviderUrl, {
        jwtAudience: [cognito.client.userPoolClientId],
      })
    : new HttpJwtAuthorizer('Oidc', oidc?.issuer ?? '', { jwtAudience: [oidc?.audience ?? ''] });
  const api = new HttpApi(stack, 'HttpApi', {
    description: 'Special-operations compliance API',
    createDefaultStage: true,
  });
  const stage = api.defaultStage?.node.defaultChild as CfnStage;
  stage.accessLogSettings = {
    destinationArn: accessLogs.logGroupArn,
    format: JSON.stringify({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      // Who called (the token's subject); the tenant is the directory's, logged by the function.
      subject: '$context.authorizer.claims.sub',
      latencyMs: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
    }),
  };
  stage.defaultRouteSettings = { throttlingBurstLimit: 500, throttlingRateLimit: 1000 };

  return { api, authorizer };
}

/** Background work: one queue, its dead-letter queue after 5 receives. */
function addWorkQueue(stack: Stack) {
  const workDeadLetters = new Queue(stack, 'WorkDeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(workDeadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the work queue.',
  });
  const workQueue = new Queue(stack, 'WorkQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.minutes(3),
    deadLetterQueue: { queue: workDeadLetters, maxReceiveCount: 5 },
  });
  return workQueue;
}

/**
 * Tenants' own secrets (registry client certificates, channel credentials): read and written
 * only through roles assumed with the calling tenant's session tag (ABAC).
 */
function addTenantSecretRoles(stack: Stack) {
  // The same guard for every secret a tenant owns: registry certificate, channel credentials.
  const tenantRegistrySecrets = TENANT_SECRET_PREFIXES.map((prefix) =>
    stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${prefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  const sameTenant = (key: string) => ({
    StringEquals: { [key]: `\${aws:PrincipalTag/${TENANT_TAG}}` },
  });
  const registryCertificateReader = new Role(stack, 'RegistryCertificateReader', {
    description: "Reads one tenant's registry client certificate (session tag tenantId)",
    assumedBy: new AccountRootPrincipal(),
    maxSessionDuration: Duration.hours(1),
  });
  registryCertificateReader.addToPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: tenantRegistrySecrets,
      conditions: sameTenant(`secretsmanager:ResourceTag/${TENANT_TAG}`),
    }),
  );
  const registryCertificateWriter = new Role(stack, 'RegistryCertificateWriter', {
    description: "Stores one tenant's registry client certificate (session tag tenantId)",
    assumedBy: new AccountRootPrincipal(),
    maxSessionDuration: Duration.hours(1),
  });
  registryCertificateWriter.addToPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      resources: tenantRegistrySecrets,
      conditions: {
        ...sameTenant(`aws:RequestTag/${TENANT_TAG}`),
        'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG] },
      },
    }),
  );
  registryCertificateWriter.addToPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:PutSecretValue'],
      resources: tenantRegistrySecrets,
      conditions: sameTenant(`secretsmanager:ResourceTag/${TENANT_TAG}`),
    }),
  );
  for (const prefix of TENANT_SECRET_PREFIXES)
    Validations.of(stack).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}*]`,
      reason:
        'One secret per tenant, created on demand; the roles admit only the secret tagged with the session’s own tenantId (ABAC), not every secret under the prefix.',
    });
  return { registryCertificateReader, registryCertificateWriter };
}

/** Every route of schemas/routes.ts on its capability's function. */
function addRoutes(stack: ApiStack, authorizer: HttpJwtAuthorizer, cognito: boolean) {
  // One integration and one invoke permission per function, not per route: with 120+ routes
  // a per-route pair alone would pass CloudFormation's 500 resources per stack.
  const integrations = new Map<Capability, HttpLambdaIntegration>();
  const integrationOf = (capability: Capability) => {
    let integration = integrations.get(capability);
    if (!integration) {
      const fn = stack.functions.get(capability)?.fn;
      if (!fn) throw new Error(`No function for ${capability}`);
      integration = new HttpLambdaIntegration(`${capability}Integration`, fn, {
        scopePermissionToRoute: false,
      });
      integrations.set(capability, integration);
    }
    return integration;
  };
  for (const route of ROUTES) {
    stack.api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: integrationOf(route.capability),
      ...(route.auth
        ? {
            authorizer,
            ...(cognito ? { authorizationScopes: [`${RESOURCE_SERVER_ID}/${API_SCOPE_NAME}`] } : {}),
          }
        : {}),
    });
  }
}

/** One function per capability (and the worker), each granted exactly what its table access says. */
function addCapabilityFunctions(
  stack: ApiStack,
  wiring: {
    environment: Record<string, string>;
    workQueue: Queue;
    registry: { baseUrl: string; privateHosts: string | undefined };
    federationHubTenant: string | undefined;
    secretRoles: { reader: Role; writer: Role };
    data: { table: ApiStackProps['table']; key: IKey; idHashKey: ISecret; evidenceExport: string };
  },
) {
  for (const capability of [...CAPABILITIES, 'worker' as const]) {
    const access = TABLE_ACCESS[capability];
    // 'Users' is the Cognito pool's id (a renamed pool would be replaced): the users function is the directory's.
    const id =
      capability === 'users' ? 'UserDirectory' : `${capability[0]?.toUpperCase()}${capability.slice(1)}`;
    const fn = new CapabilityFunction(stack, id, {
      capability,
      environment: {
        ...(access.actions.length ? wiring.environment : {}),
        ...(access.queuesWork ? { WORK_QUEUE_URL: wiring.workQueue.queueUrl } : {}),
        ...(access.callsRegistry ? { REGISTRY_BASE_URL: wiring.registry.baseUrl } : {}),
        ...(access.callsRegistry && wiring.registry.privateHosts
          ? { REGISTRY_PRIVATE_HOSTS: wiring.registry.privateHosts }
          : {}),
        ...(capability === 'federation' && wiring.federationHubTenant
          ? { FEDERATION_HUB_TENANT: wiring.federationHubTenant }
          : {}),
      },
      // The worker builds archives (E3: a site's records and documents zipped in memory):
      // two minutes and 1.5 GB, inside the queue's three-minute visibility timeout.
      ...(capability === 'worker' ? { timeout: Duration.minutes(2), memorySize: 1536 } : {}),
    });
    if (access.queuesWork) wiring.workQueue.grantSendMessages(fn.fn);
    if (access.provisionsGates) grantGateProvisioning(stack, fn);
    else if (access.retiresGates) grantGateRetirement(stack, fn);
    const certificateRole =
      access.storesRegistryCertificate || access.storesTenantSecrets
        ? wiring.secretRoles.writer
        : access.callsRegistry || access.readsTenantSecrets
          ? wiring.secretRoles.reader
          : undefined;
    if (certificateRole) {
      // Assumed per tenant with the session tag that the role's policy checks.
      certificateRole.assumeRolePolicy?.addStatements(
        new PolicyStatement({
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          principals: [fn.fn.role as IRole],
          conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG] } },
        }),
      );
      certificateRole.grantAssumeRole(fn.fn.role as IRole);
      fn.fn.addToRolePolicy(
        new PolicyStatement({ actions: ['sts:TagSession'], resources: [certificateRole.roleArn] }),
      );
      fn.fn.addEnvironment('TENANT_SECRETS_ROLE_ARN', certificateRole.roleArn);
    }
    grantTableAccess(fn, access, { table: wiring.data.table, key: wiring.data.key });
    if (access.idHashKey) wiring.data.idHashKey.grantRead(fn.fn);
    if (access.handlesEvidence) grantEvidence(stack, fn, wiring.data.evidenceExport);
    if (access.checksEvidence) grantEvidenceCheck(stack, fn, wiring.data.evidenceExport);
    if (access.keepsPersonalFiles) grantPersonalFiles(stack, fn, wiring.data.evidenceExport);
    if (access.takesLedgerUploads) grantLedgerUploads(stack, fn, wiring.data.evidenceExport);
    if (access.keepsRecordFiles) grantRecordFiles(stack, fn, wiring.data.evidenceExport);
    stack.functions.set(capability, fn);
  }
}
