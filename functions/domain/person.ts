// The person record every capability reads (SPEC L1): one master record per person of a
// tenant, with their status and any blacklist hold; and its port, PersonRepository, which
// the people capability's adapter implements and other capabilities are handed.
import { canSeePerson } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { NotFound } from '../shared/errors.ts';
import type { BlacklistHold } from './blacklist.ts';
import type { EngagementEnd } from './engagement.ts';
import type { PersonStatus } from './status.ts';
import type { ReviewAtRisk, Suspension } from './suspension.ts';
import type { PracticeDeclaration } from './work-history.ts';

export interface Employer {
  type: 'own' | 'subcontractor';
  subcontractorId?: string;
}

export interface PersonRecord {
  tenantId: string;
  personId: string;
  name: string;
  idHash: string;
  idNumberMasked: string;
  phone?: string;
  /** The tenant's own staff number (工号), if it keeps one. */
  employeeId?: string;
  /** Names the person was known by before a correction, oldest first (batch matching reads them). */
  formerNames?: string[];
  employer: Employer;
  homeSiteId?: string;
  status: PersonStatus;
  /** The alliance pseudonym of the ID number (OPRF output, O4): how partners' entries find the person. */
  pseudonym?: string;
  /** An alliance blacklist entry's hold (O4): keeps the person out until it expires or is removed. */
  blacklist?: BlacklistHold;
  /** Their subcontractor's contract terminated, or they left: out from that day (issue 28). */
  engagementEnd?: EngagementEnd;
  /** Suspended for training (E1): red and frozen from `since` until reinstated. */
  suspension?: Suspension;
  /** Two confirmed violations, or one serious: the MEM certificates' review at risk (Order 30 Art. 25). */
  reviewAtRisk?: ReviewAtRisk;
  /** A leaver whose retention ended (or who asked after it): personal data erased, figures kept. */
  erasedAt?: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
}

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
  /** The leavers (whose departure day has come) instead of the people by colour. */
  departed?: boolean;
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
  /**
   * Stores a corrected person if it is still at `before.version` (else PreconditionFailed):
   * the person with its list keys, a new ID number's guard and pseudonym (the old ones
   * released; Conflict when another person has the number), the participants' items, and the
   * audit record with the changed fields before and after (masked) — one transaction.
   */
  correct(actor: Actor, correction: PersonCorrection, requestId: string): Promise<void>;
}

/** A person as read and as it is to be stored (version + 1), with why, when the ID number changes. */
export interface PersonCorrection {
  before: PersonRecord;
  after: PersonRecord;
  reason?: string;
  /** What the audit record calls it (a correction unless said otherwise). */
  action?:
    | 'person.update'
    | 'person.departure'
    | 'person.rehire'
    | 'person.suspend'
    | 'person.review_at_risk'
    | 'person.course_completed'
    | 'person.reinstate';
}

/** Another capability's part of a correction (the gate view's masked name): items for the same transaction. */
export interface PersonCorrectionParticipant<Item> {
  items(correction: PersonCorrection): Item[];
}

/** The fields a correction may change, in the order the audit record lists them. */
export const CORRECTABLE_FIELDS = [
  'name',
  'formerNames',
  'phone',
  'employeeId',
  'homeSiteId',
  'employer',
  'idHash',
  'idNumberMasked',
  'pseudonym',
  'engagementEnd',
  'suspension',
  'reviewAtRisk',
] as const satisfies readonly (keyof PersonRecord)[];

/** The correctable fields whose values differ between two versions of a person. */
export function changedFields(before: PersonRecord, after: PersonRecord) {
  return CORRECTABLE_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** A person of the caller's tenant and scope; anything else is "not found". */
export async function findPerson(
  people: PersonRepository,
  principal: Principal,
  personId: string,
): Promise<PersonRecord> {
  const person = await people.get(principal.tenantId, personId);
  if (!person) throw new NotFound('person_not_found');
  if (canSeePerson(principal, person)) return person;
  // A site manager also sees anyone checked in at one of their sites right now (X1).
  if (principal.role === 'site_manager') {
    const site = await people.onSiteAt(principal.tenantId, personId);
    if (site && principal.siteIds.includes(site)) return person;
  }
  throw new NotFound('person_not_found');
}

/** Alliance pseudonyms of ID numbers (federation's OPRF keeps the key; registration asks it). */
export interface Pseudonyms {
  /** The pseudonym of one of our own people's ID numbers (base64url of the 32-byte PRF output). */
  of(idNumber: string): Promise<string>;
  /** A partner's blinded elements, evaluated with a proof (the serialized Evaluation, base64url). */
  evaluateBlinded(blinded: Uint8Array[]): Promise<string>;
  /** The public key partners verify evaluations with (SEC1 compressed, base64url). */
  publicKey(): Promise<string>;
}
