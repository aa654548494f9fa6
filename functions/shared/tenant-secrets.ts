// A tenant's own secrets (registry client certificate, notification channel credentials):
// Secrets Manager secrets whose names are derived from the tenant, never taken from input,
// so no tenant can point the service at another tenant's secret. In AWS every call is made
// with credentials of a tenant-scoped role assumed with the session tag `tenantId`; that
// role may touch only secrets tagged with the same tenant (infra/stacks/api-stack.ts), so
// even a bug here cannot read another tenant's secret.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClient } from './aws-client-config.ts';
import { TENANT_TAG } from './tenant-secret-names.ts';

interface ScopedClient {
  client: SecretsManagerClient;
  expiresAt: number;
}

export class TenantSecrets {
  private readonly scoped = new Map<string, Promise<ScopedClient>>();
  private sts?: STSClient;
  private unscoped?: SecretsManagerClient;

  /** `roleArn`: the tenant-scoped role; without it (local runtime) the function's own credentials. */
  constructor(private readonly roleArn?: string) {}

  private async clientFor(tenantId: string): Promise<SecretsManagerClient> {
    if (!this.roleArn) {
      this.unscoped ??= awsClient(SecretsManagerClient);
      return this.unscoped;
    }
    const cached = await this.scoped.get(tenantId)?.catch(() => undefined);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.client;
    this.sts ??= awsClient(STSClient);
    const roleArn = this.roleArn;
    const pending = this.sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: `tenant-${tenantId}`.slice(0, 64).replace(/[^\w+=,.@-]/g, '-'),
          Tags: [{ Key: TENANT_TAG, Value: tenantId }],
          DurationSeconds: 900,
        }),
      )
      .then(({ Credentials: c }) => {
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
        return {
          client: awsClient(SecretsManagerClient, {
            credentials: {
              accessKeyId: c.AccessKeyId,
              secretAccessKey: c.SecretAccessKey,
              ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
            },
          }),
          expiresAt: c.Expiration?.getTime() ?? Date.now() + 900_000,
        };
      });
    // A container serves few tenants at a time; keep the map from growing without bound.
    if (this.scoped.size > 100) this.scoped.clear();
    this.scoped.set(tenantId, pending);
    return (await pending).client;
  }

  /** The secret's string, or undefined when none is stored. */
  async read(tenantId: string, name: string): Promise<string | undefined> {
    const client = await this.clientFor(tenantId);
    try {
      return (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async store(tenantId: string, name: string, value: string, description: string): Promise<void> {
    const client = await this.clientFor(tenantId);
    try {
      await client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: value,
          Tags: [{ Key: TENANT_TAG, Value: tenantId }],
          Description: description,
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    }
  }
}
