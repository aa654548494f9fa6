// The ledger import's writes, wired to the same use cases the API runs (registration and
// corrections of people, certificates entered and corrected, badges bound), so a row
// imported obeys every rule a single request does. An entry point: it may import capabilities.
import { addCertificate } from '../certificates/certificates.ts';
import { correctCertificate } from '../certificates/corrections.ts';
import {
  allianceOnRegistration,
  badgeRepository,
  certificateNumbers,
  certificateRepository,
  clock,
  idHashKey,
  importReferences,
  importStore,
  personRepository,
  pseudonyms,
  settingsRepository,
  statusStore,
  workQueue,
} from '../composition-root.ts';
import { readOncePerChunk } from '../domain/settings.ts';
import type { LedgerWrites } from '../imports/imports.ts';
import { correctPerson } from '../people/corrections.ts';
import { registerPerson } from '../people/people.ts';
import { errorForLog } from '../shared/error-log.ts';
import { logger } from '../shared/logger.ts';

export function ledgerWrites(): LedgerWrites {
  const people = personRepository();
  const certificates = certificateRepository();
  const numbers = certificateNumbers();
  const peopleDeps = {
    people,
    idHashKey: idHashKey(),
    pseudonyms: pseudonyms(),
    onRegistered: allianceOnRegistration(),
    clock: clock(),
  };
  const certificateDeps = {
    people,
    numbers,
    certificates,
    statusStore: statusStore(),
    settings: readOncePerChunk(settingsRepository()),
    idHashKey: idHashKey(),
    clock: clock(),
  };
  return {
    findByIdHash: (tenantId, idHash) => people.findByIdHash(tenantId, idHash),
    peopleByIdHash: (tenantId, idHashes) => people.findManyByIdHash(tenantId, idHashes),
    idHashKey: idHashKey(),
    references: importReferences(),
    register: (principal, body, requestId) =>
      registerPerson(peopleDeps, principal, body as Parameters<typeof registerPerson>[2], requestId),
    correct: (principal, personId, changes, version, requestId) =>
      correctPerson(peopleDeps, principal, personId, changes, version, requestId),
    certificatesOf: (tenantId, personId) => certificates.listForPerson(tenantId, personId),
    hashNumber: (number) => numbers.hash(number),
    enterCertificate: async (principal, personId, body, requestId) => {
      const cert = await addCertificate(
        certificateDeps,
        principal,
        personId,
        body as Parameters<typeof addCertificate>[3],
        requestId,
      );
      // Checked against the registry in the background, through its rate-limited path.
      await workQueue()
        .send([
          {
            type: 'verify-certificate',
            tenantId: principal.tenantId,
            personId,
            certificateId: cert.certificateId,
          },
        ])
        .catch((error: unknown) =>
          logger.error('could not queue the registry check', { error: errorForLog(error) }),
        );
      return cert;
    },
    correctCertificate: async (principal, personId, certificateId, changes, version, requestId) =>
      (
        await correctCertificate(
          certificateDeps,
          principal,
          personId,
          certificateId,
          changes,
          version,
          requestId,
        )
      ).certificate,
    badgeHolder: (tenantId, badgeUid) => badgeRepository().holder(tenantId, badgeUid),
    badgeHolders: (tenantId, badgeUids) => badgeRepository().holders(tenantId, badgeUids),
    // The use case binds only a badge it has just read unheld: not read a third time.
    bindBadge: async (principal, personId, badgeUid, requestId) => {
      await badgeRepository().bind(principal, personId, badgeUid, requestId, true);
    },
    imports: importStore(),
    clock: clock(),
  };
}
