// Certificate use cases: enter a certificate or a renewal (L1, L4) and recompute the
// holder's status at once (L5, T+0); read certificates and status.

import type * as z from 'zod';
import type { CreateCertificateBody } from '../../schemas/certificates.ts';
import { statusOf } from '../domain/certificate.ts';
import type { CertificateNumberVault, ProtectedNumber } from '../domain/certificate-numbers.ts';
import type { PersonRecord, PersonRepository } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import { STATUS_THRESHOLDS, type TenantSettings } from '../domain/settings.ts';
import { defaultReviewDueOn, type PersonStatus } from '../domain/status-rules.ts';
import { type StatusStore, statusDiffers } from '../domain/status-write.ts';
import { systemActor } from '../shared/audit.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { Conflict, InvalidRequest, NotFound } from '../shared/errors.ts';
import type { MessageCode } from '../shared/i18n/messages.ts';
import { hashIdNumber } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import { checkCategory } from './categories.ts';
import type { CertificateRecord, CertificateRepository, StoredForgery } from './certificate-repository.ts';
import { applyStamp, type Stamp } from './stamps.ts';

export interface CertificateDeps {
  people: PersonRepository;
  numbers: CertificateNumberVault;
  certificates: CertificateRepository;
  statusStore: StatusStore;
  settings: TenantSettings;
  idHashKey: () => Promise<string>;
  clock: Clock;
}

const MAX_ATTEMPTS = 3;
const MEM_NUMBER = /^T(\d{17}[\dX])$/;

export { statusOf };

export const fieldError = (field: string, code: MessageCode, params?: Record<string, string>) =>
  new InvalidRequest('validation_failed', [{ field, code, message: code, ...(params ? { params } : {}) }]);

/** MEM certificate number = "T" + the holder's ID number (MEM Order No. 30): a cheap forgery check. */
export async function checkMemNumber(number: string, person: PersonRecord, idHashKey: () => Promise<string>) {
  const match = MEM_NUMBER.exec(number.toUpperCase());
  if (!match || hashIdNumber(match[1] as string, await idHashKey()) !== person.idHash) {
    throw fieldError('number', 'mem_number_mismatch');
  }
}

function checkRenewal(cert: CertificateRecord, existing: CertificateRecord[]) {
  if (!cert.replacesCertificateId) return;
  const old = existing.find((c) => c.certificateId === cert.replacesCertificateId);
  const sameKind =
    old && old.scheme === cert.scheme && old.category === cert.category && old.subType === cert.subType;
  if (!sameKind) throw fieldError('replacesCertificateId', 'replaced_certificate_mismatch');
}

export async function addCertificate(
  deps: CertificateDeps,
  principal: Principal,
  personId: string,
  body: z.output<typeof CreateCertificateBody>,
  requestId: string,
): Promise<CertificateRecord> {
  authorize(principal, 'certificate:create');
  const now = deps.clock.now();
  const category = checkCategory(body.scheme, body.category, body.subType);
  if (!category.ok) throw fieldError(category.field, 'unknown_category'); // the schema already refused this
  const certificateId = newId('cer');
  let number: ProtectedNumber | undefined;

  return retryOnStale(async () => {
    const person = await findPerson(deps.people, principal, personId);
    if (body.scheme === 'MEM') await checkMemNumber(body.number, person, deps.idHashKey);
    number ??= await deps.numbers.protect(principal.tenantId, body.number);
    const [existing, thresholds] = await Promise.all([
      deps.certificates.listForPerson(principal.tenantId, personId),
      deps.settings.read(principal.tenantId, STATUS_THRESHOLDS),
    ]);
    const cert: CertificateRecord = {
      tenantId: principal.tenantId,
      personId,
      certificateId,
      scheme: body.scheme,
      category: category.category,
      ...(category.mappedFrom ? { categoryMappedFrom: category.mappedFrom } : {}),
      ...(category.subType ? { subType: category.subType } : {}),
      ...number,
      issuedOn: body.issuedOn,
      expiresOn: body.expiresOn,
      reviewDueOn:
        body.reviewDueOn !== undefined
          ? body.reviewDueOn
          : defaultReviewDueOn(body.scheme, body.issuedOn, body.expiresOn, body.reviewIntervalExtended),
      reviewIntervalExtended: body.reviewIntervalExtended ?? false,
      ...(body.authority ? { authority: body.authority } : {}),
      ...(body.replacesCertificateId ? { replacesCertificateId: body.replacesCertificateId } : {}),
      createdAt: now.toISOString(),
      createdBy: principal.subject,
    };
    checkRenewal(cert, existing);
    const status = statusOf([...existing, cert], todayInShanghai(now), thresholds, person);
    await deps.certificates.add(principal, person, cert, status, requestId);
    return cert;
  });
}

