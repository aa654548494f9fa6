// The people function's routes (see schemas/route.ts).
import { CreatePersonBody, ListPeopleQuery, Person, PersonList } from '../people.ts';
import { Created, route } from '../route.ts';

export const createPerson = route({
  operationId: 'createPerson',
  method: 'POST',
  path: '/people',
  capability: 'people',
  auth: true,
  summary: 'Register a person (group_admin, hr, subcontractor for its own workers)',
  body: CreatePersonBody,
  responses: Created(Person, 'Person'),
});

export const listPeople = route({
  operationId: 'listPeople',
  method: 'GET',
  path: '/people',
  capability: 'people',
  auth: true,
  summary: 'People in scope, optionally by colour and home site; paginated',
  query: ListPeopleQuery,
  responses: { 200: { description: 'A page of people', schema: PersonList } },
});

export const getPerson = route({
  operationId: 'getPerson',
  method: 'GET',
  path: '/people/{personId}',
  capability: 'people',
  auth: true,
  summary: 'One person (ID number masked)',
  responses: { 200: { description: 'Person', schema: Person } },
});
