// Where a tenant's registry client certificate (mTLS PEMs) is kept: a Secrets Manager
// secret whose name is derived from the tenant, never taken from input, so no tenant can
// point the service at another tenant's secret. In AWS every secret call is made with
// credentials of a tenant-scoped role assumed with the session tag `tenantId`; that role
// may touch only secrets tagged with the same tenant (infra/stacks/api-stack.ts), so even
// a bug here cannot read another tenant's certificate.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientCertificate } from './registry.ts';
import { registrySecretName, TENANT_TAG } from './registry-secret-names.ts';

export { registrySecretName } from './registry-secret-names.ts';

/** The stored secret could not be read as a certificate; carries no part of its value. */
export class ClientCertificateUnreadable extends Error {
  constructor() {
    super('registry client certificate secret is unreadable');
    this.name = 'ClientCertificateUnreadable';
  }
}

export interface RegistryClientCertificates {
  /** The tenant's certificate, or undefined when none is stored. */
  read(tenantId: string): Promise<ClientCertificate | undefined>;
  store(tenantId: string, certificate: ClientCertificate): Promise<void>;
}

/** Parses a stored secret; never lets a parser error (which quotes its input) escape. */
export function parseClientCertificate(secret: string | undefined): ClientCertificate {
  let value: unknown;
  try {
    value = JSON.parse(secret ?? '');
  } catch {
    throw new ClientCertificateUnreadable();
  }
  const { certificatePem, privateKeyPem } = (value ?? {}) as Record<string, unknown>;
  if (typeof certificatePem !== 'string' || typeof privateKeyPem !== 'string') {
    throw new ClientCertificateUnreadable();
  }
  return { certificatePem, privateKeyPem };
}

interface ScopedClient {
  client: SecretsManagerClient;
  expiresAt: number;
}

export class SecretsManagerClientCertificates implements RegistryClientCertificates {
  private readonly scoped = new Map<string, Promise<ScopedClient>>();
  private sts?: STSClient;
  private unscoped?: SecretsManagerClient;

  /** `roleArn`: the tenant-scoped role; without it (local runtime) the function's own credentials. */
  constructor(private readonly roleArn?: string) {}

  private async clientFor(tenantId: string): Promise<SecretsManagerClient> {
    if (!this.roleArn) {
      this.unscoped ??= new SecretsManagerClient({});
      return this.unscoped;
    }
    const cached = await this.scoped.get(tenantId)?.catch(() => undefined);
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.client;
    this.sts ??= new STSClient({});
    const roleArn = this.roleArn;
    const pending = this.sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: `registry-${tenantId}`.slice(0, 64).replace(/[^\w+=,.@-]/g, '-'),
          Tags: [{ Key: TENANT_TAG, Value: tenantId }],
          DurationSeconds: 900,
        }),
      )
      .then(({ Credentials: c }) => {
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
        return {
          client: new SecretsManagerClient({
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

  async read(tenantId: string): Promise<ClientCertificate | undefined> {
    const client = await this.clientFor(tenantId);
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: registrySecretName(tenantId) }));
      return parseClientCertificate(out.SecretString);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async store(tenantId: string, certificate: ClientCertificate): Promise<void> {
    const client = await this.clientFor(tenantId);
    const SecretString = JSON.stringify(certificate);
    try {
      await client.send(
        new CreateSecretCommand({
          Name: registrySecretName(tenantId),
          SecretString,
          Tags: [{ Key: TENANT_TAG, Value: tenantId }],
          Description: 'Registry gateway client certificate of one tenant',
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      await client.send(new PutSecretValueCommand({ SecretId: registrySecretName(tenantId), SecretString }));
    }
  }
}
