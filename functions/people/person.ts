// The person entity, its port (PersonRepository) and the index keys its status gives it:
// what use cases, the status writer and the adapters share, with no adapter in it.

import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status.ts';
import type { PracticeDeclaration } from '../domain/work-history.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { keys } from '../shared/dynamo/table-design.ts';

export type { Employer, PersonRecord } from '../domain/person.ts';

export interface PeoplePage {
  items: PersonRecord[];
  nextCursor?: string;
}

export interface PeopleQuery {
  siteId?: string;
  subcontractorId?: string;
  /** Applied as a filter inside an already-narrow partition (a subcontractor's people). */
  homeSiteFilter?: string;
  color?: string;
  cursor?: string;
  limit: number;
}

export interface PersonRepository {
  /** The person, their ID-number guard, the audit record and any declared practice, in one write. */
  create(
    principal: Principal,
    person: PersonRecord,
    requestId: string,
    practice?: readonly PracticeDeclaration[],
  ): Promise<void>;
  get(tenantId: string, personId: string): Promise<PersonRecord | undefined>;
  findByIdHash(tenantId: string, idHash: string): Promise<PersonRecord | undefined>;
  onSiteAt(tenantId: string, personId: string): Promise<string | undefined>;
  list(tenantId: string, query: PeopleQuery): Promise<PeoplePage>;
  listOnSite(tenantId: string, query: PeopleQuery): Promise<PeoplePage>;
  /** Every tenant's person whose ID number has this alliance pseudonym (O4: partner entries). */
  byPseudonym(pseudonym: string): Promise<{ tenantId: string; personId: string }[]>;
}

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
