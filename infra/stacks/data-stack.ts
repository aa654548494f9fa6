// Stateful resources, kept apart from the stateless API so that redeploying code never
// risks data: the table (from TABLE_DESIGN), its customer-managed key, the ID-hash secret.
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';

export class DataStack extends Stack {
  readonly table: Table;
  readonly key: Key;
  readonly idHashKey: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
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
    Validations.of(this.idHashKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the ID-hash key would orphan every stored hash; rotation is a planned re-hash migration, not an automatic rotation.',
    });
  }
}
