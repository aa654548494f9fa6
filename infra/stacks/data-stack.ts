// Stateful resources, kept apart from the stateless API so that redeploying code never
// risks data: the table (from TABLE_DESIGN), its customer-managed key, the ID-hash secret,
// and the evidence bucket of admission (face and certificate images).
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ARCHIVE_KEEP_DAYS } from '../../functions/archives/document-kinds.ts';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';

/**
 * How long admission images are kept (docs/onboarding.md). Face images serve the admission
 * and its review only (PIPL Art. 19: no longer than the purpose needs); certificate images
 * are the evidence a blacklist entry or a forgery review may cite for its three years.
 */
export const EVIDENCE_RETENTION_DAYS = { face: 90, documents: 3 * 366 } as const;

export class DataStack extends Stack {
  readonly table: Table;
  readonly key: Key;
  readonly idHashKey: Secret;
  readonly evidence: Bucket;
  /** The evidence bucket's ARN as a named export: the API stack's grants cite it by name. */
  get evidenceExportName() {
    return `${this.stackName}-EvidenceBucketArn`;
  }

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Log delivery to the access-log bucket through a bucket policy, not the legacy ACL
    // (set here, not only in cdk.json, so that the stack is the same however it is built).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.key = new Key(this, 'DataKey', {
      description: 'Encrypts people, certificates and the ID-hash key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    const s = (name: string) => ({ name, type: AttributeType.STRING });
    // Table (not TableV2): TableV2 cannot render a customer-managed key in an
    // environment-agnostic stack, and `cdk synth` must work without an account.
    this.table = new Table(this, 'Table', {
      partitionKey: s(TABLE_DESIGN.partitionKey),
      sortKey: s(TABLE_DESIGN.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of TABLE_DESIGN.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: s(gsi.partitionKey),
        sortKey: s(gsi.sortKey),
        projectionType: gsi.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      });
    }
    this.idHashKey = new Secret(this, 'IdHashKey', {
      description: 'HMAC key for ID-number look-up hashes',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new Bucket(this, 'EvidenceAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Log delivery through a bucket policy, not the legacy ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(EVIDENCE_RETENTION_DAYS.documents) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the evidence bucket; logging it again would loop.',
    });
    // Images arrive straight from phones through presigned PUTs: never public, always TLS,
    // encrypted under the data key (a bucket key keeps KMS calls per object low).
    this.evidence = new Bucket(this, 'Evidence', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      cors: [{ allowedMethods: [HttpMethods.PUT], allowedOrigins: ['*'], allowedHeaders: ['content-type'] }],
      lifecycleRules: [
        { prefix: 'face/', expiration: Duration.days(EVIDENCE_RETENTION_DAYS.face) },
        { prefix: 'documents/', expiration: Duration.days(EVIDENCE_RETENTION_DAYS.documents) },
        // Archives of the regulator's file (E3): snapshots for an inspection, holding copies.
        { prefix: 'archives/', expiration: Duration.days(ARCHIVE_KEEP_DAYS) },
        // A person's copy of their data (functions/privacy/): its link lasts 15 minutes.
        { prefix: 'exports/', expiration: Duration.days(1) },
        // Ledger files uploaded for an import (functions/imports/): read once, gone in two days.
        { prefix: 'imports/', expiration: Duration.days(2) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'EvidenceBucketArn', {
      value: this.evidence.bucketArn,
      exportName: this.evidenceExportName,
    });
    Validations.of(this.idHashKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the ID-hash key would orphan every stored hash; rotation is a planned re-hash migration, not an automatic rotation.',
    });
  }
}
