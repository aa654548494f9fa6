// Correcting a certificate entered wrongly (issue 28): its number, dates, category or
// scheme, checked as a whole as a new one would be, with the holder's status recomputed in
// the same transaction; and voiding one entered in error (kept in the history, never counted
// again, its number free to be entered correctly). Optimistic: the caller names the version
// it read (If-Match).
import type * as z from 'zod';
import type { UpdateCertificateBody } from '../../schemas/certificates.ts';
import {
  type CertificateRecord,
  certificateVersion,
  changedCertificateFields,
  statusOf,
} from '../domain/certificate.ts';
import type { ProtectedNumber } from '../domain/certificate-numbers.ts';
import { findPerson, type PersonRecord } from '../domain/person.ts';
import { STATUS_THRESHOLDS } from '../domain/settings.ts';
import { defaultReviewDueOn, type PersonStatus } from '../domain/status-rules.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound, PreconditionFailed } from '../shared/errors.ts';
import { checkCategory } from './categories.ts';
import { categoryProblem, dateProblem } from './certificate-checks.ts';
import { type CertificateDeps, checkMemNumber, fieldError } from './certificates.ts';

export type CertificateChanges = z.output<typeof UpdateCertificateBody>;

/** The fields whose change makes the registry's last answer about the certificate stale. */
const REGISTRY_FIELDS = ['scheme', 'category', 'subType', 'numberHash', 'issuedOn', 'expiresOn'] as const;

export interface CorrectedCertificate {
  certificate: CertificateRecord;
  /** The registry's last answer no longer applied: it is to be asked again. */
  recheck: boolean;
}

/** A certificate of the person as read (voided ones refused), at the version the caller read. */
async function certificateAt(
  deps: Pick<CertificateDeps, 'certificates'>,
  principal: Principal,
  personId: string,
  certificateId: string,
  expectedVersion: number,
) {
  const history = await deps.certificates.historyOf(principal.tenantId, personId);
  const cert = history.find((c) => c.certificateId === certificateId);
  if (!cert) throw new NotFound('certificate_not_found');
  if (cert.voided) throw new Conflict('certificate_voided');
  if (certificateVersion(cert) !== expectedVersion) throw new PreconditionFailed('stale_version');
  return { cert, inForce: history.filter((c) => !c.voided) };
}

/** The holder's status with `changed` in place of its stored self (left out when voided). */
async function statusWith(
  deps: Pick<CertificateDeps, 'settings'>,
  tenantId: string,
  inForce: CertificateRecord[],
  changed: CertificateRecord,
  today: string,
  holds: Pick<PersonRecord, 'engagementEnd' | 'suspension' | 'reviewAtRisk' | 'blacklist'>,
): Promise<PersonStatus> {
  const thresholds = await deps.settings.read(tenantId, STATUS_THRESHOLDS);
  const certs = inForce.flatMap((c) =>
    c.certificateId !== changed.certificateId ? [c] : changed.voided ? [] : [changed],
  );
  return statusOf(certs, today, thresholds, holds);
}

