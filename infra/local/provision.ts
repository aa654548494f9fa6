// Creates the local resources from the same definitions the CDK stacks use: the table
// from TABLE_DESIGN and the ID-hash key secret.

import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DescribeKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  CreateSecretCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { propagationDefinition } from '../../functions/federation/propagation-definition.ts';
import { permitWorkflowDefinition } from '../../functions/permits/permit-workflow-definition.ts';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';

export const LOCAL_REPORT_SENDER = 'reports@special-ops.local';

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey]);
  for (const gsi of TABLE_DESIGN.globalSecondaryIndexes) {
    attributes.add(gsi.partitionKey);
    attributes.add(gsi.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_DESIGN.globalSecondaryIndexes.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
        { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: gsi.projection },
    })),
  };
}

export interface LocalResources {
  tableName: string;
  idHashKeySecretId: string;
  workQueueName: string;
  registryBaseUrl: string;
  /** The admission providers' simulator (onboarding-simulator.ts), or a domestic provider's gateway. */
  onboardingProviderUrl?: string;
  /** The notification channels' simulator (channel-simulator.ts). */
  channelSimulatorUrl?: string;
}

/** The evidence bucket's name, as in CDK one per stack: here one per table. */
export const evidenceBucketName = (tableName: string) => `${tableName}-evidence`.toLowerCase();

/** Creates the resources; returns the environment entries only known afterwards. */
export async function provisionLocal(resources: LocalResources): Promise<{
  WORK_QUEUE_URL: string;
  ALLOWLIST_KEY_ID: string;
  PERSONAL_DATA_KEY_ID: string;
  TICKET_SCHEDULE_GROUP: string;
  TICKET_EXPIRY_TARGET_ARN: string;
  TICKET_SCHEDULE_ROLE_ARN: string;
  PERMIT_STATE_MACHINE_ARN: string;
  FEDERATION_STATE_MACHINE_ARN: string;
  EVIDENCE_BUCKET: string;
}> {
  // Independent resources are created side by side: every test file provisions its own set.
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const scheduleGroup = `${resources.tableName}-tickets`;
  const [, , , queueUrl, , evidence, allowlist, personalData] = await Promise.all([
    table(resources.tableName),
    idHashKeySecret(resources.idHashKeySecretId),
    reportSender(),
    workQueue(resources.workQueueName),
    ticketScheduleGroup(scheduleGroup),
    evidenceBucket(resources.tableName),
    allowlistKey(resources.tableName),
    personalDataKey(resources.tableName),
  ]);
  const [permits, propagation] = await Promise.all([
    permitStateMachine(resources.tableName, queueUrl),
    stateMachine(
      `${resources.tableName}-propagation`,
      propagationDefinition({ tableName: resources.tableName, queueUrl, partition: 'aws' }),
    ),
  ]);
  return {
    EVIDENCE_BUCKET: evidence,
    PERMIT_STATE_MACHINE_ARN: permits,
    FEDERATION_STATE_MACHINE_ARN: propagation,
    TICKET_SCHEDULE_GROUP: scheduleGroup,
    TICKET_EXPIRY_TARGET_ARN: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${resources.tableName}-jobs`,
    TICKET_SCHEDULE_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${resources.tableName}-ticket-scheduler`,
    WORK_QUEUE_URL: queueUrl,
    ALLOWLIST_KEY_ID: allowlist,
    PERSONAL_DATA_KEY_ID: personalData,
  };
}

/** The single table from the shared design, with its TTL (found again on a restart). */
async function table(tableName: string): Promise<void> {
  const dynamo = new DynamoDBClient({ maxAttempts: 1 });
  try {
    await dynamo.send(new CreateTableCommand(createTableInput(tableName)));
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    dynamo.destroy();
  }
}

async function idHashKeySecret(secretId: string): Promise<void> {
  const secrets = new SecretsManagerClient({ maxAttempts: 1 });
  try {
    await secrets.send(
      new CreateSecretCommand({ Name: secretId, SecretString: randomBytes(32).toString('base64url') }),
    );
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
  } finally {
    secrets.destroy();
  }
}

/** The report sender must be a verified identity, in moto as in SES. */
async function reportSender(): Promise<void> {
  const ses = new SESv2Client({ maxAttempts: 1 });
  await ses
    .send(new CreateEmailIdentityCommand({ EmailIdentity: LOCAL_REPORT_SENDER }))
    .catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'AlreadyExistsException') throw error;
    })
    .finally(() => ses.destroy());
}

/** The same shape as in CDK: the work queue hands over to its DLQ after 5 receives. */
async function workQueue(name: string): Promise<string> {
  const sqs = new SQSClient({ maxAttempts: 1 });
  try {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
      }),
    );
    return queue.QueueUrl as string;
  } finally {
    sqs.destroy();
  }
}

/**
 * Work-ticket expiry timers: one-time schedules in their own group, as in CDK. The local
 * scheduler (scheduler.ts) fires what falls due; the ARNs only need to look right.
 */
