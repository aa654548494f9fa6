// The worker's side of batch cleaning: check one row, store the finding and count it.
// Idempotent (SQS delivers at least once): a row already checked is left alone, and the
// row and the batch counters are updated in one transaction.
import type { CertificateRepository } from '../domain/certificate.ts';
import type { CertificateNumberVault } from '../domain/certificate-numbers.ts';
import type { Romanise } from '../domain/names.ts';
import type { PersonRecord, PersonRepository } from '../domain/person.ts';
import type { RegistryChecks } from '../domain/registry-checks.ts';
import type { RegistryRecord } from '../domain/registry-record.ts';
import type { FieldMismatch } from '../domain/verification-outcome.ts';
import { systemActor } from '../shared/audit.ts';
import type { ScopedPerson } from '../shared/auth/permissions.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFound } from '../shared/errors.ts';
import { hashIdNumber } from '../shared/identity-numbers.ts';
import type { WorkMessage } from '../shared/work-queue.ts';
import type { BatchStore } from './batch-store.ts';
import {
  judgeRegistryOnly,
  nameReason,
  type RowFinding,
  type RowOutcome,
  worstOutcome,
} from './row-outcome.ts';

type RowMessage = Extract<WorkMessage, { type: 'verify-batch-rows' }>['rows'][number] & {
  tenantId: string;
  batchId: string;
  subcontractorId?: string;
};

/** A row matches only people within the uploader's scope; others are as if not in the tenant. */
const inUploaderScope = (msg: RowMessage, person: ScopedPerson) =>
  !msg.subcontractorId || person.employer?.subcontractorId === msg.subcontractorId;

export interface RowDeps {
  people: PersonRepository;
  certificates: CertificateRepository;
  numbers: CertificateNumberVault;
  /** Pinyin for name comparisons, loaded on the first one (a large dictionary). */
  romaniser: () => Promise<Romanise>;
  /** The registry, asked through verification (its credentials and rate limit). */
  registryChecks: RegistryChecks;
  clock: Clock;
  batches: BatchStore;
  idHashKey: () => Promise<string>;
}

function mismatchReasons(mismatches: FieldMismatch[] = []): string[] {
  return mismatches.map((m) => {
    if (m.field === 'holderName')
      return m.nameMatch === 'pinyin_variant'
        ? 'name_pinyin_variant'
        : m.nameMatch === 'former_name'
          ? 'former_name'
          : 'name_mismatch';
    if (m.field === 'idNumber') return 'id_mismatch';
    return `field_mismatch:${m.field}`;
  });
}

async function judgeCertificateRow(
  deps: RowDeps,
  msg: RowMessage,
  requestId: string,
): Promise<RowFinding & { personId?: string; certificateId?: string }> {
  const found = await deps.certificates.findByNumber(msg.tenantId, await deps.numbers.hash(msg.value));
  const ours: { personId: string; certificateId: string; person: PersonRecord }[] = [];
  for (const { personId, certificateId } of found) {
    const person = await deps.people.get(msg.tenantId, personId);
    if (person && inUploaderScope(msg, person)) ours.push({ personId, certificateId, person });
  }
  if (ours.length) {
    // One of our certificates: verify it for real, so the cleaning also fixes its status.
    const outcomes: RowOutcome[] = [];
    const reasons: string[] = [];
    for (const { certificateId, person } of ours) {
      const { verification } = await deps.registryChecks.verify(
        systemActor(msg.tenantId, 'batch-cleaning'),
        person,
        certificateId,
        requestId,
      );
      outcomes.push(verification.lastAttemptResult);
      if (verification.lastAttemptResult === 'unavailable')
        reasons.push(`registry_${verification.unavailableReason}`);
      reasons.push(...mismatchReasons(verification.mismatches));
    }
    const first = ours[0] as { personId: string; certificateId: string };
    return {
      outcome: worstOutcome(outcomes),
      reasons: [...new Set(reasons)],
      personId: first.personId,
      certificateId: first.certificateId,
    };
  }
  const answer = await deps.registryChecks.lookup(msg.tenantId, { certificateNumber: msg.value });
  if ('unavailable' in answer) return { outcome: 'unavailable', reasons: [`registry_${answer.unavailable}`] };
  const finding = judgeRegistryOnly(answer.records, deps.clock.today(), await deps.romaniser(), msg.name);
  return { ...finding, reasons: [...finding.reasons, 'not_in_tenant'] };
}

