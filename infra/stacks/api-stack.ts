// The stateless API: Cognito (users, the tenant/role claims, the API scope), the HTTP
// API with a JWT authorizer, and one function per capability with the routes and grants
// from schemas/routes.ts.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
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
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  AccountRootPrincipal,
  type IRole,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnPolicy, CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SCHEDULES } from '../../functions/jobs/schedules.ts';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';
import { REGISTRY_SECRET_PREFIX, TENANT_TAG } from '../../functions/verification/registry-secret-names.ts';
import { GATE_SCAN_RULE } from '../../iot-rules/rules.ts';
import { CAPABILITIES, type Capability, ROUTES } from '../../schemas/routes.ts';
import { CapabilityFunction } from '../constructs/capability-function.ts';
import { TABLE_ACCESS } from '../table-access.ts';

export interface ApiStackProps extends StackProps {
  table: ITable;
  key: IKey;
  idHashKey: ISecret;
}

/** What a caller of a CMK-encrypted table needs from the key (no wildcards). */
const KMS_TABLE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

export const API_SCOPE_NAME = 'api';
export const RESOURCE_SERVER_ID = 'compliance';

export class ApiStack extends Stack {
  readonly api: HttpApi;
  private get gatePolicyName() {
    return `${this.stackName}-gate`;
  }
  readonly allowlistKey: Key;
  readonly functions = new Map<Capability | 'jobs' | 'worker' | 'gates', CapabilityFunction>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    const userPool = new UserPool(this, 'Users', {
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
    const preToken = new CapabilityFunction(this, 'PreTokenGeneration', { capability: 'auth' });
    userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, preToken.fn, LambdaVersion.V2_0);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const authorizer = new HttpJwtAuthorizer('Cognito', userPool.userPoolProviderUrl, {
      jwtAudience: [client.userPoolClientId],
    });
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Special-operations compliance API',
      createDefaultStage: true,
    });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        tenantId: '$context.authorizer.claims.tenantId',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 500, throttlingRateLimit: 1000 };

    // Imported references: grants then land in the functions' own policies only, never
    // in the data stack's key policy (which would make the two stacks depend on each other).
    const key = Key.fromKeyArn(this, 'DataKey', props.key.keyArn);
    const idHashKey = Secret.fromSecretCompleteArn(this, 'IdHashKeySecret', props.idHashKey.secretArn);
    // Background work: one queue, its dead-letter queue after 5 receives.
    const workDeadLetters = new Queue(this, 'WorkDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(workDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the work queue.',
    });
    const workQueue = new Queue(this, 'WorkQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(3),
      deadLetterQueue: { queue: workDeadLetters, maxReceiveCount: 5 },
    });
    // The registry gateway a deployment talks to (docs/registry-contract.md): -c registryBaseUrl=https://…
    const registryBaseUrl: string =
      this.node.tryGetContext('registryBaseUrl') ?? 'https://registry-gateway.invalid';
    // Tenants' registry client certificates: secrets named special-ops/registry/<tenant> and
    // tagged tenantId=<tenant>. Functions never read them with their own role: they assume
    // one of these roles with the session tag tenantId=<calling tenant>, and the role's
    // policy admits only secrets carrying the same tag, so one tenant's request cannot
    // reach another tenant's certificate even through a bug in the code.
    const tenantRegistrySecrets = this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${REGISTRY_SECRET_PREFIX}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const sameTenant = (key: string) => ({
      StringEquals: { [key]: `\${aws:PrincipalTag/${TENANT_TAG}}` },
    });
    const registryCertificateReader = new Role(this, 'RegistryCertificateReader', {
      description: "Reads one tenant's registry client certificate (session tag tenantId)",
      assumedBy: new AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(1),
    });
    registryCertificateReader.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [tenantRegistrySecrets],
        conditions: sameTenant(`secretsmanager:ResourceTag/${TENANT_TAG}`),
      }),
    );
    const registryCertificateWriter = new Role(this, 'RegistryCertificateWriter', {
      description: "Stores one tenant's registry client certificate (session tag tenantId)",
      assumedBy: new AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(1),
    });
    registryCertificateWriter.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resources: [tenantRegistrySecrets],
        conditions: {
          ...sameTenant(`aws:RequestTag/${TENANT_TAG}`),
          'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG] },
        },
      }),
    );
    registryCertificateWriter.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [tenantRegistrySecrets],
        conditions: sameTenant(`secretsmanager:ResourceTag/${TENANT_TAG}`),
      }),
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:special-ops/registry/*]',
      reason:
        'One secret per tenant, created on demand; the roles admit only the secret tagged with the session’s own tenantId (ABAC), not every secret under the prefix.',
    });
    // Gate allowlists are signed in KMS (ES256); devices hold the public key. Retained: a
    // new key would mean re-distributing the public key to every gate.
    this.allowlistKey = new Key(this, 'GateAllowlistKey', {
      description: 'Signs gate offline allowlists (ES256)',
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
    };
    for (const capability of [...CAPABILITIES, 'worker' as const]) {
      const access = TABLE_ACCESS[capability];
      const fn = new CapabilityFunction(this, `${capability[0]?.toUpperCase()}${capability.slice(1)}`, {
        capability,
        environment: {
          ...(access.actions.length ? environment : {}),
          ...(access.queuesWork ? { WORK_QUEUE_URL: workQueue.queueUrl } : {}),
          ...(access.callsRegistry ? { REGISTRY_BASE_URL: registryBaseUrl } : {}),
        },
        ...(capability === 'worker' ? { timeout: Duration.seconds(30) } : {}),
      });
      if (access.queuesWork) workQueue.grantSendMessages(fn.fn);
      if (access.provisionsGates) {
        fn.fn.addEnvironment('GATE_POLICY_NAME', this.gatePolicyName);
        // The provisioning bundle and GET /gates/allowlist-keys carry the public key.
        fn.fn.addToRolePolicy(
          new PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.allowlistKey.keyArn] }),
        );
        fn.fn.addToRolePolicy(
          new PolicyStatement({
            actions: [
              'iot:CreateThing',
              'iot:AttachThingPrincipal',
              // Retiring a gate: its certificates are detached and set INACTIVE.
              'iot:ListThingPrincipals',
              'iot:DetachThingPrincipal',
            ],
            resources: [this.formatArn({ service: 'iot', resource: 'thing', resourceName: '*' })],
          }),
        );
        fn.fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['iot:AttachPolicy'],
            resources: [
              this.formatArn({ service: 'iot', resource: 'policy', resourceName: this.gatePolicyName }),
            ],
          }),
        );
        fn.fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['iot:UpdateCertificate'],
            resources: [this.formatArn({ service: 'iot', resource: 'cert', resourceName: '*' })],
          }),
        );
        Validations.of(this).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:cert/*]',
          reason:
            'A gate certificate’s id is only known once IoT has created it; retiring a gate deactivates whichever certificates its thing holds.',
        });
        // A retired gate's retained allowlist is cleared.
        fn.fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['iot:Publish', 'iot:RetainPublish'],
            resources: [
              this.formatArn({ service: 'iot', resource: 'topic', resourceName: 'gates/*/allowlist/*' }),
            ],
          }),
        );
        // CreateKeysAndCertificate and DescribeEndpoint have no resource-level permissions.
        fn.fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint'],
            resources: ['*'],
          }),
        );
      }
      const certificateRole = access.storesRegistryCertificate
        ? registryCertificateWriter
        : access.callsRegistry
          ? registryCertificateReader
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
      if (access.actions.length) {
        // Named resources only: the table, and its indexes where the capability queries them.
        const indexArns = access.indexes
          ? TABLE_DESIGN.globalSecondaryIndexes.map((gsi) => `${props.table.tableArn}/index/${gsi.indexName}`)
          : [];
        fn.fn.addToRolePolicy(
          new PolicyStatement({ actions: access.actions, resources: [props.table.tableArn, ...indexArns] }),
        );
        // Reading items needs the table's key; DescribeTable alone (health) does not.
        if (access.actions.some((a) => a !== 'dynamodb:DescribeTable'))
          fn.fn.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [key.keyArn] }));
      }
      if (access.idHashKey) idHashKey.grantRead(fn.fn);
      this.functions.set(capability, fn);
    }
    const worker = this.functions.get('worker') as CapabilityFunction;
    // Bounded concurrency keeps a 10,000-row batch from overrunning the registry's rate limit.
    worker.fn.addEventSource(
      new SqsEventSource(workQueue, { batchSize: 10, maxConcurrency: 5, reportBatchItemFailures: true }),
    );

    for (const route of ROUTES) {
      const fn = this.functions.get(route.capability)?.fn;
      if (!fn) throw new Error(`No function for ${route.capability}`);
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.operationId}Integration`, fn),
        ...(route.auth
          ? { authorizer, authorizationScopes: [`${RESOURCE_SERVER_ID}/${API_SCOPE_NAME}`] }
          : {}),
      });
    }

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*]',
      reason: 'Gate provisioning creates a thing per gate; its name is only known at request time.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'iot:CreateKeysAndCertificate and iot:DescribeEndpoint support no resource-level permissions.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Only GET /health and GET /openapi.json are public by design; every other route has the Cognito JWT authorizer.',
    });

    this.addScheduledJobs(props, key, environment);
    this.addGateDevices(props, key, environment);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
  }

  /**
   * Gate devices (IoT Core): the gate-scan topic rule from iot-rules/gate-scan.sql invoking
   * the gate-decision function (async, retried, dead-lettered), and the device policy from
   * iot-rules/gate-policy.json that confines each gate to its own client id and topics.
   */
  private addGateDevices(props: ApiStackProps, key: IKey, environment: Record<string, string>) {
    const gates = new CapabilityFunction(this, 'Gates', {
      capability: 'gates',
      environment,
      memorySize: 1024,
      timeout: Duration.seconds(5),
    });
    gates.fn.addToRolePolicy(
      new PolicyStatement({
        actions: TABLE_ACCESS.gates.actions,
        resources: [props.table.tableArn],
      }),
    );
    gates.fn.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [key.keyArn] }));
    const decisionTopics = this.formatArn({
      service: 'iot',
      resource: 'topic',
      resourceName: 'gates/*/decision',
    });
    gates.fn.addToRolePolicy(new PolicyStatement({ actions: ['iot:Publish'], resources: [decisionTopics] }));
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/gates/*/decision]',
      reason: 'The gate-decision function answers whichever gate scanned, on that gate’s own decision topic.',
    });
    const failed = new Queue(this, 'GateScanDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(failed).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of gate scans.',
    });
    gates.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failed) });
    const ruleRole = new Role(this, 'GateScanRuleErrors', {
      assumedBy: new ServicePrincipal('iot.amazonaws.com'),
    });
    failed.grantSendMessages(ruleRole);
    const rule = new CfnTopicRule(this, 'GateScanRule', {
      topicRulePayload: {
        sql: GATE_SCAN_RULE.sql,
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        actions: [{ lambda: { functionArn: gates.fn.functionArn } }],
        errorAction: { sqs: { queueUrl: failed.queueUrl, roleArn: ruleRole.roleArn } },
      },
    });
    gates.fn.addPermission('InvokedByGateScanRule', {
      principal: new ServicePrincipal('iot.amazonaws.com'),
      sourceArn: rule.attrArn,
    });
    const policy = readFileSync(
      fileURLToPath(new URL('../../iot-rules/gate-policy.json', import.meta.url)),
      'utf8',
    )
      .replaceAll('${Partition}', this.partition)
      .replaceAll('${Region}', this.region)
      .replaceAll('${Account}', this.account);
    new CfnPolicy(this, 'GateDevicePolicy', {
      policyName: this.gatePolicyName,
      policyDocument: JSON.parse(policy),
    });
    this.functions.set('gates', gates);
  }

  /**
   * The jobs function and its EventBridge Scheduler schedules (functions/jobs/schedules.ts),
   * retried and dead-lettered so that a failed run is never silently lost.
   */
  private addScheduledJobs(props: ApiStackProps, key: IKey, environment: Record<string, string>) {
    const jobs = new CapabilityFunction(this, 'Jobs', {
      capability: 'jobs',
      environment,
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    const indexArns = TABLE_DESIGN.globalSecondaryIndexes.map(
      (gsi) => `${props.table.tableArn}/index/${gsi.indexName}`,
    );
    jobs.fn.addToRolePolicy(
      new PolicyStatement({
        actions: TABLE_ACCESS.jobs.actions,
        resources: [props.table.tableArn, ...indexArns],
      }),
    );
    // The allowlist jobs sign in KMS and publish retained messages to each gate.
    jobs.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [this.allowlistKey.keyArn],
      }),
    );
    const allowlistTopics = this.formatArn({
      service: 'iot',
      resource: 'topic',
      resourceName: 'gates/*/allowlist/*',
    });
    jobs.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['iot:Publish', 'iot:RetainPublish'], resources: [allowlistTopics] }),
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/gates/*/allowlist/*]',
      reason:
        'The allowlist jobs publish each site’s list to every gate of that site, on the gate’s own topic.',
    });
    jobs.fn.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [key.keyArn] }));
    // The monthly report is sent from one verified identity (-c reportSender=reports@your-domain).
    const reportSender: string = this.node.tryGetContext('reportSender') ?? 'reports@special-ops.example.com';
    jobs.fn.addEnvironment('REPORT_SENDER', reportSender);
    jobs.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: reportSender }),
          this.formatArn({
            service: 'ses',
            resource: 'identity',
            resourceName: reportSender.split('@')[1] ?? reportSender,
          }),
        ],
      }),
    );
    const deadLetters = new Queue(this, 'JobsDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the scheduled jobs.',
    });
    for (const schedule of SCHEDULES) {
      new Schedule(this, `Schedule-${schedule.name}`, {
        description: schedule.description,
        schedule: ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timeZone)),
        target: new LambdaInvoke(jobs.fn, {
          input: ScheduleTargetInput.fromObject({ job: schedule.job }),
          deadLetterQueue: deadLetters,
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
        }),
      });
    }
    // The scheduler's role may invoke the jobs function and its versions (`<arn>:*`).
    const jobsLogicalId = this.getLogicalId(jobs.fn.node.defaultChild as CfnFunction);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${jobsLogicalId}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes the jobs function; the :* suffix only covers its own versions and aliases.',
    });
    this.functions.set('jobs', jobs);
  }
}
