// The rules a certificate's details obey together (category of the scheme, dates in order,
// validity no longer than the scheme allows, the review inside the validity). Pure: the
// request schema applies them to a new certificate, a correction to the corrected whole.

import type { Scheme } from '../domain/scheme-rules.ts';
import { maxExpiresOn } from '../domain/status-rules.ts';
import { compareDates } from '../shared/calendar.ts';
import { checkCategory } from './categories.ts';

export interface CertificateDetails {
  scheme: Scheme;
  category: string;
  subType?: string | undefined;
  issuedOn: string;
  expiresOn: string;
  reviewDueOn?: string | null | undefined;
}

export interface DetailProblem {
  field: 'category' | 'subType' | 'expiresOn' | 'reviewDueOn';
  code:
    | 'unknown_category'
    | 'unknown_sub_type'
    | 'expires_before_issued'
    | 'validity_too_long'
    | 'review_outside_validity';
  params?: Record<string, string>;
}

export function categoryProblem(
  c: Pick<CertificateDetails, 'scheme' | 'category' | 'subType'>,
): DetailProblem | undefined {
  const category = checkCategory(c.scheme, c.category, c.subType);
  if (category.ok) return undefined;
  return {
    field: category.field,
    code: category.field === 'category' ? 'unknown_category' : 'unknown_sub_type',
    params: { allowed: category.allowed.join(', ') },
  };
}

/** The date rules, for well-formed dates. */
export function dateProblem(c: CertificateDetails): DetailProblem | undefined {
  if (compareDates(c.expiresOn, c.issuedOn) < 0) return { field: 'expiresOn', code: 'expires_before_issued' };
  const max = maxExpiresOn(c.scheme, c.issuedOn);
  if (max && compareDates(c.expiresOn, max) > 0)
    return { field: 'expiresOn', code: 'validity_too_long', params: { max } };
  if (
    c.reviewDueOn &&
    (compareDates(c.reviewDueOn, c.issuedOn) < 0 || compareDates(c.reviewDueOn, c.expiresOn) > 0)
  )
    return { field: 'reviewDueOn', code: 'review_outside_validity' };
  return undefined;
}
