// The certificate entity as stored and as the use cases and rules see it.

import type { Actor, Principal } from '../shared/auth/principal.ts';
import type { BlacklistHold } from './blacklist.ts';
import type { EngagementEnd } from './engagement.ts';
import type { PersonRecord } from './person.ts';
import type { Scheme } from './scheme-rules.ts';
import type { PersonStatus } from './status.ts';
import {
  type CertificateFacts,
  computePersonStatus,
  withBlacklist,
  withEngagementEnd,
  withViolationMarks,
} from './status-rules.ts';
import type { ReviewAtRisk, Suspension } from './suspension.ts';
import type { FieldMismatch, VerificationOutcome } from './verification-outcome.ts';

export interface CertificateRecord {
  tenantId: string;
  personId: string;
  certificateId: string;
  scheme: Scheme;
  category: string;
  categoryMappedFrom?: string;
  subType?: string;
  /** The number as shown: ID-like digit runs masked (a MEM number is "T" + the ID number). */
  numberMasked: string;
  /** Keyed hash of the normalised number: look-ups and the uniqueness guard. */
  numberHash: string;
  /** KMS ciphertext of the number, opened only to ask the registry. */
  numberCipher: string;
  issuedOn: string;
  expiresOn: string;
  reviewDueOn: string | null;
  reviewIntervalExtended: boolean;
  authority?: string;
  replacesCertificateId?: string;
  replacedByCertificateId?: string;
  revokedOn?: string;
  stamps?: {
    kind: 'review' | 'extension';
    reviewedOn?: string;
    extendedOn?: string;
    /** The review due date or expiry this stamp met (for the health report). */
    previousDeadline?: string;
    recordedAt: string;
  }[];
  verification?: StoredVerification;
  /** The forgery analysis of its image (O3): above the tenant's threshold it locks the certificate. */
  forgery?: StoredForgery;
  /** Moves on with every correction or stamp; absent on certificates stored before versions (1). */
  version?: number;
  /** Entered in error and voided: kept in the history, never counted again. */
  voided?: { at: string; by: string; reason: string };
  updatedAt?: string;
  createdAt: string;
  createdBy: string;
}

export const certificateVersion = (c: CertificateRecord) => c.version ?? 1;

/** A certificate as read and as it is to be stored (version + 1), with the holder's new status. */
export interface CertificateCorrection {
  person: PersonRecord;
  before: CertificateRecord;
  after: CertificateRecord;
  status: PersonStatus;
  /** What was wrong (a correction), kept in the audit record. */
  reason?: string;
}

/** The fields a correction may change, in the order the audit record lists them. */
export const CORRECTABLE_CERTIFICATE_FIELDS = [
  'scheme',
  'category',
  'categoryMappedFrom',
  'subType',
  'numberMasked',
  'numberHash',
  'numberCipher',
  'issuedOn',
  'expiresOn',
  'reviewDueOn',
  'reviewIntervalExtended',
  'authority',
] as const satisfies readonly (keyof CertificateRecord)[];