/**
 * Reads a person's certificates, changes one and stores it with the status that follows,
 * in one transaction; read again when the person changed meanwhile (a status write is
 * version-guarded). `change` may refuse by throwing.
 */
async function changeCertificate(
  deps: Pick<CertificateDeps, 'people' | 'certificates' | 'settings' | 'clock'>,
  principal: Principal,
  personId: string,
  certificateId: string,
  change: (cert: CertificateRecord, now: Date, today: string) => CertificateRecord,
  store: (
    person: PersonRecord,
    cert: CertificateRecord,
    changed: CertificateRecord,
    status: PersonStatus,
    now: Date,
  ) => Promise<void>,
): Promise<CertificateRecord> {
  return retryOnStale(async () => {
    const person = await findPerson(deps.people, principal, personId);
    const [certs, thresholds] = await Promise.all([
      deps.certificates.listForPerson(principal.tenantId, personId),
      deps.settings.read(principal.tenantId, STATUS_THRESHOLDS),
    ]);
    const cert = certs.find((c) => c.certificateId === certificateId);
    if (!cert) throw new NotFound('certificate_not_found');
    const now = deps.clock.now();
    const today = todayInShanghai(now);
    const changed = change(cert, now, today);
    const status = statusOf(
      certs.map((c) => (c.certificateId === certificateId ? changed : c)),
      today,
      thresholds,
      person,
    );
    await store(person, cert, changed, status, now);
    return changed;
  });
}

/** Records a review or an extension stamped on a certificate, and recomputes the holder's status. */
export async function stampCertificate(
  deps: CertificateDeps,
  principal: Principal,
  personId: string,
  certificateId: string,
  stamp: Stamp,
  requestId: string,
): Promise<CertificateRecord> {
  authorize(principal, 'certificate:create');
  return changeCertificate(
    deps,
    principal,
    personId,
    certificateId,
    (cert, now, today) => {
      const result = applyStamp(cert, stamp, today);
      if (!result.ok) {
        const field = stamp.kind === 'review' ? 'reviewedOn' : 'extendedOn';
        throw fieldError(field, result.problem);
      }
      const previousDeadline = (stamp.kind === 'review' ? cert.reviewDueOn : cert.expiresOn) ?? undefined;
      return {
        ...cert,
        reviewDueOn: result.reviewDueOn,
        expiresOn: result.expiresOn,
        stamps: [...(cert.stamps ?? []), { ...stamp, previousDeadline, recordedAt: now.toISOString() }],
      };
    },
    (person, cert, stamped, status) => {
      // The stamp just appended, as the store records it (its time is the transaction's).
      const stamps = stamped.stamps as NonNullable<CertificateRecord['stamps']>;
      const { recordedAt: _, ...recorded } = stamps[stamps.length - 1] as (typeof stamps)[number];
      return deps.certificates.stamp(
        principal,
        person,
        cert,
        { reviewDueOn: stamped.reviewDueOn, expiresOn: stamped.expiresOn, stamp: recorded },
        status,
        requestId,
      );
    },
  );
}

