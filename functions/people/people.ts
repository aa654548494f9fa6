// People use cases: register a person (ID number validated, hashed, masked; unique per
// tenant), read one within the caller's scope, list by colour and site.
import type * as z from 'zod';
import type { CreatePersonBody, ListPeopleQuery } from '../../schemas/people.ts';
import type { Pseudonyms } from '../domain/person.ts';
import { computePersonStatus } from '../domain/status-rules.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { Forbidden, InvalidRequest } from '../shared/errors.ts';
import { hashIdNumber, maskIdNumber, normalizeIdNumber } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import type {
  Employer,
  PeoplePage,
  PeopleQuery,
  PersonRecord,
  PersonRepository,
} from './person-repository.ts';

export interface PeopleDeps {
  people: PersonRepository;
  idHashKey: () => Promise<string>;
  pseudonyms: Pick<Pseudonyms, 'of'>;
  /**
   * After registration: partners' blacklist entries on the person's pseudonym land on them
   * (O4); true when one did, so the answer is read back with the hold.
   */
  onRegistered?: (person: PersonRecord, requestId: string) => Promise<boolean>;
  clock: Clock;
}

function employerFor(principal: Principal, requested: Employer | undefined): Employer {
  if (principal.role !== 'subcontractor') return requested ?? { type: 'own' };
  // A subcontractor admin registers its own workers only.
  if (
    requested &&
    (requested.type !== 'subcontractor' || requested.subcontractorId !== principal.subcontractorId)
  ) {
    throw new Forbidden('role_not_allowed', { role: principal.role });
  }
  return { type: 'subcontractor', subcontractorId: principal.subcontractorId };
}

export async function registerPerson(
  deps: PeopleDeps,
  principal: Principal,
  body: z.output<typeof CreatePersonBody>,
  requestId: string,
): Promise<PersonRecord> {
  authorize(principal, 'person:create');
  // Declaring someone's past practice is hr's word, as it is later (the re-exam permission).
  if (body.practice?.length) authorize(principal, 'person:reexam');
  const now = deps.clock.now();
  const today = todayInShanghai(now);
  const future = (body.practice ?? []).flatMap((d, i) => (d.lastPracticedOn > today ? [i] : []));
  if (future.length)
    throw new InvalidRequest(
      'validation_failed',
      future.map((i) => ({
        field: `practice.${i}.lastPracticedOn`,
        code: 'practice_in_future',
        message: 'practice_in_future',
      })),
    );
  const idNumber = normalizeIdNumber(body.idNumber);
  const person: PersonRecord = {
    tenantId: principal.tenantId,
    personId: newId('per'),
    name: body.name,
    idHash: hashIdNumber(idNumber, await deps.idHashKey()),
    idNumberMasked: maskIdNumber(idNumber),
    pseudonym: await deps.pseudonyms.of(idNumber),
    ...(body.phone ? { phone: body.phone } : {}),
    ...(body.employeeId ? { employeeId: body.employeeId } : {}),
    employer: employerFor(principal, body.employer),
    ...(body.homeSiteId ? { homeSiteId: body.homeSiteId } : {}),
    // Nobody is cleared before a certificate is entered: a new person starts red.
    status: computePersonStatus([], todayInShanghai(now)),
    version: 1,
    createdAt: now.toISOString(),
    createdBy: principal.subject,
  };
  await deps.people.create(principal, person, requestId, body.practice);
  // A hold landed on them: read back with it, so the answer says so.
  if (await deps.onRegistered?.(person, requestId))
    return (await deps.people.get(person.tenantId, person.personId)) ?? person;
  return person;
}

export { findPerson } from '../domain/person.ts';

export async function listPeople(
  people: PersonRepository,
  principal: Principal,
  q: z.output<typeof ListPeopleQuery>,
): Promise<PeoplePage> {
  authorize(principal, 'person:list');
  const base = { color: q.color, departed: q.status === 'departed', cursor: q.cursor, limit: q.limit };
  // Who is on site now: a site manager sees everyone checked in at their sites (X1).
  const list = (query: PeopleQuery) =>
    q.onSite ? people.listOnSite(principal.tenantId, query) : people.list(principal.tenantId, query);
  if (principal.role === 'subcontractor') {
    if (q.onSite) return list({ ...base, siteId: q.siteId, subcontractorId: principal.subcontractorId });
    return people.list(principal.tenantId, {
      ...base,
      subcontractorId: principal.subcontractorId,
      homeSiteFilter: q.siteId,
    });
  }
  if (principal.role === 'site_manager') {
    const siteId = q.siteId ?? (principal.siteIds.length === 1 ? principal.siteIds[0] : undefined);
    if (!siteId) {
      throw new InvalidRequest('site_required', [
        { field: 'query.siteId', code: 'site_required', message: 'site_required' },
      ]);
    }
    if (!canSeeSite(principal, siteId)) throw new Forbidden('site_not_in_scope');
    return list({ ...base, siteId });
  }
  return list({ ...base, siteId: q.siteId });
}