export function changedCertificateFields(before: CertificateRecord, after: CertificateRecord) {
  return CORRECTABLE_CERTIFICATE_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** What the forgery analysis found, and a person's decision on it. */
export interface StoredForgery {
  risk: number;
  signals: { code: string; confidence: number; detail?: Record<string, string | number> }[];
  analysedAt: string;
  imageKey: string;
  onboardingId?: string;
  /** pending_review: locked (red) until hr or a group admin decides. */
  state: 'clear' | 'pending_review' | 'genuine' | 'forged';
  review?: { decision: 'genuine' | 'forged'; note: string; by: string; at: string };
}

/** The registry checks of a certificate: the last attempt, and the last answer received. */
export interface StoredVerification {
  lastAttemptAt: string;
  lastAttemptResult: VerificationOutcome | 'unavailable';
  unavailableReason?: string;
  /** Last time the registry actually answered, and what it said. */
  lastAnsweredAt?: string;
  outcome?: VerificationOutcome;
  mismatches?: FieldMismatch[];
}

/** What the status engine reads of a stored certificate. */
export const certificateFacts = (c: CertificateRecord): CertificateFacts => ({
  certificateId: c.certificateId,
  scheme: c.scheme,
  category: c.category,
  subType: c.subType,
  issuedOn: c.issuedOn,
  expiresOn: c.expiresOn,
  reviewDueOn: c.reviewDueOn,
  revokedOn: c.revokedOn ?? null,
  replacesCertificateId: c.replacesCertificateId ?? null,
  verification:
    c.verification?.outcome && c.verification.lastAnsweredAt
      ? { outcome: c.verification.outcome, at: c.verification.lastAnsweredAt }
      : null,
  ...(c.forgery?.state === 'pending_review' || c.forgery?.state === 'forged'
    ? { forgery: c.forgery.state }
    : {}),
});

/** The certificates port: reads, and every write that stores the holder's new status with it. */
export interface CertificateRepository {
  /** The person's certificates in force: voided ones are left out, so no rule ever counts them. */
  listForPerson(tenantId: string, personId: string): Promise<CertificateRecord[]>;
  /** Every certificate of the person, voided ones too (the history a person's page shows). */
  historyOf(tenantId: string, personId: string): Promise<CertificateRecord[]>;
  /**
   * Stores a corrected certificate if it is still at `before`'s version (else
   * PreconditionFailed), with the holder's status, its natural-key guard and number index
   * moved when they change (Conflict when another certificate has the new key), and the
   * audit record of the changed fields (masked) — one transaction.
   */
  correct(principal: Principal, correction: CertificateCorrection, requestId: string): Promise<void>;
  /** Voids a certificate entered in error: kept, released from its guards, the status recomputed without it. */
  void(principal: Principal, correction: CertificateCorrection, requestId: string): Promise<void>;
  findByNumber(tenantId: string, numberHash: string): Promise<{ personId: string; certificateId: string }[]>;
  add(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    status: PersonStatus,
    requestId: string,
  ): Promise<void>;
  /** The registry's answer on the certificate and the recomputed status, in one transaction. */
  recordVerification(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    verification: StoredVerification,
    status: PersonStatus,
    requestId: string,
    now: Date,
  ): Promise<void>;
  /** Stores the forgery analysis (or a review of it) and the status it leads to. */
  recordForgery(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    forgery: StoredForgery,
    status: PersonStatus,
    action: 'certificate.forgery_analysis' | 'certificate.forgery_review',
    requestId: string,
    now: Date,
  ): Promise<void>;
  stamp(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    stamped: { reviewDueOn: string | null; expiresOn: string; stamp: Record<string, unknown> },
    status: PersonStatus,
    requestId: string,
  ): Promise<void>;
}

/**
 * The holder's status from their certificates (what every status write computes), and from
 * the end of their engagement when there is one (a terminated subcontractor, a departure):
 * stored like any status, so lists, the heat map and open tickets follow it.
 */
export function statusOf(
  certs: CertificateRecord[],
  today: string,
  thresholds: Parameters<typeof computePersonStatus>[2],
  /** What lies on the person beside their certificates (the person record has all four). */
  holds: {
    engagementEnd?: EngagementEnd;
    suspension?: Suspension;
    reviewAtRisk?: ReviewAtRisk;
    blacklist?: BlacklistHold;
  } = {},
) {
  const fromCertificates = computePersonStatus(certs.map(certificateFacts), today, thresholds);
  const since = holds.reviewAtRisk?.since;
  // A review passed on or after the mark has been decided by the authority: the risk is spent.
  const reviewedSince = (r: CertificateRecord | undefined) =>
    !!since && !!r?.stamps?.some((s) => s.kind === 'review' && !!s.reviewedOn && s.reviewedOn >= since);
  const mem = fromCertificates.certificates
    .map((c) => ({ c, record: certs.find((r) => r.certificateId === c.certificateId) }))
    .filter(({ c, record }) => c.current && record?.scheme === 'MEM' && !reviewedSince(record))
    .map(({ c }) => c.certificateId);
  return withBlacklist(
    withEngagementEnd(withViolationMarks(fromCertificates, holds, mem, today), holds.engagementEnd, today),
    holds.blacklist,
    today,
  );
}

/** What makes a certificate the same certificate (its natural key's parts): no number in clear. */
export const naturalKeyParts = (c: CertificateRecord) => [
  c.scheme,
  c.numberHash,
  c.category,
  c.subType ?? '-',
  c.issuedOn,
];
