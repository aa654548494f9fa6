// DynamoDB adapter for certificates. A certificate is written in one transaction with
// the holder's recomputed status (version-guarded), its natural-key guard, the link from
// the certificate it renews, and the audit record: all of it or nothing.

import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CertificateRecord,
  CertificateRepository,
  StoredForgery,
  StoredVerification,
} from '../domain/certificate.ts';
import { CERTIFICATE_ITEM } from '../domain/entities.ts';
import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status-rules.ts';
import type { StatusCause, StatusWrites } from '../domain/status-write.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { ConcurrentModification, Conflict, NotFound } from '../shared/errors.ts';

export type {
  CertificateRecord,
  CertificateRepository,
  StoredForgery,
  StoredVerification,
} from '../domain/certificate.ts';

export const naturalKeyParts = (c: CertificateRecord) => [
  c.scheme,
  c.numberHash,
  c.category,
  c.subType ?? '-',
  c.issuedOn,
];

export class DynamoCertificateRepository implements CertificateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly statusWrites: StatusWrites<TransactItem | Guarded>,
    private readonly clock: Clock,
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
    return (out.Items ?? []).map((i) => ({
      personId: String(i.personId),
      certificateId: String(i.certificateId),
    }));
  }

  async listForPerson(tenantId: string, personId: string): Promise<CertificateRecord[]> {
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
              'SET reviewDueOn = :due, expiresOn = :exp, stamps = list_append(if_not_exists(stamps, :none), :stamp)',
            // The dates we computed from must still be the stored ones.
            ConditionExpression: `expiresOn = :oldExp AND ${cert.reviewDueOn ? 'reviewDueOn = :oldDue AND ' : ''}attribute_not_exists(replacedByCertificateId)`,
            ExpressionAttributeValues: {
              ':due': stamped.reviewDueOn,
              ':exp': stamped.expiresOn,
              ':none': [],
              ':stamp': [{ ...stamped.stamp, recordedAt: now.toISOString(), recordedBy: principal.subject }],
              ':oldExp': cert.expiresOn,
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
            ConditionExpression: 'attribute_not_exists(pk)',
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