/** A certificate of ours named by id (catch-up batches): verify it as it is. */
async function judgeStoredCertificate(
  deps: RowDeps,
  msg: RowMessage,
  ref: { personId: string; certificateId: string },
  requestId: string,
): Promise<RowFinding & { personId?: string; certificateId?: string }> {
  const person = await deps.people.get(msg.tenantId, ref.personId);
  if (!person) return { outcome: 'not_found', reasons: ['person_deleted'] };
  const { verification } = await deps.registryChecks
    .verify(systemActor(msg.tenantId, 'registry-catch-up'), person, ref.certificateId, requestId)
    .catch((error: unknown) => {
      if (error instanceof NotFound) return { verification: undefined };
      throw error;
    });
  if (!verification) return { outcome: 'not_found', reasons: ['certificate_deleted'] };
  return {
    outcome: verification.lastAttemptResult,
    reasons: [
      ...(verification.lastAttemptResult === 'unavailable'
        ? [`registry_${verification.unavailableReason}`]
        : []),
      ...mismatchReasons(verification.mismatches),
    ],
    ...ref,
  };
}

async function judgeIdRow(deps: RowDeps, msg: RowMessage): Promise<RowFinding & { personId?: string }> {
  const answer = await deps.registryChecks.lookup(msg.tenantId, { idNumber: msg.value });
  if ('unavailable' in answer) return { outcome: 'unavailable', reasons: [`registry_${answer.unavailable}`] };
  const records: RegistryRecord[] = answer.records;
  const found = await deps.people.findByIdHash(msg.tenantId, hashIdNumber(msg.value, await deps.idHashKey()));
  const person = found && inUploaderScope(msg, found) ? found : undefined;
  const romanise = await deps.romaniser();
  const finding = judgeRegistryOnly(records, deps.clock.today(), romanise, msg.name ?? person?.name);
  if (!person) return { ...finding, reasons: [...finding.reasons, 'not_in_tenant'] };
  // Our certificates of this person that the registry does not list under this ID number.
  const registered = new Set(await Promise.all(records.map((r) => deps.numbers.hash(r.number))));
  const foreign = (await deps.certificates.listForPerson(msg.tenantId, person.personId)).filter(
    (c) => !registered.has(c.numberHash),
  );
  if (records.length && foreign.length) {
    return {
      outcome: worstOutcome([finding.outcome, 'mismatch']),
      reasons: [...finding.reasons, 'id_mismatch'],
      personId: person.personId,
    };
  }
  if (msg.name && records[0]) {
    const n = nameReason(person.name, records[0], romanise, person.formerNames);
    if (n.reason && !finding.reasons.includes(n.reason)) finding.reasons.push(n.reason);
  }
  return { ...finding, personId: person.personId };
}

export async function processBatchRow(deps: RowDeps, msg: RowMessage, requestId: string): Promise<void> {
  const existing = await deps.batches.row(msg.tenantId, msg.batchId, msg.row);
  if (!existing || existing.outcome) return; // unknown row, or already checked

  const finding = msg.certificateRef
    ? await judgeStoredCertificate(deps, msg, msg.certificateRef, requestId)
    : msg.kind === 'certificate'
      ? await judgeCertificateRow(deps, msg, requestId)
      : await judgeIdRow(deps, msg);
  const recorded = await deps.batches.recordResult(
    msg.tenantId,
    msg.batchId,
    msg.row,
    finding,
    deps.clock.now(),
  );
  if (!recorded) return; // a duplicate delivery got there first
  await deps.batches.completeIfDone(msg.tenantId, msg.batchId, deps.clock.now());
}

/** A chunk of rows from one queue message, one after the other (the registry is rate-limited anyway). */
export async function processBatchRows(
  deps: RowDeps,
  msg: Extract<WorkMessage, { type: 'verify-batch-rows' }>,
  requestId: string,
) {
  for (const row of msg.rows)
    await processBatchRow(
      deps,
      {
        ...row,
        tenantId: msg.tenantId,
        batchId: msg.batchId,
        ...(msg.subcontractorId ? { subcontractorId: msg.subcontractorId } : {}),
      },
      requestId,
    );
}
