// The index keys a person's status gives them, and (re-exported) the person record and its
// port, which live in functions/domain/person.ts.

import type { PersonRecord } from '../domain/person.ts';
import { keys } from '../shared/dynamo/table-design.ts';

export type { Employer, PeoplePage, PeopleQuery, PersonRecord, PersonRepository } from '../domain/person.ts';

export function personIndexKeys(
  p: Pick<PersonRecord, 'tenantId' | 'personId' | 'homeSiteId' | 'employer'>,
  color: string,
) {
  return keys.personIndexes(p.tenantId, {
    personId: p.personId,
    color,
    homeSiteId: p.homeSiteId,
    subcontractorId: p.employer.type === 'subcontractor' ? p.employer.subcontractorId : undefined,
  });
}
