// DynamoDB adapter for certificates. A certificate is written in one transaction with
// the holder's recomputed status (version-guarded), its natural-key guard, the link from
// the certificate it renews, and the audit record: all of it or nothing.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type PersonRecord, personStatusUpdate } from '../people/person-repository.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { failedConditions } from '../shared/dynamo/transactions.ts';
import { ConcurrentModification, Conflict } from '../shared/errors.ts';
import type { Scheme } from './scheme-rules.ts';
import type { PersonStatus } from './status.ts';

export interface CertificateRecord {
  tenantId: string;
  personId: string;
  certificateId: string;
  scheme: Scheme;
  category: string;
  categoryMappedFrom?: string;
  subType?: string;
  number: string;
  issuedOn: string;
  expiresOn: string;
  reviewDueOn: string | null;
  reviewIntervalExtended: boolean;
  authority?: string;
  replacesCertificateId?: string;
  replacedByCertificateId?: string;
  revokedOn?: string;
  createdAt: string;
  createdBy: string;
}

/** Raised when the holder changed between read and write; the use case re-reads and retries. */
export class StalePerson extends Error {}

export interface CertificateRepository {
  listForPerson(tenantId: string, personId: string): Promise<CertificateRecord[]>;
  add(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    status: PersonStatus,
    requestId: string,
  ): Promise<void>;
  /** Stores a recomputed status; false when the person changed meanwhile. */
  saveStatus(person: PersonRecord, status: PersonStatus): Promise<boolean>;
}

export const naturalKeyParts = (c: CertificateRecord) => [
  c.scheme,
  c.number.toUpperCase(),
  c.category,
  c.subType ?? '-',
  c.issuedOn,
];

export class DynamoCertificateRepository implements CertificateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listForPerson(tenantId: string, personId: string): Promise<CertificateRecord[]> {
    const { pk, skPrefix } = keys.certificatesOf(tenantId, personId);
    const items: CertificateRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as CertificateRecord[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async add(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    status: PersonStatus,
    requestId: string,
  ) {
    const t = this.table;
    const items = [
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
      personStatusUpdate(t, person, status),
      auditPut(
        t,
        principal,
        {
          action: cert.replacesCertificateId ? 'certificate.renew' : 'certificate.create',
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
      ),
      ...(cert.replacesCertificateId
        ? [
            {
              Update: {
                TableName: t,
                Key: keys.certificate(cert.tenantId, cert.personId, cert.replacesCertificateId),
                UpdateExpression: 'SET replacedByCertificateId = :new',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(replacedByCertificateId)',
                ExpressionAttributeValues: { ':new': cert.certificateId },
              },
            },
          ]
        : []),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.includes(1)) throw new Conflict('certificate_exists');
      if (failed?.includes(4)) throw new Conflict('certificate_already_renewed');
      if (failed?.includes(2)) throw new StalePerson();
      if (failed) throw new ConcurrentModification('concurrent_update');
      throw error;
    }
  }

  async saveStatus(person: PersonRecord, status: PersonStatus): Promise<boolean> {
    const update = personStatusUpdate(this.table, person, status).Update;
    try {
      await this.db.send(new UpdateCommand(update));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
