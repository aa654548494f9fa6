// A subcontractor as the other capabilities see it (admission, reports, notices), and its port.
import type { Principal } from '../shared/auth/principal.ts';

export interface SubcontractorRecord {
  subcontractorId: string;
  name: string;
  unifiedSocialCreditCode: string;
  /** Kept whole for the notification channels; masked in every response. */
  contacts: { name: string; phone: string; role?: string }[];
  createdAt: string;
  usccCheckFailed?: boolean;
}

export interface SubcontractorRepository {
  create(principal: Principal, record: SubcontractorRecord, requestId: string): Promise<void>;
  get(tenantId: string, subcontractorId: string): Promise<SubcontractorRecord | undefined>;
  list(tenantId: string): Promise<SubcontractorRecord[]>;
}
