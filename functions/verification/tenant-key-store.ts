// Per-tenant signing keys for worker codes (SPEC O2: a JWS "with the tenant's KMS key"): one
// asymmetric KMS key per tenant, created on the tenant's first code. A code then names its
// tenant by its key, so a code signed for one tenant can never pass as another's, and a
// tenant's key can be retired without touching anyone else. The public keys are published
// with the service key at GET /.well-known/jwks.json for offline checks.
import { CreateKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type AllowlistKey, type AllowlistSigner, KmsAllowlistSigner } from '../shared/allowlist-signer.ts';
import { awsClient } from '../shared/aws-client-config.ts';
import type { Clock } from '../shared/clock.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { TENANT_TAG } from './registry-secret-names.ts';
import { WORKER_CODE_PURPOSE as KEY_PURPOSE, PURPOSE_TAG } from './tenant-key-tags.ts';

export interface TenantKeyStore {
  /** The tenant's signer; its key is created on first use. */
  signerFor(tenantId: string): Promise<AllowlistSigner>;
  /** The public key a `kid` names and the tenant it belongs to; undefined when no tenant has it. */
  byKid(kid: string): Promise<{ tenantId: string; key: AllowlistKey } | undefined>;
  /** Every tenant's public key (for the JWK Set). */
  publicKeys(): Promise<AllowlistKey[]>;
}

class LostRace extends Error {}

export class KmsTenantKeyStore implements TenantKeyStore {
  private readonly kms = awsClient(KMSClient);
  private readonly signers = new Map<string, Promise<AllowlistSigner>>();
  private readonly kids = new Map<string, { tenantId: string; key: AllowlistKey }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  signerFor(tenantId: string): Promise<AllowlistSigner> {
    let signer = this.signers.get(tenantId);
    if (!signer) {
      signer = this.load(tenantId);
      this.signers.set(tenantId, signer);
      signer.catch(() => this.signers.delete(tenantId)); // the next call tries again
    }
    return signer;
  }

  async byKid(kid: string) {
    const known = this.kids.get(kid);
    if (known) return known;
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.signingKid(kid) }));
    if (!out.Item) return undefined;
    const found = { tenantId: out.Item.tenantId as string, key: out.Item.jwk as AllowlistKey };
    this.kids.set(kid, found); // a kid names one key for good: safe to keep
    return found;
  }

  async publicKeys() {
    const { pk, skPrefix } = keys.signingKids();
    const items = await queryAll<{ jwk: AllowlistKey }>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      ProjectionExpression: 'jwk',
    });
    return items.map((i) => i.jwk);
  }

  private async stored(tenantId: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.tenantSigningKey(tenantId, KEY_PURPOSE),
        ConsistentRead: true,
      }),
    );
    return out.Item?.keyArn as string | undefined;
  }

  private async load(tenantId: string): Promise<AllowlistSigner> {
    const existing = await this.stored(tenantId);
    if (existing) return new KmsAllowlistSigner(existing, this.kms);
    const created = await this.kms.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Description: `Signs the worker codes of tenant ${tenantId}`,
        Tags: [
          { TagKey: PURPOSE_TAG, TagValue: KEY_PURPOSE },
          { TagKey: TENANT_TAG, TagValue: tenantId },
        ],
      }),
    );
    const keyArn = created.KeyMetadata?.Arn as string;
    const signer = new KmsAllowlistSigner(keyArn, this.kms);
    const jwk = await signer.publicKey();
    const createdAt = this.clock.now().toISOString();
    try {
      await transact(this.db, [
        guard(
          {
            Put: {
              TableName: this.table,
              Item: {
                ...keys.tenantSigningKey(tenantId, KEY_PURPOSE),
                entity: 'signing-key',
                keyArn,
                kid: jwk.kid,
                createdAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          () => new LostRace(),
        ),
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.signingKid(jwk.kid), entity: 'signing-kid', tenantId, jwk, createdAt },
          },
        },
      ]);
      return signer;
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      // Another container created the tenant's key first: use theirs, retire ours.
      // By key id, not ARN: both are valid in KMS, moto 5.2 takes only the id here.
      await this.kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: created.KeyMetadata?.KeyId, PendingWindowInDays: 7 }),
      );
      const winner = await this.stored(tenantId);
      if (!winner) throw error;
      return new KmsAllowlistSigner(winner, this.kms);
    }
  }
}
