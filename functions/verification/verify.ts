import type { CertificateRecord, CertificateRepository, StoredVerification } from '../domain/certificate.ts';
import { statusOf } from '../domain/certificate.ts';
import type { CertificateNumberVault } from '../domain/certificate-numbers.ts';
import type { Romanise } from '../domain/names.ts';
import type { PersonRecord, PersonRepository } from '../domain/person.ts';
import type { RegistryChecks } from '../domain/registry-checks.ts';
import { STATUS_THRESHOLDS, type TenantSettings } from '../domain/settings.ts';
import type { PersonStatus } from '../domain/status.ts';
import { judge, type Verdict } from '../domain/verification-outcome.ts';
import type { Actor } from '../shared/audit.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { NotFound } from '../shared/errors.ts';
import {
  type CertificateRegistry,
  type RegistryCredentials,
  type RegistryQuery,
  type RegistryRecord,
  RegistryUnavailable,
} from './registry.ts';
import { ClientCertificateUnreadable } from './registry-client-certificates.ts';
import type { RegistrySettingsRepository } from './registry-settings-repository.ts';

export interface VerificationDeps {
  people: PersonRepository;
  certificates: CertificateRepository;
  settings: TenantSettings;
  registrySettings: RegistrySettingsRepository;
  registry: CertificateRegistry;
  numbers: CertificateNumberVault;
  /** Pinyin for name comparisons, loaded on the first one (a large dictionary). */
  romaniser: () => Promise<Romanise>;
  clock: Clock;
}

export interface VerificationResult {
  certificate: CertificateRecord;
  verification: StoredVerification;
  status: PersonStatus;
}

/** Asks the tenant's registry connection; "unavailable" (with its reason) instead of an error. */
export async function lookupRegistry(
  deps: Pick<VerificationDeps, 'registrySettings' | 'registry'>,
  tenantId: string,
  query: RegistryQuery,
): Promise<{ records: RegistryRecord[] } | { unavailable: string }> {
  let credentials: RegistryCredentials | undefined;
  try {
    credentials = await deps.registrySettings.credentials(tenantId);
  } catch (error) {
    // A secret that is not a certificate pair: say so, never echo what it held.
    if (error instanceof ClientCertificateUnreadable) return { unavailable: 'credentials_unreadable' };
    throw error;
  }
  if (!credentials) return { unavailable: 'not_configured' };
  try {
    return { records: await deps.registry.lookup(credentials, query) };
  } catch (error) {
    if (error instanceof RegistryUnavailable) return { unavailable: error.reason };
    throw error;
  }
}

async function askRegistry(
  deps: VerificationDeps,
  person: PersonRecord,
  cert: CertificateRecord,
  today: string,
) {
  // The number in clear exists only for the registry query and the comparison below.
  const number = await deps.numbers.reveal(person.tenantId, cert.numberCipher);
  const answer = await lookupRegistry(deps, person.tenantId, {
    scheme: cert.scheme,
    certificateNumber: number,
  });
  if ('unavailable' in answer) return answer;
  const ours = {
    ...cert,
    number,
    holderName: person.name,
    holderFormerNames: person.formerNames ?? [],
    holderIdNumberMasked: person.idNumberMasked,
  };
  return { verdict: judge(ours, answer.records, today, await deps.romaniser()) };
}

export function nextVerification(
  previous: StoredVerification | undefined,
  answer: { verdict: Verdict } | { unavailable: string },
  at: string,
): StoredVerification {
  if ('unavailable' in answer) {
    // Keep what the registry last said; record only that this attempt failed.
    return {
      ...previous,
      lastAttemptAt: at,
      lastAttemptResult: 'unavailable',
      unavailableReason: answer.unavailable,
    };
  }
  const { outcome, mismatches } = answer.verdict;
  return {
    lastAttemptAt: at,
    lastAttemptResult: outcome,
    lastAnsweredAt: at,
    outcome,
    ...(mismatches.length ? { mismatches } : {}),
  };
}

/** `person` must already be within the caller's scope (or the caller is a system job). */
/** Verification as the other capabilities' registry port (wired in the composition root). */
export const registryChecks = (deps: VerificationDeps): RegistryChecks => ({
  lookup: (tenantId, query) => lookupRegistry(deps, tenantId, query),
  verify: (actor, person, certificateId, requestId) =>
    verifyCertificate(deps, actor, person, certificateId, requestId),
});

export async function verifyCertificate(
  deps: VerificationDeps,
  actor: Actor,
  person: PersonRecord,
  certificateId: string,
  requestId: string,
): Promise<VerificationResult> {
  const now = deps.clock.now();
  const today = todayInShanghai(now);
  let certs = await deps.certificates.listForPerson(person.tenantId, person.personId);
  let cert = certs.find((c) => c.certificateId === certificateId);
  if (!cert) throw new NotFound('certificate_not_found');
  const answer = await askRegistry(deps, person, cert, today);

  // The registry is asked once; if the person changed meanwhile, the same answer is applied
  // again to what is stored now.
  let reread = false;
  return retryOnStale(async () => {
    if (reread) {
      const fresh = await deps.people.get(person.tenantId, person.personId);
      if (!fresh) throw new NotFound('person_not_found');
      person = fresh;
      certs = await deps.certificates.listForPerson(person.tenantId, person.personId);
      cert = certs.find((c) => c.certificateId === certificateId);
      if (!cert) throw new NotFound('certificate_not_found');
    }
    reread = true;
    const current = cert as CertificateRecord;
    const verification = nextVerification(current.verification, answer, now.toISOString());
    const updated = { ...current, verification };
    const thresholds = await deps.settings.read(person.tenantId, STATUS_THRESHOLDS);
    const status = statusOf(
      certs.map((c) => (c.certificateId === certificateId ? updated : c)),
      today,
      thresholds,
      person,
    );
    await deps.certificates.recordVerification(
      actor,
      person,
      certificateId,
      verification,
      status,
      requestId,
      now,
    );
    return { certificate: updated, verification, status };
  });
}
