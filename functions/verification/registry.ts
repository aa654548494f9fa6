// The CertificateRegistry port (SPEC L2): how the product asks a national registry
// (through a licensed gateway; the official sites have no public API) about a
// certificate. Adapters: the HTTP gateway contract (registry-http.ts, docs/registry-contract.md)
// and, locally and in tests, the registry simulator speaking the same contract.
import * as z from 'zod';
import { SCHEMES } from '../certificates/scheme-rules.ts';
import { isCalendarDate } from '../shared/calendar.ts';

const date = z.string().refine(isCalendarDate);

export const RegistryRecord = z.object({
  scheme: z.enum(SCHEMES),
  number: z.string(),
  category: z.string(),
  subType: z.string().nullish(),
  holderName: z.string(),
  holderFormerNames: z.array(z.string()).default([]),
  /** Masked by the registry: first 4 and last 4 characters. */
  holderIdNumberMasked: z.string().nullish(),
  issuedOn: date,
  expiresOn: date,
  status: z.enum(['valid', 'expired', 'revoked']),
  revokedOn: date.nullish(),
  authority: z.string().nullish(),
});
export type RegistryRecord = z.infer<typeof RegistryRecord>;

export const RegistryResponse = z.object({ records: z.array(RegistryRecord) });

export interface RegistryQuery {
  scheme?: string;
  certificateNumber?: string;
  idNumber?: string;
}

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
