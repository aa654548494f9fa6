// Admission of an outside worker (SPEC O1), as pure rules: what each step's evidence means
// and what the flow's state is. A low face similarity or an unreadable card goes to a
// person for review — the product never takes away a worker's access on a score alone —
// while evidence that names someone else (a spoofed liveness, another ID number on the
// card, the police saying name and number do not belong together) refuses admission,
// which a reviewer can still overturn.
import { type CalendarDate, isCalendarDate } from '../shared/calendar.ts';
import { normalizeIdNumber, residentIdProblem } from '../shared/identity-numbers.ts';

/** The tenant's thresholds (0–100); a score at or above passes. */
export { DEFAULT_ONBOARDING_THRESHOLDS, type OnboardingThresholds } from '../domain/settings.ts';

export type StepStatus = 'pending' | 'passed' | 'review' | 'failed';
export const STEPS = ['liveness', 'faceMatch', 'document', 'registry', 'identity'] as const;
export type StepName = (typeof STEPS)[number];

export interface StepOutcome {
  status: StepStatus;
  /** Why, when not passed: a stable code (messages.ts). */
  reason?: string;
  at: string;
}

export type FlowStatus = 'in_progress' | 'review' | 'admitted' | 'refused';

export interface LivenessResult {
  status: 'CREATED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';
  confidence?: number;
}

/** Rekognition's answer against the tenant's confidence threshold (0–100). */
export function livenessOutcome(result: LivenessResult, threshold: number): Omit<StepOutcome, 'at'> {
  switch (result.status) {
    case 'SUCCEEDED':
      return (result.confidence ?? 0) >= threshold
        ? { status: 'passed' }
        : { status: 'failed', reason: 'liveness_low_confidence' };
    case 'FAILED':
      return { status: 'failed', reason: 'liveness_failed' };
    case 'EXPIRED':
      return { status: 'failed', reason: 'liveness_session_expired' };
    default:
      return { status: 'pending' };
  }
}

/** CompareFaces' best similarity (undefined: no face found) against the tenant's threshold. */
export function faceMatchOutcome(similarity: number | undefined, threshold: number): Omit<StepOutcome, 'at'> {
  if (similarity === undefined) return { status: 'review', reason: 'face_not_found' };
  return similarity >= threshold ? { status: 'passed' } : { status: 'review', reason: 'face_similarity_low' };
}

export interface CertificateFields {
  certificateNumber?: string;
  idNumber?: string;
  dates: CalendarDate[];
}

const DATE = /(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})/g;
// "T" + 18-character ID (MEM), allowing OCR's spaces between groups.
const MEM_NUMBER = /T\s*((?:\d\s*){17}[\dX])/i;
const ID_NUMBER = /(?<![\dA-Z])((?:\d\s*){17}[\dX])(?![\dA-Z])/gi;

/**
 * What can be read off a certificate in Latin script: Textract reads no Chinese, so the
 * number, the ID number and dates in digits. A QR payload, where the card has one, is read
 * first and wins: it was written by the issuer, not guessed from pixels.
 */
export function certificateFields(lines: readonly string[], qrText?: string): CertificateFields {
  const fromText = (text: string): CertificateFields => {
    const folded = text.normalize('NFKC').toUpperCase();
    const mem = MEM_NUMBER.exec(folded)?.[1]?.replace(/\s/g, '');
    const ids = [...folded.matchAll(ID_NUMBER)]
      .map((m) => normalizeIdNumber((m[1] as string).replace(/\s/g, '')))
      .filter((id) => !residentIdProblem(id));
    const dates = [...folded.matchAll(DATE)]
      .map(([, y, m, d]) => `${y}-${(m as string).padStart(2, '0')}-${(d as string).padStart(2, '0')}`)
      .filter(isCalendarDate) as CalendarDate[];
    const idNumber = mem && !residentIdProblem(mem) ? mem : ids[0];
    return {
      ...(mem ? { certificateNumber: `T${mem}` } : {}),
      ...(idNumber ? { idNumber } : {}),
      dates: [...new Set(dates)].sort(),
    };
  };
  const ocr = fromText(lines.join('\n'));
  if (!qrText) return ocr;
  const qr = fromText(qrText);
  return {
    ...ocr,
    ...(qr.certificateNumber ? { certificateNumber: qr.certificateNumber } : {}),
    ...(qr.idNumber ? { idNumber: qr.idNumber } : {}),
    dates: qr.dates.length ? qr.dates : ocr.dates,
  };
}

