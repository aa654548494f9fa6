// A tenant's connection to the registry gateway: its unified social credit code and a
// reference to its client certificate (a Secrets Manager secret holding PEMs; the
// certificate itself never enters the table).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { RegistryCredentials } from './registry.ts';

export interface RegistrySettings {
  unifiedSocialCreditCode: string;
  clientCertificateSecretId?: string;
  updatedAt: string;
}

export class RegistrySettingsRepository {
  private secrets?: SecretsManagerClient;
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string): Promise<RegistrySettings | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.settings(tenantId, 'registry') }),
    );
    if (!out.Item) return undefined;
    const { unifiedSocialCreditCode, clientCertificateSecretId, updatedAt } = out.Item as RegistrySettings;
    return {
      unifiedSocialCreditCode,
      ...(clientCertificateSecretId ? { clientCertificateSecretId } : {}),
      updatedAt,
    };
  }

  async save(principal: Principal, settings: RegistrySettings, requestId: string): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.settings(principal.tenantId, 'registry'), entity: 'settings', ...settings },
            },
          },
          auditPut(
            this.table,
            principal,
            { action: 'settings.registry.put', entityType: 'settings', entityId: 'registry' },
            requestId,
          ),
        ],
      }),
    );
  }

  /** The credentials to call the registry with, or undefined when the tenant is not connected. */
  async credentials(tenantId: string): Promise<RegistryCredentials | undefined> {
    const s = await this.get(tenantId);
    if (!s) return undefined;
    if (!s.clientCertificateSecretId) return { tenantId, unifiedSocialCreditCode: s.unifiedSocialCreditCode };
    this.secrets ??= new SecretsManagerClient({});
    const secret = await this.secrets.send(
      new GetSecretValueCommand({ SecretId: s.clientCertificateSecretId }),
    );
    const pem = JSON.parse(secret.SecretString ?? '{}') as {
      certificatePem?: string;
      privateKeyPem?: string;
    };
    if (!pem.certificatePem || !pem.privateKeyPem) return undefined;
    return {
      tenantId,
      unifiedSocialCreditCode: s.unifiedSocialCreditCode,
      clientCertificate: { certificatePem: pem.certificatePem, privateKeyPem: pem.privateKeyPem },
    };
  }
}
