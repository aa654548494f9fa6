// What the parts of the API stack (functions, gate devices, scheduled jobs) share. Each part
// creates its resources in the stack's own scope, so splitting the stack into files changed
// no logical ID: a moved Cognito pool or named IoT policy would otherwise be replaced.
import { ArnFormat, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';
import type { CapabilityFunction } from '../constructs/capability-function.ts';
import { profileOf } from '../profile.ts';
import type { CapabilityAccess } from '../table-access.ts';

export const KMS_TABLE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/** The API stack as its parts see it. */
export type ApiStackScope = Stack & {
  readonly allowlistKey: IKey;
  readonly gatePolicyName: string;
  readonly profile: 'global' | 'china';
};

/** What every function of the API is built with. */
export interface FunctionContext {
  table: ITable;
  key: IKey;
  environment: Record<string, string>;
}

/**
 * The one way a function is allowed to publish to gates: on gates/<gate>/<what>, retained
 * or not. Topics are per gate, so the resource is a pattern (acknowledged where used).
 */
export function grantGatePublish(
  stack: Stack,
  fn: CapabilityFunction,
  topics: 'decision' | 'allowlist/*',
  options: { retain: boolean },
) {
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: options.retain ? ['iot:Publish', 'iot:RetainPublish'] : ['iot:Publish'],
      resources: [stack.formatArn({ service: 'iot', resource: 'topic', resourceName: `gates/*/${topics}` })],
    }),
  );
}

/** A function's table grants (infra/table-access.ts): named resources only, the key to read them. */
export function grantTableAccess(
  fn: CapabilityFunction,
  access: CapabilityAccess,
  ctx: Pick<FunctionContext, 'table' | 'key'>,
) {
  if (!access.actions.length) return;
  // The table, and its indexes where the capability queries them.
  const indexArns = access.indexes
    ? TABLE_DESIGN.globalSecondaryIndexes.map((gsi) => `${ctx.table.tableArn}/index/${gsi.indexName}`)
    : [];
  fn.fn.addToRolePolicy(
    new PolicyStatement({ actions: access.actions, resources: [ctx.table.tableArn, ...indexArns] }),
  );
  // Reading items needs the table's key; DescribeTable alone (health) does not.
  if (access.actions.some((a) => a !== 'dynamodb:DescribeTable'))
    fn.fn.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [ctx.key.keyArn] }));
}

/**
 * The face and OCR providers of admission (context values; docs/onboarding.md). China
 * regions: no Rekognition or Textract — a domestic provider behind the documented contract
 * (-c onboardingProviderUrl) or, without one, "not configured" (501), never AWS.
 */
export function admissionProviders(stack: Stack) {
  const context = (name: string) => stack.node.tryGetContext(name) as string | undefined;
  const providerUrl = context('onboardingProviderUrl');
  const china = profileOf(stack.node) === 'china';
  const domestic = providerUrl ? 'http' : 'none';
  const faceProvider = context('faceProvider') ?? (china ? domestic : 'rekognition');
  const ocrProvider = context('ocrProvider') ?? (china ? domestic : 'textract');
  if (china && (faceProvider === 'rekognition' || ocrProvider === 'textract'))
    throw new Error(
      'profile=china: Rekognition and Textract are not offered in the AWS China regions (docs/deploy.md)',
    );
  return { faceProvider, ocrProvider, providerUrl };
}

/**
 * Admission (onboarding): the evidence bucket's two prefixes, and the providers the
 * deployment chose (context values; docs/onboarding.md). Rekognition and Textract read the
 * images from S3 with the caller's permissions, so the same grant serves them.
 */