/** How what was read compares with what was typed (the stored certificate and person). */
export interface DocumentComparison {
  /** Undefined: not read. */
  numberMatches?: boolean;
  idNumberMatches?: boolean;
  dates: CalendarDate[];
  issuedOn: string;
  expiresOn: string;
}

export function documentOutcome(c: DocumentComparison): Omit<StepOutcome, 'at'> & {
  mismatches: string[];
  unreadable: string[];
} {
  const mismatches = [
    ...(c.numberMatches === false ? ['certificate_number'] : []),
    ...(c.idNumberMatches === false ? ['id_number'] : []),
  ];
  const unreadable = [
    ...(c.numberMatches === undefined ? ['certificate_number'] : []),
    ...(c.idNumberMatches === undefined ? ['id_number'] : []),
    ...(c.dates.length ? [] : ['dates']),
  ];
  // Dates are where OCR errs most: a typed date not among those read is for a person to look at.
  const datesDiffer =
    c.dates.length > 0 &&
    !(c.dates.includes(c.expiresOn as CalendarDate) && c.dates.includes(c.issuedOn as CalendarDate));
  if (datesDiffer) mismatches.push('dates');
  if (c.numberMatches === false || c.idNumberMatches === false)
    return { status: 'failed', reason: 'document_names_someone_else', mismatches, unreadable };
  if (c.numberMatches === undefined && c.idNumberMatches === undefined)
    return { status: 'review', reason: 'document_unreadable', mismatches, unreadable };
  if (datesDiffer) return { status: 'review', reason: 'document_dates_differ', mismatches, unreadable };
  return { status: 'passed', mismatches, unreadable };
}

/** The registry's answer about the certificate (the verification capability's outcome). */
export function registryOutcome(outcome: string | undefined, unavailable: boolean): Omit<StepOutcome, 'at'> {
  if (unavailable) return { status: 'pending', reason: 'registry_unavailable' };
  switch (outcome) {
    case 'valid':
      return { status: 'passed' };
    case 'name_review':
    case 'mismatch':
      return { status: 'review', reason: `registry_${outcome}` };
    default:
      return { status: 'failed', reason: `registry_${outcome ?? 'no_answer'}` };
  }
}

/** The identity authority's answer (police check of name + ID number). */
export function identityOutcome(answer: 'match' | 'no_match' | 'unavailable'): Omit<StepOutcome, 'at'> {
  if (answer === 'match') return { status: 'passed' };
  if (answer === 'no_match') return { status: 'failed', reason: 'identity_no_match' };
  return { status: 'pending', reason: 'identity_unavailable' };
}

/**
 * The flow's state from its steps: refused on the first failed step, admitted when all
 * passed, under review when a step waits for a person, otherwise in progress. A reviewer's
 * decision, once made, is final.
 */
export function flowStatus(
  steps: Partial<Record<StepName, StepOutcome>>,
  review?: { decision: 'admit' | 'refuse' },
): { status: FlowStatus; reason?: string } {
  if (review)
    return review.decision === 'admit'
      ? { status: 'admitted' }
      : { status: 'refused', reason: 'refused_on_review' };
  const failed = STEPS.find((s) => steps[s]?.status === 'failed');
  if (failed) return { status: 'refused', reason: steps[failed]?.reason ?? `${failed}_failed` };
  if (STEPS.every((s) => steps[s]?.status === 'passed')) return { status: 'admitted' };
  if (STEPS.some((s) => steps[s]?.status === 'review')) return { status: 'review' };
  return { status: 'in_progress' };
}