export async function listCertificates(deps: CertificateDeps, principal: Principal, personId: string) {
  authorize(principal, 'certificate:read');
  await findPerson(deps.people, principal, personId);
  // The history: voided certificates too, marked as such.
  const certs = await deps.certificates.historyOf(principal.tenantId, personId);
  return certs.sort(
    (a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.certificateId.localeCompare(b.certificateId),
  );
}

/**
 * Status as of today. The stored status is what lists and the gate read; when today's
 * computation differs (a date passed, thresholds changed) it is stored at once.
 */
export async function currentStatus(
  deps: CertificateDeps,
  principal: Principal,
  personId: string,
  requestId: string,
): Promise<PersonStatus> {
  authorize(principal, 'person:read');
  for (let attempt = 1; ; attempt++) {
    const person = await findPerson(deps.people, principal, personId);
    const [certs, thresholds] = await Promise.all([
      deps.certificates.listForPerson(principal.tenantId, personId),
      deps.settings.read(principal.tenantId, STATUS_THRESHOLDS),
    ]);
    const status = statusOf(certs, deps.clock.today(), thresholds, person);
    if (!statusDiffers(person, status)) return status;
    // A date passed or thresholds changed since it was stored: store it now, with the
    // events a colour change sets off. Losing a race means someone stored a newer one.
    // Recorded as the system's doing: a read-only caller (an auditor) triggers it, it does not author it.
    const saved = await deps.statusStore.save(
      systemActor(principal.tenantId, 'status-read'),
      person,
      status,
      'status.read',
      requestId,
      deps.clock.now(),
    );
    if (saved || attempt >= MAX_ATTEMPTS) return status;
  }
}

/** What callers see of a certificate: everything but storage keys and the tenant. */
export function certificateView(c: CertificateRecord) {
  return {
    certificateId: c.certificateId,
    personId: c.personId,
    scheme: c.scheme,
    category: c.category,
    ...(c.categoryMappedFrom ? { categoryMappedFrom: c.categoryMappedFrom } : {}),
    ...(c.subType ? { subType: c.subType } : {}),
    numberMasked: c.numberMasked,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    reviewDueOn: c.reviewDueOn,
    reviewIntervalExtended: c.reviewIntervalExtended,
    ...(c.authority ? { authority: c.authority } : {}),
    ...(c.replacesCertificateId ? { replacesCertificateId: c.replacesCertificateId } : {}),
    ...(c.replacedByCertificateId ? { replacedByCertificateId: c.replacedByCertificateId } : {}),
    ...(c.revokedOn ? { revokedOn: c.revokedOn } : {}),
    ...(c.stamps?.length
      ? {
          stamps: c.stamps.map(({ kind, reviewedOn, extendedOn, recordedAt }) => ({
            kind,
            reviewedOn,
            extendedOn,
            recordedAt,
          })),
        }
      : {}),
    verification: c.verification ?? null,
    ...(c.forgery
      ? {
          forgery: {
            risk: c.forgery.risk,
            state: c.forgery.state,
            signals: c.forgery.signals,
            analysedAt: c.forgery.analysedAt,
            imageKey: c.forgery.imageKey,
            ...(c.forgery.review ? { review: c.forgery.review } : {}),
          },
        }
      : {}),
    ...(c.voided ? { voided: c.voided } : {}),
    createdAt: c.createdAt,
    ...(c.updatedAt ? { updatedAt: c.updatedAt } : {}),
  };
}

/**
 * Stores a forgery analysis or a review of one, with the status it leads to (a suspicion
 * under review locks the certificate red). `next` sees the certificate as stored now.
 */
export async function recordForgery(
  deps: Pick<CertificateDeps, 'people' | 'certificates' | 'settings' | 'clock'>,
  principal: Principal,
  personId: string,
  certificateId: string,
  next: (cert: CertificateRecord, now: string) => StoredForgery,
  action: 'certificate.forgery_analysis' | 'certificate.forgery_review',
  requestId: string,
): Promise<CertificateRecord> {
  return changeCertificate(
    deps,
    principal,
    personId,
    certificateId,
    (cert, now) => ({ ...cert, forgery: next(cert, now.toISOString()) }),
    (person, _cert, changed, status, now) =>
      deps.certificates.recordForgery(
        principal,
        person,
        certificateId,
        changed.forgery as StoredForgery,
        status,
        action,
        requestId,
        now,
      ),
  );
}

/** hr or a group admin decides on a locked certificate: genuine unlocks, forged stays red. */
export function reviewForgery(
  deps: Pick<CertificateDeps, 'people' | 'certificates' | 'settings' | 'clock'>,
  principal: Principal,
  personId: string,
  certificateId: string,
  body: { decision: 'genuine' | 'forged'; note: string },
  requestId: string,
): Promise<CertificateRecord> {
  authorize(principal, 'certificate:review');
  return recordForgery(
    deps,
    principal,
    personId,
    certificateId,
    (cert, now) => {
      if (cert.forgery?.state !== 'pending_review')
        throw new Conflict('forgery_not_pending', { state: cert.forgery?.state ?? 'none' });
      return {
        ...cert.forgery,
        state: body.decision,
        review: { decision: body.decision, note: body.note, by: principal.subject, at: now },
      };
    },
    'certificate.forgery_review',
    requestId,
  );
}
