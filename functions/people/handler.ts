import { createPerson, getPerson, listPeople as listPeopleRoute } from '../../schemas/routes/people.ts';
import { apiHandler } from '../api-handler.ts';
import {
  allianceOnRegistration,
  idHashKey as hashKey,
  personRepository,
  pseudonyms,
  clock as systemClock,
} from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { on } from '../shared/http/handler.ts';
import { findPerson, listPeople, registerPerson } from './people.ts';
import { personView } from './person-view.ts';

const people = personRepository();
const idHashKey = hashKey();
const clock = systemClock();

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
    return { status: 200, body: personView(await findPerson(people, principal, params.personId)) };
  }),
  on(listPeopleRoute, async ({ principal, query }) => {
    const page = await listPeople(people, principal, query);
    return {
      status: 200,
      body: {
        items: page.items.map(personView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    };
  }),
]);