async function ticketScheduleGroup(name: string): Promise<void> {
  const scheduler = new SchedulerClient({ maxAttempts: 1 });
  await scheduler
    .send(new CreateScheduleGroupCommand({ Name: name }))
    .catch((error: Error) => {
      if (error.name !== 'ConflictException') throw error;
    })
    .finally(() => scheduler.destroy());
}

/** The cross-site permit workflow, from the same definition as CDK's (found again on a restart). */
const permitStateMachine = (tableName: string, queueUrl: string) =>
  stateMachine(`${tableName}-permits`, permitWorkflowDefinition({ tableName, queueUrl, partition: 'aws' }));

/** A standard state machine from the same definition as CDK's (found again on a restart). */
async function stateMachine(name: string, definition: object): Promise<string> {
  const sfn = new SFNClient({ maxAttempts: 1 });
  try {
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name,
        type: 'STANDARD',
        roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`,
        definition: JSON.stringify(definition),
      }),
    );
    return created.stateMachineArn as string;
  } catch (error) {
    if ((error as Error).name !== 'StateMachineAlreadyExists') throw error;
    const region = process.env.AWS_REGION ?? 'us-east-1';
    return `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
  } finally {
    sfn.destroy();
  }
}

/** Admission images (onboarding): private, as in CDK; moto keeps it in memory. */
async function evidenceBucket(tableName: string): Promise<string> {
  const s3 = new S3Client({ maxAttempts: 1, forcePathStyle: true });
  const Bucket = evidenceBucketName(tableName);
  try {
    await s3.send(new CreateBucketCommand({ Bucket }));
  } catch (error) {
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((error as Error).name)) throw error;
  } finally {
    s3.destroy();
  }
  return Bucket;
}

/** moto's fixed account id. */
const LOCAL_ACCOUNT = '123456789012';

/** A KMS key found again by its alias, or created with it (idempotent across restarts). */
async function keyByAlias(alias: string, create: CreateKeyCommandInput): Promise<string> {
  const kms = new KMSClient({ maxAttempts: 1 });
  try {
    const existing = await kms.send(new DescribeKeyCommand({ KeyId: alias })).catch((error: Error) => {
      if (error.name !== 'NotFoundException') throw error;
      return undefined;
    });
    if (existing?.KeyMetadata?.KeyId) return existing.KeyMetadata.KeyId;
    const created = await kms.send(new CreateKeyCommand(create));
    const keyId = created.KeyMetadata?.KeyId as string;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    return keyId;
  } finally {
    kms.destroy();
  }
}

/** The allowlist signing key, as in CDK: KMS, ECC P-256, sign/verify. */
const allowlistKey = (tableName: string) =>
  keyByAlias(`alias/${tableName}-gate-allowlist`, {
    KeySpec: 'ECC_NIST_P256',
    KeyUsage: 'SIGN_VERIFY',
    Description: 'Signs gate allowlists (local)',
  });

/** The data key, as in CDK: symmetric, encrypts personal data such as certificate numbers. */
const personalDataKey = (tableName: string) =>
  keyByAlias(`alias/${tableName}-data`, { Description: 'Personal data key (local)' });

/** Environment the handlers read, for a local emulator endpoint. */
export function localEnvironment(endpoint: string, resources: LocalResources): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: resources.tableName,
    ID_HASH_KEY_SECRET_ID: resources.idHashKeySecretId,
    REGISTRY_BASE_URL: resources.registryBaseUrl,
    // The simulators listen on this machine's loopback over plain http: local runs only
    // (functions/shared/outbound-url.ts; the CDK stacks never set it, a template test checks).
    OUTBOUND_ALLOW_LOCAL_HTTP: '1',
    // Admission: every port through the domestic-provider contract, served by the simulator.
    ...(resources.onboardingProviderUrl
      ? {
          FACE_PROVIDER: 'http',
          OCR_PROVIDER: 'http',
          IDENTITY_PROVIDER: 'http',
          ONBOARDING_PROVIDER_URL: resources.onboardingProviderUrl,
        }
      : {}),
    REPORT_SENDER: LOCAL_REPORT_SENDER,
    NOTIFICATION_SENDER: LOCAL_REPORT_SENDER,
    // Notification channels: WeCom, DingTalk and Aliyun SMS all answered by the channel simulator.
    ...(resources.channelSimulatorUrl
      ? {
          WECOM_BASE_URL: resources.channelSimulatorUrl,
          DINGTALK_BASE_URL: resources.channelSimulatorUrl,
          ALIYUN_SMS_ENDPOINT: resources.channelSimulatorUrl,
          AWS_SMS_ENDPOINT: resources.channelSimulatorUrl,
        }
      : {}),
    // The demo group is the alliance's hub locally: its group admins register partners.
    FEDERATION_HUB_TENANT: process.env.FEDERATION_HUB_TENANT ?? 'demo-group',
    REGISTRY_TIMEOUT_MS: '1500',
    // moto answers 500 to concurrent TransactWriteItems (it copies the table for each).
    SWEEP_PARALLELISM: '1',
  };
}