export async function correctCertificate(
  deps: CertificateDeps,
  principal: Principal,
  personId: string,
  certificateId: string,
  changes: CertificateChanges,
  expectedVersion: number,
  requestId: string,
): Promise<CorrectedCertificate> {
  authorize(principal, 'certificate:correct');
  let number: ProtectedNumber | undefined;
  return retryOnStale(async () => {
    const person = await findPerson(deps.people, principal, personId);
    const { cert, inForce } = await certificateAt(deps, principal, personId, certificateId, expectedVersion);
    const now = deps.clock.now();
    const scheme = changes.scheme ?? cert.scheme;
    const details = {
      scheme,
      category: changes.category ?? cert.categoryMappedFrom ?? cert.category,
      subType: changes.subType === null ? undefined : (changes.subType ?? cert.subType),
      issuedOn: changes.issuedOn ?? cert.issuedOn,
      expiresOn: changes.expiresOn ?? cert.expiresOn,
    };
    const category = categoryProblem(details);
    if (category) throw fieldError(category.field, category.code, category.params);
    const checked = checkCategory(details.scheme, details.category, details.subType);
    if (!checked.ok) throw fieldError(checked.field, 'unknown_category'); // categoryProblem refused it already
    const datesMoved =
      scheme !== cert.scheme ||
      details.issuedOn !== cert.issuedOn ||
      details.expiresOn !== cert.expiresOn ||
      (changes.reviewIntervalExtended ?? cert.reviewIntervalExtended) !== cert.reviewIntervalExtended;
    const reviewIntervalExtended = changes.reviewIntervalExtended ?? cert.reviewIntervalExtended;
    // A review date defaulted from the old dates follows them; a stamped card keeps what the stamps set.
    const reviewDueOn =
      changes.reviewDueOn !== undefined
        ? changes.reviewDueOn
        : datesMoved && !cert.stamps?.length
          ? defaultReviewDueOn(scheme, details.issuedOn, details.expiresOn, reviewIntervalExtended)
          : cert.reviewDueOn;
    const dates = dateProblem({ ...details, reviewDueOn });
    if (dates) throw fieldError(dates.field, dates.code, dates.params);
    if (scheme === 'MEM' && (changes.number !== undefined || cert.scheme !== 'MEM')) {
      const raw = changes.number ?? (await deps.numbers.reveal(cert.tenantId, cert.numberCipher));
      await checkMemNumber(raw, person, deps.idHashKey);
    }
    if (changes.number !== undefined)
      number ??= await deps.numbers.protect(principal.tenantId, changes.number);
    const numberChanged = number !== undefined && number.numberHash !== cert.numberHash;
    const { categoryMappedFrom: _m, subType: _s, authority: _a, verification: _v, ...rest } = cert;
    const after: CertificateRecord = {
      ...rest,
      scheme,
      category: checked.category,
      ...(checked.mappedFrom ? { categoryMappedFrom: checked.mappedFrom } : {}),
      ...(checked.subType ? { subType: checked.subType } : {}),
      ...(numberChanged && number ? number : {}),
      issuedOn: details.issuedOn,
      expiresOn: details.expiresOn,
      reviewDueOn,
      reviewIntervalExtended,
      ...(changes.authority === null
        ? {}
        : changes.authority || cert.authority
          ? { authority: changes.authority ?? cert.authority }
          : {}),
      ...(cert.verification ? { verification: cert.verification } : {}),
    };
    const fields = changedCertificateFields(cert, after);
    if (fields.length === 0) return { certificate: cert, recheck: false };
    const recheck = fields.some((f) => (REGISTRY_FIELDS as readonly string[]).includes(f));
    if (recheck) delete after.verification;
    const today = todayInShanghai(now);
    const next: CertificateRecord = {
      ...after,
      version: certificateVersion(cert) + 1,
      updatedAt: now.toISOString(),
    };
    const status = await statusWith(deps, principal.tenantId, inForce, next, today, person);
    await deps.certificates.correct(
      principal,
      { person, before: cert, after: next, status, ...(changes.reason ? { reason: changes.reason } : {}) },
      requestId,
    );
    return { certificate: next, recheck };
  });
}

export async function voidCertificate(
  deps: CertificateDeps,
  principal: Principal,
  personId: string,
  certificateId: string,
  reason: string,
  expectedVersion: number,
  requestId: string,
): Promise<CertificateRecord> {
  authorize(principal, 'certificate:void');
  return retryOnStale(async () => {
    const person = await findPerson(deps.people, principal, personId);
    const { cert, inForce } = await certificateAt(deps, principal, personId, certificateId, expectedVersion);
    const now = deps.clock.now();
    const next: CertificateRecord = {
      ...cert,
      voided: { at: now.toISOString(), by: principal.subject, reason },
      version: certificateVersion(cert) + 1,
      updatedAt: now.toISOString(),
    };
    const status = await statusWith(deps, principal.tenantId, inForce, next, todayInShanghai(now), person);
    await deps.certificates.void(principal, { person, before: cert, after: next, status }, requestId);
    return next;
  });
}
