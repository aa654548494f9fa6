// The registry as other capabilities ask it (batches, admission): a port verification
// implements with the tenant's credentials and rate limit, wired in the composition root.
import type { Actor } from '../shared/auth/principal.ts';
import type { CertificateRecord, StoredVerification } from './certificate.ts';
import type { PersonRecord } from './person.ts';
import type { RegistryRecord } from './registry-record.ts';

/** What the registry is asked by: a certificate number, an ID number, optionally a scheme. */
export interface RegistryQuery {
  scheme?: string;
  certificateNumber?: string;
  idNumber?: string;
}

/** The registry's records, or why it could not be asked (not configured, unreachable …). */
export type RegistryAnswer = { records: RegistryRecord[] } | { unavailable: string };

/**
 * Registry checks as other capabilities ask for them (batches, admission): verification
 * does them, with the tenant's credentials and its rate limit, and is wired in the
 * composition root.
 */
export interface RegistryChecks {
  lookup(tenantId: string, query: RegistryQuery): Promise<RegistryAnswer>;
  /** Asks about one stored certificate and stores the answer with the status it leads to. */
  verify(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    requestId: string,
  ): Promise<{ certificate: CertificateRecord; verification: StoredVerification }>;
}
