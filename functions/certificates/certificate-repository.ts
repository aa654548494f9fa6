// DynamoDB adapter for certificates. A certificate is written in one transaction with
// the holder's recomputed status (version-guarded), its natural-key guard, the link from
// the certificate it renews, and the audit record: all of it or nothing.

import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CertificateCorrection,
  type CertificateRecord,
  type CertificateRepository,
  certificateVersion,
  changedCertificateFields,
  type StoredForgery,
  type StoredVerification,
} from '../domain/certificate.ts';
import { CERTIFICATE_ITEM } from '../domain/entities.ts';
import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status-rules.ts';
import type { StatusCause, StatusWrites } from '../domain/status-write.ts';
import type { EventOutbox } from '../domain/webhook-events.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { ConcurrentModification, Conflict, NotFound, PreconditionFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export type {
  CertificateRecord,
  CertificateRepository,
  StoredForgery,
  StoredVerification,
} from '../domain/certificate.ts';

export { naturalKeyParts } from '../domain/certificate.ts';

import { naturalKeyParts } from '../domain/certificate.ts';

/** A natural key or number index no certificate holds: never used, or released by a correction or a void. */
const FREE_KEY = 'attribute_not_exists(pk) OR attribute_not_exists(certificateId)';

/** The stored version is the one read (certificates stored before versions are version 1). */
const AT_VERSION = '(version = :expected OR (attribute_not_exists(version) AND :expected = :one))';

/** What the audit record keeps of a certificate's changed fields: the number only masked. */
function auditedCertificateFields(c: CertificateRecord, fields: readonly string[]) {
  const shown: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === 'numberHash' || f === 'numberCipher') continue;
    shown[f === 'numberMasked' ? 'number' : f] = c[f as keyof CertificateRecord] ?? null;
  }
  return shown;
}