export function grantEvidence(stack: Stack, fn: CapabilityFunction, evidenceExport: string) {
  const evidenceBucketArn = Fn.importValue(evidenceExport);
  const context = (name: string) => stack.node.tryGetContext(name) as string | undefined;
  const { faceProvider, ocrProvider, providerUrl } = admissionProviders(stack);
  const identityProvider = context('identityProvider');
  evidencePrefixes(
    stack,
    fn,
    evidenceExport,
    ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    'Admission images are keyed per tenant, person and flow under two prefixes; the keys are only known per request.',
  );
  fn.fn.addEnvironment('FACE_PROVIDER', faceProvider);
  fn.fn.addEnvironment('OCR_PROVIDER', ocrProvider);
  // No AWS service checks a Chinese identity: unset, the identity step answers 501.
  if (identityProvider) fn.fn.addEnvironment('IDENTITY_PROVIDER', identityProvider);
  if (providerUrl) fn.fn.addEnvironment('ONBOARDING_PROVIDER_URL', providerUrl);
  // Face Liveness runs in a few regions only; the function may call one of those.
  const faceRegion = context('faceRegion');
  if (faceRegion) fn.fn.addEnvironment('FACE_REGION', faceRegion);
  const aws: string[] = [
    ...(faceProvider === 'rekognition'
      ? [
          'rekognition:CreateFaceLivenessSession',
          'rekognition:GetFaceLivenessSessionResults',
          'rekognition:CompareFaces',
        ]
      : []),
    ...(ocrProvider === 'textract' ? ['textract:DetectDocumentText'] : []),
  ];
  // These actions take no resource-level permissions (acknowledged in the stack).
  if (aws.length) fn.fn.addToRolePolicy(new PolicyStatement({ actions: aws, resources: ['*'] }));
}

/**
 * The evidence bucket's two admission prefixes for a function: its name in the environment,
 * the object actions asked for on those prefixes only, and s3:ListBucket limited to them
 * (without it S3 answers a missing key 403, not 404).
 */
function evidencePrefixes(
  stack: Stack,
  fn: CapabilityFunction,
  evidenceExport: string,
  objectActions: string[],
  reason: string,
  prefixes = ['face/*', 'documents/*'],
) {
  const evidenceBucketArn = Fn.importValue(evidenceExport);
  fn.fn.addEnvironment(
    'EVIDENCE_BUCKET',
    stack.splitArn(evidenceBucketArn, ArnFormat.NO_RESOURCE_NAME).resource,
  );
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: objectActions,
      resources: prefixes.map((p) => `${evidenceBucketArn}/${p}`),
    }),
  );
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [evidenceBucketArn],
      conditions: { StringLike: { 's3:prefix': prefixes } },
    }),
  );
  for (const prefix of prefixes)
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${evidenceExport}/${prefix}]`,
      reason,
    });
}

/**
 * A person's files for their data rights (functions/privacy/): their admission images read
 * for a copy and deleted on erasure, and the copy itself under exports/ (expired in a day).
 */
export function grantPersonalFiles(stack: Stack, fn: CapabilityFunction, evidenceExport: string) {
  evidencePrefixes(
    stack,
    fn,
    evidenceExport,
    ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    'A person’s files are keyed per tenant and person under three prefixes; the keys are only known per request.',
    ['face/*', 'documents/*', 'exports/*'],
  );
}

/**
 * The regulator's file (functions/archives/): documents uploaded in parts or whole under
 * records/, archives written under archives/ and read back for their links.
 */
export function grantRecordFiles(stack: Stack, fn: CapabilityFunction, evidenceExport: string) {
  evidencePrefixes(
    stack,
    fn,
    evidenceExport,
    [
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ],
    'Documents and archives are keyed per tenant (and person) under two prefixes; the keys are only known per request.',
    ['records/*', 'archives/*'],
  );
}

/** The daily records expiry (functions/archives/documents.ts): deletes documents, under records/ only. */
export function grantRecordExpiry(stack: Stack, fn: CapabilityFunction, evidenceExport: string) {
  evidencePrefixes(
    stack,
    fn,
    evidenceExport,
    ['s3:DeleteObject'],
    'Documents are keyed per tenant and person under records/; the job deletes those whose retention ended.',
    ['records/*'],
  );
}

/** Ledger files over 5 MB (functions/imports/): their presigned PUT and their reading, under imports/ only. */
export function grantLedgerUploads(stack: Stack, fn: CapabilityFunction, evidenceExport: string) {
  evidencePrefixes(
    stack,
    fn,
    evidenceExport,
    ['s3:GetObject', 's3:PutObject'],
    'Ledger uploads are keyed per tenant under imports/; the keys are only known per request.',
    ['imports/*'],
  );
}

/** Whether cited admission evidence exists: HeadObject needs s3:GetObject, and nothing about the providers. */
export function grantEvidenceCheck(stack: Stack, fn: CapabilityFunction, evidenceExport: string) {
  evidencePrefixes(
    stack,
    fn,
    evidenceExport,
    ['s3:GetObject'],
    'Evidence keys are per tenant, person and flow under two prefixes; only known per request.',
  );
}

/**
 * A standard workflow of the API built from a shared ASL definition: traced, logged to its
 * own retained log group (execution data left out: no personal data in logs), allowed to
 * send to the work queue and to update table items, nothing else.
 */
export function standardWorkflow(
  stack: ApiStackScope,
  id: string,
  definition: object,
  { table, key }: Pick<FunctionContext, 'table' | 'key'>,
  workQueue: IQueue,
): StateMachine {
  const machine = new StateMachine(stack, id, {
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromString(Stack.of(stack).toJsonString(definition)),
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(stack, `${id}Logs`, {
        retention: RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      level: LogLevel.ALL,
      includeExecutionData: false,
    },
  });
  workQueue.grantSendMessages(machine);
  machine.addToRolePolicy(
    new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn] }),
  );
  machine.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [key.keyArn] }));
  return machine;
}

/** The china profile's SMTP account: a JSON secret {host, port, secure, user, pass} the operator creates. */
export const smtpSecretName = (stack: Stack): string =>
  stack.node.tryGetContext('smtpSecretName') ?? 'special-ops/smtp';

/** The deployment's verified sender of the monthly reports (-c reportSender=reports@your-domain). */
export const reportSender = (stack: ApiStackScope): string =>
  stack.node.tryGetContext('reportSender') ?? 'reports@special-ops.example.com';

/**
 * Lets a function send mail from one verified SES identity (the address or its domain),
 * named in the function's environment variable `envName`.
 */
export function grantMail(stack: ApiStackScope, fn: CapabilityFunction, envName: string, sender: string) {
  fn.fn.addEnvironment(envName, sender);
  if (stack.profile === 'china') {
    // No SES in the AWS China regions: the SMTP account's secret (MAIL_PROVIDER=smtp).
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          stack.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            // Secrets Manager appends 6 random characters to the name.
            resourceName: `${smtpSecretName(stack)}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    return;
  }
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: sender }),
        stack.formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: sender.split('@')[1] ?? sender,
        }),
      ],
    }),
  );
}

