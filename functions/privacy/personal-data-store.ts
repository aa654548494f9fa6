// The person's records in the table, for their data rights: read for a copy (their
// partition and their inbox), erased in one transaction (profile anonymised, guards
// released, readable certificate numbers removed) — updates only, nothing deleted, so the
// anonymised figures (status history, check-ins, tickets) stay countable.
import type { CertificateRecord } from '../domain/certificate.ts';
import { naturalKeyParts } from '../domain/certificate.ts';
import { PERSON_ITEM } from '../domain/entities.ts';
import type { PersonRecord } from '../domain/person.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { guard, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import type { Erased, PersonalRecords } from './personal-data.ts';

/** What an erased name and masked ID read as. */
export const ERASED_NAME = '已删除';

/** A record kind by its sort key; undefined: kept out of a copy (internal: secrets, fingerprints, read models). */
export function kindOf(sk: string): string | undefined {
  const kinds: [string, string][] = [
    ['PROFILE', 'profile'],
    ['CERT#', 'certificates'],
    ['CONSENT#', 'consents'],
    ['ONBOARDING#', 'admissions'],
    ['HISTORY#', 'status_history'],
    ['NOTIFY#', 'notifications'],
    ['BINDINGS', 'bindings'],
    ['BADGE#', 'badges'],
    ['CHECKIN#', 'check_ins'],
    ['PERMIT#', 'permits'],
    ['TICKET#', 'work_tickets'],
    ['WORKHISTORY', 'work_history'],
    ['JOB#', 'jobs'],
    ['PRESENCE', 'presence'],
    ['VIOLATION#', 'violations'],
    ['DOCUMENT#', 'documents'],
    ['INSURANCE#', 'insurance'],
  ];
  // The gate's read model repeats the profile; the code epoch is a secret; image prints are hashes.
  if (sk === 'GATE' || sk === 'CODEEPOCH' || sk.startsWith('IMGPRINT#')) return undefined;
  return kinds.find(([prefix]) => sk.startsWith(prefix))?.[1] ?? 'other';
}

/** An item as the person reads it: no table keys, no keyed hashes, ciphertexts or pseudonyms. */
export function readable(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).filter(
      ([k]) =>
        !['pk', 'sk', 'entity', 'pseudonym'].includes(k) &&
        !/^gsi\d+(pk|sk)$/.test(k) &&
        !/(Hash|Cipher)$/.test(k),
    ),
  );
}

export class DynamoPersonalRecords extends TableStore implements PersonalRecords {
  async recordsOf(tenantId: string, personId: string) {
    const [own, inbox] = await Promise.all([
      queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.person(tenantId, personId).pk },
        ConsistentRead: true,
      }),
      queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.inboxOf(tenantId, `PERSON#${personId}`).pk },
      }),
    ]);
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const item of own) {
      const kind = kindOf(String(item.sk));
      if (!kind) continue;
      out[kind] = [...(out[kind] ?? []), readable(item)];
    }
    if (inbox.length) out.inbox = inbox.map(readable);
    return out;
  }

  async erase(actor: Actor, person: PersonRecord, keepIdentity: boolean, requestId: string) {
    const now = this.clock.now();
    const at = now.toISOString();
    const { tenantId, personId } = person;
    const certificates = (await queryAll<CertificateRecord & { numberCipher?: string }>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: {
        ':pk': keys.certificatesOf(tenantId, personId).pk,
        ':sk': keys.certificatesOf(tenantId, personId).skPrefix,
      },
      ConsistentRead: true,
    })) as (CertificateRecord & { numberCipher?: string })[];
    const release = (Key: { pk: string; sk: string }, owner: string, attrs: string): TransactItem => ({
      Update: {
        TableName: this.table,
        Key,
        UpdateExpression: `REMOVE ${attrs} SET releasedAt = :now`,
        ConditionExpression: `${attrs.split(', ').at(-1)} = :owner`,
        ExpressionAttributeValues: { ':now': at, ':owner': owner },
      },
    });
    const items: (TransactItem | ReturnType<typeof guard>)[] = [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.person(tenantId, personId),
            UpdateExpression: `SET #name = :erased, idNumberMasked = :erased, erasedAt = :now, updatedAt = :now, version = :next${
              keepIdentity ? '' : ', idHash = :gone'
            } REMOVE phone, employeeId, formerNames${keepIdentity ? '' : ', pseudonym'}`,
            ConditionExpression: 'version = :v',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: {
              ':erased': ERASED_NAME,
              ':now': at,
              ':next': person.version + 1,
              ':v': person.version,
              ...(keepIdentity ? {} : { ':gone': `erased:${personId}` }),
            },
          },
        },
        () => new StaleRecord(),
      ),
      {
        Update: {
          TableName: this.table,
          Key: keys.gateView(tenantId, personId),
          UpdateExpression: 'SET nameMasked = :erased',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':erased': ERASED_NAME },
        },
      },
      ...(keepIdentity
        ? []
        : [
            release(keys.idNumber(tenantId, person.idHash), personId, 'personId'),
            ...(person.pseudonym
              ? [release(keys.pseudonymIndex(person.pseudonym, tenantId, personId), personId, 'personId')]
              : []),
          ]),
      ...certificates.flatMap((c) => [
        {
          Update: {
            TableName: this.table,
            Key: keys.certificate(tenantId, personId, c.certificateId),
            UpdateExpression: 'REMOVE numberCipher SET updatedAt = :now',
            ExpressionAttributeValues: { ':now': at },
          },
        },
        // A voided certificate gave its guards back already.
        ...(c.voided
          ? []
          : [
              release(
                keys.certificateNaturalKey(tenantId, naturalKeyParts(c)),
                c.certificateId,
                'personId, certificateId',
              ),
              release(
                keys.certificateNumber(tenantId, c.numberHash, c.certificateId),
                c.certificateId,
                'personId, certificateId',
              ),
            ]),
      ]),
      auditPut(
        this.table,
        actor,
        {
          action: 'person.erase',
          entityType: 'person',
          entityId: personId,
          details: { keepIdentity, certificates: certificates.length },
        },
        requestId,
        now,
      ),
    ];
    // The gate view exists for every registered person; without one (an old record) it is left out.
    const gate = await this.item(keys.gateView(tenantId, personId));
    await transact(this.db, gate ? items : items.filter((_, i) => i !== 1));
    return {
      profile: 1,
      certificateNumbers: certificates.filter((c) => c.numberCipher).length,
    } satisfies Omit<Erased, 'images' | 'bindings'>;
  }

  async leavers(tenantId: string) {
    const q = keys.peopleQuery(tenantId, {}, undefined, true);
    const out = await queryAll(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': `${q.index}pk`, '#sk': `${q.index}sk` },
      ExpressionAttributeValues: { ':pk': q.pk, ':sk': q.skPrefix },
    });
    return parseItems<PersonRecord>(PERSON_ITEM, 'person', out);
  }

  async audit(
    actor: Principal,
    personId: string,
    action: string,
    details: Record<string, unknown>,
    requestId: string,
  ) {
    await transact(this.db, [
      auditPut(
        this.table,
        actor,
        { action, entityType: 'person', entityId: personId, details },
        requestId,
        this.clock.now(),
      ),
    ]);
  }
}