export class DynamoCertificateRepository implements CertificateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly statusWrites: StatusWrites<TransactItem | Guarded>,
    private readonly clock: Clock,
    /** `certificate.verified` for the tenant's own systems (webhooks), with the registry's answer. */
    private readonly events?: EventOutbox<TransactItem>,
  ) {}

  /** Where the holder is: a status change on site moves that site's heat counters too. */
  private presenceOf(person: PersonRecord) {
    return this.statusWrites.presence(person.tenantId, person.personId);
  }

  /** Certificates of a tenant carrying this number (one number may hold several items). */
  async findByNumber(
    tenantId: string,
    numberHash: string,
  ): Promise<{ personId: string; certificateId: string }[]> {
    const { pk } = keys.certificateNumber(tenantId, numberHash);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    );
    // Released by a correction or a void: the number no longer names that certificate.
    return (out.Items ?? [])
      .filter((i) => i.certificateId)
      .map((i) => ({
        personId: String(i.personId),
        certificateId: String(i.certificateId),
      }));
  }

  async listForPerson(tenantId: string, personId: string): Promise<CertificateRecord[]> {
    return (await this.historyOf(tenantId, personId)).filter((c) => !c.voided);
  }

  async historyOf(tenantId: string, personId: string): Promise<CertificateRecord[]> {
    const { pk, skPrefix } = keys.certificatesOf(tenantId, personId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      ConsistentRead: true,
    });
    return parseItems<CertificateRecord>(CERTIFICATE_ITEM, 'certificate', items);
  }

  /**
   * A review or extension stamped on the card: new dates, the stamp kept on the certificate,
   * the holder's recomputed status — one transaction, guarded against a concurrent stamp.
   */
  async stamp(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    stamped: { reviewDueOn: string | null; expiresOn: string; stamp: Record<string, unknown> },
    status: PersonStatus,
    requestId: string,
  ) {
    const now = this.clock.now();
    const ctx = { actor: principal, requestId, now };
    const presence = await this.presenceOf(person);
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.certificate(cert.tenantId, cert.personId, cert.certificateId),
            UpdateExpression:
              'SET reviewDueOn = :due, expiresOn = :exp, stamps = list_append(if_not_exists(stamps, :none), :stamp), version = if_not_exists(version, :one) + :one',
            // The dates we computed from must still be the stored ones.
            ConditionExpression: `expiresOn = :oldExp AND ${cert.reviewDueOn ? 'reviewDueOn = :oldDue AND ' : ''}attribute_not_exists(replacedByCertificateId)`,
            ExpressionAttributeValues: {
              ':due': stamped.reviewDueOn,
              ':exp': stamped.expiresOn,
              ':none': [],
              ':stamp': [{ ...stamped.stamp, recordedAt: now.toISOString(), recordedBy: principal.subject }],
              ':oldExp': cert.expiresOn,
              ':one': 1,
              ...(cert.reviewDueOn ? { ':oldDue': cert.reviewDueOn } : {}),
            },
          },
        },
        // Another stamp or a renewal got there first.
        () => new ConcurrentModification('concurrent_update'),
      ),
      auditPut(
        this.table,
        principal,
        {
          action: `certificate.${String(stamped.stamp.kind)}`,
          entityType: 'certificate',
          entityId: cert.certificateId,
          details: {
            personId: cert.personId,
            reviewDueOn: stamped.reviewDueOn,
            expiresOn: stamped.expiresOn,
            color: status.color,
          },
        },
        requestId,
        now,
      ),
      ...this.statusWrites.updateItems(ctx, person, status, 'certificate.stamp', presence),
    ]);
  }

  async correct(principal: Principal, correction: CertificateCorrection, requestId: string): Promise<void> {
    const { person, before, after, status, reason } = correction;
    const fields = changedCertificateFields(before, after);
    const set: Record<string, unknown> = { version: after.version, updatedAt: after.updatedAt };
    const remove: string[] = [];
    for (const f of fields) {
      if (after[f] === undefined) remove.push(f);
      else set[f] = after[f];
    }
    // A registry answer about the old details no longer says anything: asked again.
    if (before.verification && !after.verification) remove.push('verification');
    const keyMoves =
      naturalKeyParts(before).join('#') !== naturalKeyParts(after).join('#')
        ? [
            this.releaseKey(before, keys.certificateNaturalKey(before.tenantId, naturalKeyParts(before))),
            this.takeNaturalKey(after),
          ]
        : [];
    const numberMoves =
      before.numberHash !== after.numberHash
        ? [
            this.releaseKey(
              before,
              keys.certificateNumber(before.tenantId, before.numberHash, before.certificateId),
            ),
            this.numberIndexPut(after),
          ]
        : [];
    await this.writeWithStatus(
      correction,
      set,
      remove,
      [...keyMoves, ...numberMoves],
      requestId,
      {
        action: 'certificate.correct',
        details: {
          personId: person.personId,
          before: auditedCertificateFields(before, fields),
          after: auditedCertificateFields(after, fields),
          color: status.color,
          // Why it was corrected, as the caller said (the person corrections record theirs too).
          ...(reason ? { reason } : {}),
        },
      },
      principal,
    );
  }

  async void(principal: Principal, correction: CertificateCorrection, requestId: string): Promise<void> {
    const { person, before, after, status } = correction;
    await this.writeWithStatus(
      correction,
      { version: after.version, updatedAt: after.updatedAt, voided: after.voided },
      [],
      [
        // Entered in error: its number and natural key may be entered again, correctly.
        this.releaseKey(before, keys.certificateNaturalKey(before.tenantId, naturalKeyParts(before))),
        this.releaseKey(
          before,
          keys.certificateNumber(before.tenantId, before.numberHash, before.certificateId),
        ),
      ],
      requestId,
      {
        action: 'certificate.void',
        details: { personId: person.personId, reason: after.voided?.reason ?? '', color: status.color },
      },
      principal,
    );
  }

  /** The certificate updated at its version, with more items, the audit record and the holder's status, in one transaction. */
  private async writeWithStatus(
    { person, before, after, status }: CertificateCorrection,
    set: Record<string, unknown>,
    remove: string[],
    more: (TransactItem | Guarded)[],
    requestId: string,
    audit: { action: 'certificate.correct' | 'certificate.void'; details: Record<string, unknown> },
    principal: Principal,
  ) {
    const now = new Date(after.updatedAt ?? this.clock.now().toISOString());
    const presence = await this.presenceOf(person);
    const setNames = Object.keys(set);
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.certificate(before.tenantId, before.personId, before.certificateId),
            UpdateExpression:
              `SET ${setNames.map((_, i) => `#s${i} = :s${i}`).join(', ')}` +
              (remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''),
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(voided) AND ${AT_VERSION}`,
            ExpressionAttributeNames: {
              ...Object.fromEntries(setNames.map((n, i) => [`#s${i}`, n])),
              ...Object.fromEntries(remove.map((n, i) => [`#r${i}`, n])),
            },
            ExpressionAttributeValues: {
              ...Object.fromEntries(setNames.map((n, i) => [`:s${i}`, set[n]])),
              ':expected': certificateVersion(before),
              ':one': 1,
            },
          },
        },
        () => new PreconditionFailed('stale_version'),
      ),
      ...more,
      auditPut(
        this.table,
        principal,
        {
          action: audit.action,
          entityType: 'certificate',
          entityId: before.certificateId,
          details: audit.details,
        },
        requestId,
        now,
      ),
      ...this.statusWrites.updateItems(
        { actor: principal, requestId, now },
        person,
        status,
        audit.action,
        presence,
      ),
    ]);
  }

  /** A guard or index item given up by this certificate (kept, without it), so another may take it. */
  private releaseKey(cert: CertificateRecord, key: { pk: string; sk: string }): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: key,
        UpdateExpression: 'REMOVE certificateId, personId SET releasedAt = :now',
        ConditionExpression: 'certificateId = :cert',
        ExpressionAttributeValues: {
          ':cert': cert.certificateId,
          ':now': cert.updatedAt ?? this.clock.now().toISOString(),
        },
      },
    };
  }

  private takeNaturalKey(cert: CertificateRecord): Guarded {
    return guard(
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.certificateNaturalKey(cert.tenantId, naturalKeyParts(cert)),
            entity: 'certificate-key',
            personId: cert.personId,
            certificateId: cert.certificateId,
          },
          ConditionExpression: FREE_KEY,
        },
      },
      () => new Conflict('certificate_exists'),
    );
  }

  private numberIndexPut(cert: CertificateRecord): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.certificateNumber(cert.tenantId, cert.numberHash, cert.certificateId),
          entity: 'certificate-number',
          personId: cert.personId,
          certificateId: cert.certificateId,
        },
      },
    };
  }

  async recordVerification(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    verification: StoredVerification,
    status: PersonStatus,
    requestId: string,
    now: Date,
  ): Promise<void> {
    await this.setWithStatus(
      { actor, person, certificateId, status, requestId, now },
      { verification },
      {
        action: 'certificate.verify',
        details: {
          result: verification.lastAttemptResult,
          ...(verification.unavailableReason ? { unavailableReason: verification.unavailableReason } : {}),
          ...(verification.mismatches ? { fields: verification.mismatches.map((m) => m.field) } : {}),
        },
      },
      // The registry answered (not "unavailable"): an event for those who follow verifications.
      verification.lastAttemptResult !== 'unavailable'
        ? (this.events?.prepare(person.tenantId, [
            {
              eventId: newId('evt'),
              type: 'certificate.verified',
              occurredAt: now.toISOString(),
              data: {
                personId: person.personId,
                certificateId,
                outcome: verification.lastAttemptResult,
                ...(verification.mismatches ? { fields: verification.mismatches.map((m) => m.field) } : {}),
              },
            },
          ]) ?? [])
        : [],
    );
  }

  async recordForgery(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    forgery: StoredForgery,
    status: PersonStatus,
    action: 'certificate.forgery_analysis' | 'certificate.forgery_review',
    requestId: string,
    now: Date,
  ): Promise<void> {
    await this.setWithStatus(
      { actor, person, certificateId, status, requestId, now },
      { forgery },
      {
        action,
        details: {
          risk: forgery.risk,
          state: forgery.state,
          signals: forgery.signals.map((s) => s.code),
          ...(forgery.review ? { decision: forgery.review.decision } : {}),
        },
      },
    );
  }

  /** One attribute of a stored certificate set, audited, with the status it leads to, in one transaction. */
  private async setWithStatus(
    w: {
      actor: Actor;
      person: PersonRecord;
      certificateId: string;
      status: PersonStatus;
      requestId: string;
      now: Date;
    },
    attribute: { verification: StoredVerification } | { forgery: StoredForgery },
    audit: { action: StatusCause; details: Record<string, unknown> },
    more: TransactItem[] = [],
  ): Promise<void> {
    const { actor, person, certificateId, requestId, now } = w;
    const [[name, value]] = Object.entries(attribute) as [[string, unknown]];
    const ctx = { actor, requestId, now };
    const presence = await this.presenceOf(person);
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.certificate(person.tenantId, person.personId, certificateId),
            UpdateExpression: 'SET #a = :v',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#a': name },
            ExpressionAttributeValues: { ':v': value },
          },
        },
        () => new NotFound('certificate_not_found'),
      ),
      auditPut(
        this.table,
        { ...actor, tenantId: person.tenantId },
        {
          action: audit.action,
          entityType: 'certificate',
          entityId: certificateId,
          details: { personId: person.personId, ...audit.details },
        },
        requestId,
        now,
      ),
      ...this.statusWrites.updateItems(ctx, person, w.status, audit.action, presence),
      ...more,
    ]);
  }

  async add(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    status: PersonStatus,
    requestId: string,
  ) {
    const t = this.table;
    const cause = cert.replacesCertificateId ? 'certificate.renew' : 'certificate.create';
    const ctx = {
      actor: principal,
      requestId,
      now: new Date(cert.createdAt),
    };
    const presence = await this.presenceOf(person);
    const renewal = cert.replacesCertificateId
      ? [
          guard(
            {
              Update: {
                TableName: t,
                Key: keys.certificate(cert.tenantId, cert.personId, cert.replacesCertificateId),
                UpdateExpression: 'SET replacedByCertificateId = :new',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(replacedByCertificateId)',
                ExpressionAttributeValues: { ':new': cert.certificateId },
              },
            },
            () => new Conflict('certificate_already_renewed'),
          ),
        ]
      : [];
    await transact(this.db, [
      {
        Put: {
          TableName: t,
          Item: {
            ...keys.certificate(cert.tenantId, cert.personId, cert.certificateId),
            entity: 'certificate',
            ...cert,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      guard(
        {
          Put: {
            TableName: t,
            Item: {
              ...keys.certificateNaturalKey(cert.tenantId, naturalKeyParts(cert)),
              entity: 'certificate-key',
              personId: cert.personId,
              certificateId: cert.certificateId,
            },
            ConditionExpression: FREE_KEY,
          },
        },
        () => new Conflict('certificate_exists'),
      ),
      {
        Put: {
          TableName: t,
          Item: {
            ...keys.certificateNumber(cert.tenantId, cert.numberHash, cert.certificateId),
            entity: 'certificate-number',
            personId: cert.personId,
            certificateId: cert.certificateId,
          },
        },
      },
      auditPut(
        t,
        principal,
        {
          action: cause,
          entityType: 'certificate',
          entityId: cert.certificateId,
          details: {
            personId: cert.personId,
            scheme: cert.scheme,
            category: cert.category,
            color: status.color,
          },
        },
        requestId,
        new Date(cert.createdAt),
      ),
      ...renewal,
      ...this.statusWrites.updateItems(ctx, person, status, cause, presence),
    ]);
  }
}
