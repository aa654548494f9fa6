// Where a tenant's registry client certificate (mTLS PEMs) is kept: one of the tenant's
// own secrets (shared/tenant-secrets.ts: tenant-derived name, tenant-scoped role).
import type { TenantSecrets } from '../shared/tenant-secrets.ts';
import type { ClientCertificate } from './registry.ts';
import { registrySecretName } from './registry-secret-names.ts';

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

export class SecretsManagerClientCertificates implements RegistryClientCertificates {
  constructor(private readonly secrets: TenantSecrets) {}

  async read(tenantId: string): Promise<ClientCertificate | undefined> {
    const secret = await this.secrets.read(tenantId, registrySecretName(tenantId));
    return secret === undefined ? undefined : parseClientCertificate(secret);
  }

  store(tenantId: string, certificate: ClientCertificate): Promise<void> {
    return this.secrets.store(
      tenantId,
      registrySecretName(tenantId),
      JSON.stringify(certificate),
      'Registry gateway client certificate of one tenant',
    );
  }
}
