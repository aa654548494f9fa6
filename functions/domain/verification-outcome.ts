// What a registry answer means for one of our certificates (SPEC L2): valid, expired,
// revoked, not_found, mismatch (which fields) or name_review (the name differs only by
// romanisation or is a former name: a human should look). Pure.
import { compareDates } from '../shared/calendar.ts';
import { compareNames, type NameMatch, type Romanise } from './names.ts';
import type { RegistryRecord } from './registry-record.ts';

export type VerificationOutcome = 'valid' | 'expired' | 'revoked' | 'not_found' | 'mismatch' | 'name_review';

export interface FieldMismatch {
  field: 'holderName' | 'issuedOn' | 'expiresOn' | 'category' | 'subType' | 'idNumber';
  ours: string | null;
  registry: string | null;
  /** For names: how they differ. */
  nameMatch?: NameMatch;
}

export interface OurCertificate {
  scheme: string;
  number: string;
  category: string;
  subType?: string;
  issuedOn: string;
  expiresOn: string;
  holderName: string;
  /** The holder's names before a correction of our record. */
  holderFormerNames?: string[];
  holderIdNumberMasked: string;
}

export interface Verdict {
  outcome: VerificationOutcome;
  mismatches: FieldMismatch[];
  record?: RegistryRecord;
}

export function judge(
  ours: OurCertificate,
  records: RegistryRecord[],
  today: string,
  romanise: Romanise,
): Verdict {
  const sameNumber = records.filter(
    (r) => r.scheme === ours.scheme && r.number.toUpperCase() === ours.number.toUpperCase(),
  );
  const record =
    sameNumber.find((r) => r.category === ours.category && (r.subType ?? undefined) === ours.subType) ??
    sameNumber[0];
  if (!record) return { outcome: 'not_found', mismatches: [] };
  if (record.status === 'revoked') return { outcome: 'revoked', mismatches: [], record };

  const mismatches: FieldMismatch[] = [];
  const nameMatch = compareNames(
    ours.holderName,
    record.holderName,
    record.holderFormerNames,
    romanise,
    ours.holderFormerNames,
  );
  if (nameMatch !== 'same')
    mismatches.push({ field: 'holderName', ours: ours.holderName, registry: record.holderName, nameMatch });
  if (record.holderIdNumberMasked && record.holderIdNumberMasked !== ours.holderIdNumberMasked) {
    mismatches.push({
      field: 'idNumber',
      ours: ours.holderIdNumberMasked,
      registry: record.holderIdNumberMasked,
    });
  }
  for (const field of ['issuedOn', 'expiresOn', 'category'] as const) {
    if (record[field] !== ours[field]) mismatches.push({ field, ours: ours[field], registry: record[field] });
  }
  if ((record.subType ?? null) !== (ours.subType ?? null) && record.subType) {
    mismatches.push({ field: 'subType', ours: ours.subType ?? null, registry: record.subType });
  }
  const hard = mismatches.filter((m) => m.field !== 'holderName' || m.nameMatch === 'different');
  if (hard.length) return { outcome: 'mismatch', mismatches, record };
  if (record.status === 'expired' || compareDates(record.expiresOn, today) < 0)
    return { outcome: 'expired', mismatches, record };
  if (mismatches.length) return { outcome: 'name_review', mismatches, record };
  return { outcome: 'valid', mismatches, record };
}
