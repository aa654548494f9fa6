import {
  createPerson,
  getPerson,
  listPeople as listPeopleRoute,
  recordDeparture as recordDepartureRoute,
  rehirePerson,
  updatePerson,
} from '../../schemas/routes/people.ts';
import { apiHandler } from '../api-handler.ts';
import {
  allianceOnRegistration,
  certificateRepository,
  departureDeps,
  idHashKey as hashKey,
  personRepository,
  pseudonyms,
  clock as systemClock,
  workQueue,
} from '../composition-root.ts';
import type { PersonRecord } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { errorForLog } from '../shared/error-log.ts';
import { etagOf, versionFromIfMatch } from '../shared/http/etag.ts';
import { on } from '../shared/http/handler.ts';
import { logger } from '../shared/logger.ts';
import { correctPerson } from './corrections.ts';
import { recordDeparture, rehire } from './departures.ts';
import { findPerson, listPeople, registerPerson } from './people.ts';
import { personView } from './person-view.ts';

const people = personRepository();
const idHashKey = hashKey();
const clock = systemClock();

/**
 * After an ID-number correction: each of the person's certificates asked of the registry
 * again, through the work queue's rate-limited registry path. A queue failure is logged,
 * never the correction's failure: the tenant's registry catch-up finds them too.
 */
async function recheckRegistry(person: PersonRecord) {
  const certificates = await certificateRepository().listForPerson(person.tenantId, person.personId);
  if (certificates.length === 0) return;
  await workQueue()
    .send(
      certificates.map((c) => ({
        type: 'verify-certificate' as const,
        tenantId: person.tenantId,
        personId: person.personId,
        certificateId: c.certificateId,
      })),
    )
    .catch((error: unknown) =>
      logger.error('could not queue the registry re-check', { error: errorForLog(error) }),
    );
}

export const handler = apiHandler([
  on(createPerson, async ({ principal, body, requestId }) => {
    const person = await registerPerson(
      { people, idHashKey, pseudonyms: pseudonyms(), onRegistered: allianceOnRegistration(), clock },
      principal,
      body,
      requestId,
    );
    return { status: 201, body: personView(person), headers: { location: `/people/${person.personId}` } };
  }),
  on(getPerson, async ({ principal, params }) => {
    authorize(principal, 'person:read');
    const person = await findPerson(people, principal, params.personId);
    return { status: 200, body: personView(person), headers: { etag: etagOf(person.version) } };
  }),
  on(recordDepartureRoute, async ({ principal, params, body, ifMatch, requestId }) => {
    authorize(principal, 'person:depart');
    const version = versionFromIfMatch(ifMatch);
    const person = await recordDeparture(
      departureDeps(),
      principal,
      params.personId,
      body,
      version,
      requestId,
    );
    return { status: 200, body: personView(person), headers: { etag: etagOf(person.version) } };
  }),
  on(rehirePerson, async ({ principal, params, ifMatch, requestId }) => {
    authorize(principal, 'person:depart');
    const version = versionFromIfMatch(ifMatch);
    const person = await rehire(departureDeps(), principal, params.personId, version, requestId);
    return { status: 200, body: personView(person), headers: { etag: etagOf(person.version) } };
  }),
  on(updatePerson, async ({ principal, params, body, ifMatch, requestId }) => {
    authorize(principal, 'person:update');
    const person = await correctPerson(
      {
        people,
        idHashKey,
        pseudonyms: pseudonyms(),
        onRegistered: allianceOnRegistration(),
        recheckRegistry,
        clock,
      },
      principal,
      params.personId,
      body,
      versionFromIfMatch(ifMatch),
      requestId,
    );
    return { status: 200, body: personView(person), headers: { etag: etagOf(person.version) } };
  }),
  on(listPeopleRoute, async ({ principal, query }) => {
    const page = await listPeople(people, principal, query);
    return {
      status: 200,
      body: {
        items: page.items.map((p) => personView(p)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    };
  }),
]);
