// The person record every capability reads (SPEC L1): one master record per person of a
// tenant, with their status and any blacklist hold. Written by people and the status engine.
import type { BlacklistHold } from './blacklist.ts';
import type { PersonStatus } from './status.ts';

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
  employer: Employer;
  homeSiteId?: string;
  status: PersonStatus;
  /** The alliance pseudonym of the ID number (OPRF output, O4): how partners' entries find the person. */
  pseudonym?: string;
  /** An alliance blacklist entry's hold (O4): keeps the person out until it expires or is removed. */
  blacklist?: BlacklistHold;
  version: number;
  createdAt: string;
  createdBy: string;
}
