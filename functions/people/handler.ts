import { createPerson, getPerson, listPeople as listPeopleRoute } from '../../schemas/routes.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { tableName } from '../shared/config.ts';
import { createDocumentClient } from '../shared/dynamo/client.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { getIdHashKey } from '../shared/secrets.ts';
import { findPerson, listPeople, registerPerson } from './people.ts';
import { DynamoPersonRepository } from './person-repository.ts';
import { personView } from './person-view.ts';

const people = new DynamoPersonRepository(createDocumentClient(), tableName());

export const handler = httpHandler([
  on(createPerson, async ({ principal, body, requestId }) => {
    const person = await registerPerson({ people, idHashKey: getIdHashKey }, principal, body, requestId);
    return { status: 201, body: personView(person), headers: { location: `/people/${person.personId}` } };
  }),
  on(getPerson, async ({ principal, params }) => {
    authorize(principal, 'person:read');
    return { status: 200, body: personView(await findPerson(people, principal, params.personId ?? '')) };
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
