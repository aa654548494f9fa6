// The people function's routes (see schemas/route.ts).
import { Problem } from '../common.ts';
import {
  CreatePersonBody,
  DepartureBody,
  ListPeopleQuery,
  Person,
  PersonList,
  UpdatePersonBody,
} from '../people.ts';
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
  summary: 'One person (ID number masked); its version as the ETag a correction names in If-Match',
  responses: { 200: { description: 'Person (ETag header: its version)', schema: Person } },
});

const departureResponses = (what: string) => ({
  200: { description: `${what} (ETag header: its new version)`, schema: Person },
  409: { description: 'Already departed (record) or not departed (re-hire)', schema: Problem },
  412: { description: 'The person changed since it was read', schema: Problem },
  428: { description: 'No If-Match header', schema: Problem },
});

export const recordDeparture = route({
  operationId: 'recordDeparture',
  method: 'POST',
  path: '/people/{personId}/departure',
  capability: 'people',
  auth: true,
  summary:
    'A leaver (group_admin, hr): from leftOn refused at every gate (departed, offline lists too), put on no ticket, red; badges given back once the day has come. If-Match required',
  body: DepartureBody,
  responses: departureResponses('The person as departed'),
});

export const rehirePerson = route({
  operationId: 'rehirePerson',
  method: 'DELETE',
  path: '/people/{personId}/departure',
  capability: 'people',
  auth: true,
  summary: 'Re-hire (group_admin, hr): the same record back, as its certificates allow. If-Match required',
  responses: departureResponses('The person re-hired'),
});

export const updatePerson = route({
  operationId: 'updatePerson',
  method: 'PATCH',
  path: '/people/{personId}',
  capability: 'people',
  auth: true,
  summary:
    'Correct a person: name (the old one kept as a former name), phone, staff number, home site, employer (group_admin, hr; subcontractor for its own workers); the ID number only by a group_admin with a reason. If-Match with the ETag read is required',
  body: UpdatePersonBody,
  responses: {
    200: { description: 'The corrected person (ETag header: its new version)', schema: Person },
    409: { description: 'Another person of the tenant has this ID number', schema: Problem },
    412: {
      description: 'The person changed since it was read (If-Match names an older version)',
      schema: Problem,
    },
    428: { description: 'No If-Match header', schema: Problem },
  },
});
