// Storing a person's status as of today after something other than a certificate changed
// it (their engagement ended or was restored): computed the one way every status write
// computes it, and stored through the status write (history, notices, gate view, heat
// counts, open tickets, events) — or nothing, when it is what the person already carries.
import type { Actor } from '../shared/auth/principal.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { type CertificateRepository, statusOf } from './certificate.ts';
import type { PersonRepository } from './person.ts';
import { STATUS_THRESHOLDS, type TenantSettings } from './settings.ts';
import { type StatusCause, type StatusStore, statusDiffers } from './status-write.ts';

export interface CurrentStatusDeps {
  people: Pick<PersonRepository, 'get'>;
  certificates: Pick<CertificateRepository, 'listForPerson'>;
  settings: TenantSettings;
  statusStore: StatusStore;
  /** The time now (the caller's clock). */
  now: () => Date;
}

export async function storeCurrentStatus(
  deps: CurrentStatusDeps,
  actor: Actor,
  personId: string,
  cause: StatusCause,
  requestId: string,
): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const person = await deps.people.get(actor.tenantId, personId);
    if (!person) return;
    const [certs, thresholds] = await Promise.all([
      deps.certificates.listForPerson(actor.tenantId, personId),
      deps.settings.read(actor.tenantId, STATUS_THRESHOLDS),
    ]);
    const now = deps.now();
    const status = statusOf(certs, todayInShanghai(now), thresholds, person);
    if (!statusDiffers(person, status)) return;
    // Lost a race with another write: read again and recompute.
    if (await deps.statusStore.save(actor, person, status, cause, requestId, now)) return;
  }
}
