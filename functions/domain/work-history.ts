// A person's work history as the person item keeps it, shared by whoever writes it (hr's
// declaration at registration or later) and whoever reads it (dispatch's practice rule),
// and the ports dispatch reads a person's gate-recorded work and permits through.

import type { CheckIn } from './fatigue.ts';

/** The person-item attributes holding the last declared practice in a work type, and its source. */
export const practiceAttributes = (workType: string) => ({
  date: `practice_${workType}`,
  source: `practiceSource_${workType}`,
});

/** hr's declaration of when a person last did a kind of work before the product knew them. */
export interface PracticeDeclaration<WorkType extends string = string> {
  workType: WorkType;
  lastPracticedOn: string;
  /** Where and for whom they worked (employer, project). */
  source: string;
  /** Where the evidence is kept, if any (the paper file, a previous employer's letter). */
  evidenceNote?: string;
}

/** A person's gate-recorded check-ins, newest last (the gates' scan store keeps them). */
export interface CheckInHistory {
  checkInsSince(tenantId: string, personId: string, since: Date): Promise<CheckIn[]>;
  latestCheckIns(tenantId: string, personId: string, limit?: number): Promise<CheckIn[]>;
}

/** A cross-site permit as dispatch weighs it: approved, to this site, for this window. */
export interface PermitWindow {
  permitId: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  toSiteId: string;
  from: string;
  to: string;
}

/** A person's cross-site permits (the permits' store keeps them, current through the workflow). */
export interface PermitsOfPerson {
  permitsOf(tenantId: string, personId: string): Promise<PermitWindow[]>;
}
