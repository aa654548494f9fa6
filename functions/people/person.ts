// The person record and its port live in functions/domain/person.ts; re-exported for the
// people capability's own modules.

export type { Employer, PeoplePage, PeopleQuery, PersonRecord, PersonRepository } from '../domain/person.ts';
