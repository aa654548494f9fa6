// A subcontractor as the other capabilities see it (admission, reports, notices), and its port.
import type { Principal } from '../shared/auth/principal.ts';
import type { CalendarDate } from '../shared/calendar.ts';
import type { EngagementEnd } from './engagement.ts';

export interface SubcontractorRecord {
  subcontractorId: string;
  name: string;
  unifiedSocialCreditCode: string;
  /** Kept whole for the notification channels; masked in every response. */
  contacts: { name: string; phone: string; role?: string }[];
  createdAt: string;
  usccCheckFailed?: boolean;
  /** The contract's end: its workers lose gate and dispatch access from `effectiveOn` (reversible). */
  termination?: Termination;
  /** Moves on with every correction or termination; absent before versions (1). */
  version?: number;
  updatedAt?: string;
}

export interface Termination {
  effectiveOn: CalendarDate;
  reason: string;
  recordedAt: string;
  recordedBy: string;
}

export const subcontractorVersion = (r: SubcontractorRecord) => r.version ?? 1;

/** What a correction may change. */
export type SubcontractorChanges = Partial<
  Pick<SubcontractorRecord, 'name' | 'unifiedSocialCreditCode' | 'contacts'>
>;

/** The engagement end a terminated subcontractor puts on each of its workers (none when not terminated). */
export function workerEngagementEnd(
  record: Pick<SubcontractorRecord, 'subcontractorId' | 'termination'>,
): EngagementEnd | undefined {
  return record.termination
    ? {
        on: record.termination.effectiveOn,
        reason: 'subcontractor_terminated',
        subcontractorId: record.subcontractorId,
      }
    : undefined;
}

export interface SubcontractorRepository {
  create(principal: Principal, record: SubcontractorRecord, requestId: string): Promise<void>;
  /**
   * Stores the subcontractor as `after` if it is still at `before`'s version (else
   * PreconditionFailed), moving its code's guard when the code changes (Conflict when another
   * has it), with the audit record (`action`, the changed fields before and after) — one transaction.
   */
  update(
    principal: Principal,
    before: SubcontractorRecord,
    after: SubcontractorRecord,
    action: 'subcontractor.update' | 'subcontractor.terminate' | 'subcontractor.reinstate',
    requestId: string,
  ): Promise<void>;
  get(tenantId: string, subcontractorId: string): Promise<SubcontractorRecord | undefined>;
  list(tenantId: string): Promise<SubcontractorRecord[]>;
}
