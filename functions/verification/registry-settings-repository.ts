// A tenant's connection to the registry gateway: its unified social credit code and,
// optionally, its client certificate for mTLS. The certificate itself never enters the
// table: it is kept in a secret named after the tenant (registry-client-certificates.ts);
// the settings item holds only what identifies it (subject, expiry, fingerprint).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { REGISTRY_SETTINGS_ITEM } from '../domain/entities.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { transact } from '../shared/dynamo/transactions.ts';
import { InvalidRequest } from '../shared/errors.ts';
import type { MessageCode } from '../shared/i18n/messages.ts';
import type { ClientCertificate, RegistryCredentials } from './registry.ts';
import type { RegistryClientCertificates } from './registry-client-certificates.ts';

/** What identifies a stored client certificate; safe to show and to keep in the table. */
export interface ClientCertificateInfo {
  subject: string;
  validTo: string;
  fingerprintSha256: string;
}

export interface RegistrySettings {
  unifiedSocialCreditCode: string;
  clientCertificate?: ClientCertificateInfo;
  updatedAt: string;
}

const certificateError = (code: MessageCode) =>
  new InvalidRequest('validation_failed', [{ field: 'clientCertificate', code, message: code }]);

/**
 * Checks that the PEMs are a certificate and the private key belonging to it; the error
 * never quotes either (a parser's message may carry part of the key).
 */
export function describeClientCertificate(pem: ClientCertificate): ClientCertificateInfo {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem.certificatePem);
  } catch {
    throw certificateError('certificate_unreadable');
  }
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(pem.privateKeyPem));
  } catch {
    throw certificateError('private_key_unreadable');
  }
  if (!matches) throw certificateError('private_key_mismatch');
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    validTo: new Date(certificate.validTo).toISOString(),
    fingerprintSha256: certificate.fingerprint256,
  };
}

export class RegistrySettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clientCertificates: RegistryClientCertificates,
  ) {}

  async get(tenantId: string): Promise<RegistrySettings | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.settings(tenantId, 'registry') }),
    );
    if (!out.Item) return undefined;
    // Items written before the certificate moved to a tenant-named secret may still hold a
    // free-form `clientCertificateSecretId`: it is ignored, never read.
    const { unifiedSocialCreditCode, clientCertificate, updatedAt } = parseItem<RegistrySettings>(
      REGISTRY_SETTINGS_ITEM,
      'registry settings',
      out.Item,
    );
    return { unifiedSocialCreditCode, ...(clientCertificate ? { clientCertificate } : {}), updatedAt };
  }

  /**
   * Saves the connection. `certificate`: new PEMs to store, `null` to stop using one,
   * undefined to keep the current one.
   */
  async save(
    principal: Principal,
    input: { unifiedSocialCreditCode: string; clientCertificate?: ClientCertificate | null },
    at: string,
    requestId: string,
  ): Promise<RegistrySettings> {
    let info: ClientCertificateInfo | undefined;
    if (input.clientCertificate) {
      info = describeClientCertificate(input.clientCertificate);
      await this.clientCertificates.store(principal.tenantId, input.clientCertificate);
    } else if (input.clientCertificate === undefined) {
      info = (await this.get(principal.tenantId))?.clientCertificate;
    }
    const settings: RegistrySettings = {
      unifiedSocialCreditCode: input.unifiedSocialCreditCode,
      ...(info ? { clientCertificate: info } : {}),
      updatedAt: at,
    };
    await transact(this.db, [
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
        new Date(at),
      ),
    ]);
    return settings;
  }

  /** The credentials to call the registry with, or undefined when the tenant is not connected. */
  async credentials(tenantId: string): Promise<RegistryCredentials | undefined> {
    const s = await this.get(tenantId);
    if (!s) return undefined;
    const base = { tenantId, unifiedSocialCreditCode: s.unifiedSocialCreditCode };
    if (!s.clientCertificate) return base;
    const clientCertificate = await this.clientCertificates.read(tenantId);
    return clientCertificate ? { ...base, clientCertificate } : undefined;
  }
}
