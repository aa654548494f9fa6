// The CertificateRegistry port (SPEC L2): how the product asks a national registry
// (through a licensed gateway; the official sites have no public API) about a
// certificate. Adapters: the HTTP gateway contract (registry-http.ts, docs/registry-contract.md)
// and, locally and in tests, the registry simulator speaking the same contract.
import * as z from 'zod';
import { RegistryRecord } from '../domain/registry-record.ts';

export { RegistryRecord } from '../domain/registry-record.ts';

export const RegistryResponse = z.object({ records: z.array(RegistryRecord) });

import type { RegistryQuery } from '../domain/registry-checks.ts';

export type { RegistryQuery };

export interface ClientCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface RegistryCredentials {
  tenantId: string;
  unifiedSocialCreditCode: string;
  clientCertificate?: ClientCertificate;
}

/** The registry could not answer (down, slow, throttled, garbage, not configured). */
export class RegistryUnavailable extends Error {
  constructor(
    readonly reason:
      | 'not_configured'
      | 'credentials_unreadable'
      | 'timeout'
      | 'http_error'
      | 'bad_response'
      | 'circuit_open'
      | 'rate_limited'
      | 'network',
    message?: string,
  ) {
    super(message ?? reason);
    this.name = 'RegistryUnavailable';
  }
}

export interface CertificateRegistry {
  /** Records matching the query; [] when the registry has none. Throws RegistryUnavailable. */
  lookup(credentials: RegistryCredentials, query: RegistryQuery): Promise<RegistryRecord[]>;
}
