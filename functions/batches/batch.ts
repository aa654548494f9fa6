// A batch of rows to clean against the registry (SPEC L6), and who may see it.
import type { Principal } from '../shared/auth/principal.ts';
import { needsReview, type RowOutcome } from './row-outcome.ts';

export interface BatchMeta {
  batchId: string;
  fileName?: string;
  /** `registry`: certificates the registry never answered for, queued when it was connected. */
  format: 'text' | 'csv' | 'xlsx' | 'registry';
  status: 'processing' | 'completed';
  total: number;
  processed: number;
  counts: Partial<Record<RowOutcome, number>>;
  createdAt: string;
  createdBy: string;
  /** Uploaded by a subcontractor admin: only that subcontractor sees it and its rows match only its workers. */
  subcontractorId?: string;
  completedAt?: string;
}

export interface BatchRow {
  row: number;
  kind: 'certificate' | 'id' | 'malformed';
  /** Certificate number, or the ID number masked: raw ID numbers are never stored. */
  display: string;
  idHash?: string;
  name?: string;
  outcome?: RowOutcome;
  reasons?: string[];
  registryName?: string;
  personId?: string;
  certificateId?: string;
  needsReview?: boolean;
  checkedAt?: string;
}

/** What checking one row found, as stored on the row. */
export interface RowResult {
  outcome: RowOutcome;
  reasons: string[];
  registryName?: string;
  personId?: string;
  certificateId?: string;
}

/** Rows per queue message; each row is idempotent, so a retried chunk redoes only what failed. */
export const ROWS_PER_MESSAGE = 50;

/** A subcontractor admin uploads for its own workers only; every other role for the tenant. */
export const uploaderScope = (principal: Principal): { subcontractorId?: string } =>
  principal.role === 'subcontractor' && principal.subcontractorId
    ? { subcontractorId: principal.subcontractorId }
    : {};

/** Whether the caller may see a batch: a subcontractor admin only its subcontractor's. */
export function canSeeBatch(principal: Principal, batch: BatchMeta): boolean {
  if (principal.role !== 'subcontractor') return true;
  // Batches from before scopes were stored: only their uploader.
  if (!batch.subcontractorId) return batch.createdBy === principal.subject;
  return batch.subcontractorId === principal.subcontractorId;
}

/** A row as callers see it: no storage keys, no ID hash. */
export function rowView(r: BatchRow) {
  const {
    idHash: _h,
    pk: _pk,
    sk: _sk,
    entity: _e,
    ...view
  } = r as BatchRow & { pk?: string; sk?: string; entity?: string };
  return { ...view, needsReview: r.outcome ? needsReview(r.outcome) : false };
}
