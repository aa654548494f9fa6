// What one batch row's check found, and whether a human must look at it. Pure.

import { compareNames, type Romanise } from '../domain/names.ts';
import type { RegistryRecord } from '../domain/registry-record.ts';
import type { VerificationOutcome } from '../domain/verification-outcome.ts';
import { compareDates } from '../shared/calendar.ts';

export type RowOutcome = VerificationOutcome | 'unavailable' | 'malformed';

export interface RowFinding {
  outcome: RowOutcome;
  /** Why, as codes: name_pinyin_variant, former_name, id_mismatch, not_in_tenant, … */
  reasons: string[];
  registryName?: string;
}

/** Rows a person must look at (the to-do list of L6). */
export function needsReview(outcome: RowOutcome): boolean {
  return ['not_found', 'mismatch', 'name_review', 'unavailable', 'malformed'].includes(outcome);
}

const SEVERITY: RowOutcome[] = [
  'valid',
  'name_review',
  'expired',
  'unavailable',
  'mismatch',
  'not_found',
  'revoked',
  'malformed',
];
export function worstOutcome(outcomes: RowOutcome[]): RowOutcome {
  return outcomes.reduce<RowOutcome>((w, o) => (SEVERITY.indexOf(o) > SEVERITY.indexOf(w) ? o : w), 'valid');
}

export function nameReason(
  ours: string,
  record: RegistryRecord,
  romanise: Romanise,
  ourFormerNames: readonly string[] = [],
): { outcome: RowOutcome; reason?: string } {
  const match = compareNames(ours, record.holderName, record.holderFormerNames, romanise, ourFormerNames);
  if (match === 'same') return { outcome: 'valid' };
  if (match === 'pinyin_variant') return { outcome: 'name_review', reason: 'name_pinyin_variant' };
  if (match === 'former_name') return { outcome: 'name_review', reason: 'former_name' };
  return { outcome: 'mismatch', reason: 'name_mismatch' };
}

/** A row's finding from the registry's records alone (the certificate or person is not ours). */
export function judgeRegistryOnly(
  records: RegistryRecord[],
  today: string,
  romanise: Romanise,
  name?: string,
): RowFinding {
  if (!records.length) return { outcome: 'not_found', reasons: ['not_in_registry'] };
  const reasons: string[] = [];
  const outcomes: RowOutcome[] = [];
  for (const r of records) {
    if (r.status === 'revoked') outcomes.push('revoked');
    else if (r.status === 'expired' || compareDates(r.expiresOn, today) < 0) outcomes.push('expired');
    else outcomes.push('valid');
    if (name) {
      const n = nameReason(name, r, romanise);
      if (n.reason && !reasons.includes(n.reason)) reasons.push(n.reason);
      outcomes.push(n.outcome);
    }
  }
  const first = records[0] as RegistryRecord;
  return { outcome: worstOutcome(outcomes), reasons, registryName: first.holderName };
}
