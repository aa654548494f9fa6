// Correcting a person's record (issue 28): name (the old one kept as a former name), phone,
// staff number, home site, employer; and, by a group admin with a reason, the ID number —
// re-hashed, its alliance pseudonym recomputed, partners' entries on the new one landed and
// the certificates re-checked with the registry. Optimistic: the caller names the version
// it read (If-Match); a correction of an older one is refused and changes nothing.
import type * as z from 'zod';
import type { UpdatePersonBody } from '../../schemas/people.ts';
import {
  changedFields,
  findPerson,
  type PersonRecord,
  type PersonRepository,
  type Pseudonyms,
} from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { Forbidden, PreconditionFailed } from '../shared/errors.ts';
import { hashIdNumber, maskIdNumber, normalizeIdNumber } from '../shared/identity-numbers.ts';

export interface CorrectionDeps {
  people: PersonRepository;
  idHashKey: () => Promise<string>;
  pseudonyms: Pick<Pseudonyms, 'of'>;
  /** After an ID-number correction: partners' blacklist entries on the new pseudonym land (O4). */
  onRegistered?: (person: PersonRecord, requestId: string) => Promise<boolean>;
  /** After an ID-number correction: every certificate of the person asked of the registry again. */
  recheckRegistry?: (person: PersonRecord) => Promise<void>;
  clock: Clock;
}

/** Former names kept per person: enough for any real life, bounded for the item. */
export const MAX_FORMER_NAMES = 10;

export type PersonChanges = z.output<typeof UpdatePersonBody>;

export async function correctPerson(
  deps: CorrectionDeps,
  principal: Principal,
  personId: string,
  changes: PersonChanges,
  expectedVersion: number,
  requestId: string,
): Promise<PersonRecord> {
  authorize(principal, 'person:update');
  if (changes.idNumber !== undefined) authorize(principal, 'person:correct-identity');
  const before = await findPerson(deps.people, principal, personId);
  if (before.version !== expectedVersion) throw new PreconditionFailed('stale_version');
  if (
    principal.role === 'subcontractor' &&
    changes.employer &&
    (changes.employer.type !== 'subcontractor' ||
      changes.employer.subcontractorId !== principal.subcontractorId)
  ) {
    // A subcontractor admin corrects its own workers; moving them elsewhere is the tenant's word.
    throw new Forbidden('role_not_allowed', { role: principal.role });
  }
  const after = await corrected(deps, before, changes);
  const fields = changedFields(before, after);
  if (fields.length === 0) return before;
  const now = deps.clock.now().toISOString();
  const next: PersonRecord = { ...after, version: before.version + 1, updatedAt: now };
  const identityMoved = before.idHash !== next.idHash;
  await deps.people.correct(
    principal,
    { before, after: next, ...(identityMoved && changes.reason ? { reason: changes.reason } : {}) },
    requestId,
  );
  if (!identityMoved) return next;
  await deps.onRegistered?.(next, requestId);
  await deps.recheckRegistry?.(next);
  return (await deps.people.get(next.tenantId, next.personId)) ?? next;
}

/** The person as the changes leave them (version and time not yet moved). */
async function corrected(
  deps: CorrectionDeps,
  before: PersonRecord,
  changes: PersonChanges,
): Promise<PersonRecord> {
  const after: PersonRecord = { ...before };
  if (changes.name !== undefined && changes.name !== before.name) {
    after.name = changes.name;
    const former = [...(before.formerNames ?? []).filter((n) => n !== before.name), before.name];
    after.formerNames = former.filter((n) => n !== changes.name).slice(-MAX_FORMER_NAMES);
  }
  const optional = (field: 'phone' | 'employeeId' | 'homeSiteId', value: string | null | undefined) => {
    if (value === undefined) return;
    if (value === null) delete after[field];
    else after[field] = value;
  };
  optional('phone', changes.phone);
  optional('employeeId', changes.employeeId);
  optional('homeSiteId', changes.homeSiteId);
  if (changes.employer) {
    after.employer =
      changes.employer.type === 'own'
        ? { type: 'own' }
        : { type: 'subcontractor', subcontractorId: changes.employer.subcontractorId };
    // Moved away from a subcontractor whose contract ended: that end was not theirs to keep.
    const end = before.engagementEnd;
    if (end?.reason === 'subcontractor_terminated' && end.subcontractorId !== after.employer.subcontractorId)
      delete after.engagementEnd;
  }
  if (changes.idNumber !== undefined) {
    const idNumber = normalizeIdNumber(changes.idNumber);
    const idHash = hashIdNumber(idNumber, await deps.idHashKey());
    if (idHash !== before.idHash) {
      after.idHash = idHash;
      after.idNumberMasked = maskIdNumber(idNumber);
      after.pseudonym = await deps.pseudonyms.of(idNumber);
    }
  }
  return after;
}