/**
 * Notification email (N1): the worker sends it, the notifications function shows whether
 * it is available, both from -c notificationSender (the reports' sender when absent).
 */
export function addNotificationMail(
  stack: ApiStackScope,
  fns: (CapabilityFunction | undefined)[],
  workQueue: IQueue,
) {
  const sender: string = stack.node.tryGetContext('notificationSender') ?? reportSender(stack);
  const [worker, notifications] = fns;
  if (worker) grantMail(stack, worker, 'NOTIFICATION_SENDER', sender);
  notifications?.fn.addEnvironment('NOTIFICATION_SENDER', sender);
  // In the China regions: no SES events (SMTP has none) and no End User Messaging SMS.
  if (stack.profile === 'china') return;
  // Bounces and complaints: SES publishes them to the default event bus; a rule turns each
  // into a `mail-event` work message (tenant and person from the message's tags), and the
  // worker suppresses that person's address.
  const configurationSet = new ConfigurationSet(stack, 'NotificationMail');
  configurationSet.addEventDestination('BouncesAndComplaints', {
    destination: EventDestination.eventBus(EventBus.fromEventBusName(stack, 'DefaultBus', 'default')),
    events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
  });
  worker?.fn.addEnvironment('MAIL_CONFIGURATION_SET', configurationSet.configurationSetName);
  if (worker)
    worker.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configurationSet.configurationSetName,
          }),
        ],
      }),
    );
  // SMS outside the mainland (AWS End User Messaging, the tenant's sms.provider = aws): from
  // any origination identity of this account; the notifications function makes the dry run.
  const smsIdentities = stack.formatArn({
    service: 'sms-voice',
    resource: '*',
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
  for (const fn of [worker, notifications])
    fn?.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [smsIdentities] }),
    );
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
    reason:
      'A tenant picks which phone number, sender id or pool of this account sends its SMS; all are the deployment’s own.',
  });
  new Rule(stack, 'MailEvents', {
    description: 'Notification mail bounced or complained about: suppress the address (N1)',
    eventPattern: { source: ['aws.ses'], detailType: ['Email Bounced', 'Email Complaint Received'] },
    targets: [
      new SqsQueue(workQueue, {
        message: RuleTargetInput.fromObject({
          type: 'mail-event',
          eventType: EventField.fromPath('$.detail.eventType'),
          tenantId: EventField.fromPath('$.detail.mail.tags.tenantId[0]'),
          personId: EventField.fromPath('$.detail.mail.tags.personId[0]'),
          bounceType: EventField.fromPath('$.detail.bounce.bounceType'),
        }),
      }),
    ],
  });
}
