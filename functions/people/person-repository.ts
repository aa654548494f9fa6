// DynamoDB adapter for people. The ID number is stored only as a keyed hash (for
// uniqueness and look-up) and in masked form. The person item carries the current
// status, so reads and the colour-filtered lists never recompute anything.

import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PERSON_ITEM } from '../domain/entities.ts';
import {
  changedFields,
  type PeoplePage,
  type PeopleQuery,
  type PersonCorrection,
  type PersonCorrectionParticipant,
  type PersonRecord,
  type PersonRepository,
} from '../domain/person.ts';
import type { StatusWrites } from '../domain/status-write.ts';
import { type PracticeDeclaration, practiceAttributes } from '../domain/work-history.ts';
import { auditPut } from '../shared/audit.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { parseItems, parseOptionalItem } from '../shared/dynamo/items.ts';
import { keys, TABLE_DESIGN } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, InvalidRequest, PreconditionFailed } from '../shared/errors.ts';
import { maskName, maskPhone } from '../shared/identity-numbers.ts';

export type {
  Employer,
  PeoplePage,
  PeopleQuery,
  PersonCorrection,
  PersonRecord,
  PersonRepository,
} from '../domain/person.ts';

/** An ID number no person holds: never registered, or released by a correction. */
const FREE_ID_NUMBER = 'attribute_not_exists(pk) OR attribute_not_exists(personId)';

/** What the audit record keeps of the changed fields: masked, never a hash or a pseudonym. */
function auditedFields(person: PersonRecord, fields: readonly string[]) {
  const shown: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === 'name') shown.name = maskName(person.name);
    else if (f === 'phone') shown.phone = person.phone ? maskPhone(person.phone) : null;
    else if (f === 'idNumberMasked') shown.idNumber = person.idNumberMasked;
    else if (f === 'employeeId' || f === 'homeSiteId' || f === 'employer') shown[f] = person[f] ?? null;
  }
  return shown;
}

const INDEX_ATTRIBUTES = [
  'pk',
  'sk',
  ...TABLE_DESIGN.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
];

export class DynamoPersonRepository implements PersonRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly statusWrites: StatusWrites<TransactItem | Guarded>,
    private readonly correctionParticipants: PersonCorrectionParticipant<TransactItem | Guarded>[] = [],
  ) {}

  async create(
    principal: Principal,
    person: PersonRecord,
    requestId: string,
    practice: readonly PracticeDeclaration[] = [],
  ): Promise<void> {
    const t = this.table;
    const ctx = {
      actor: principal,
      requestId,
      now: new Date(person.createdAt),
    };
    const items = [
      guard(
        {
          Put: {
            TableName: t,
            Item: {
              ...keys.idNumber(person.tenantId, person.idHash),
              entity: 'id-number',
              personId: person.personId,
            },
            ConditionExpression: FREE_ID_NUMBER,
          },
        },
        () => new Conflict('id_number_taken'),
      ),
      {
        Put: {
          TableName: t,
          Item: {
            ...keys.person(person.tenantId, person.personId),
            ...this.statusWrites.indexKeys(person),
            entity: 'person',
            ...person,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(
        t,
        principal,
        {
          action: 'person.create',
          entityType: 'person',
          entityId: person.personId,
          details: { color: person.status.color },
        },
        requestId,
        new Date(person.createdAt),
      ),
      // hr's declared practice, as the work history keeps it (dispatch's practice rule reads it).
      ...(practice.length
        ? [
            {
              Put: {
                TableName: t,
                Item: {
                  ...keys.workHistory(person.tenantId, person.personId),
                  entity: 'work-history',
                  ...Object.fromEntries(
                    practice.flatMap((d) => [
                      [practiceAttributes(d.workType).date, d.lastPracticedOn],
                      [practiceAttributes(d.workType).source, d.source],
                    ]),
                  ),
                },
              },
            },
            ...practice.map((d) =>
              auditPut(
                t,
                principal,
                {
                  action: 'person.practice-declared',
                  entityType: 'person',
                  entityId: person.personId,
                  details: {
                    type: d.workType,
                    lastPracticedOn: d.lastPracticedOn,
                    source: d.source,
                    ...(d.evidenceNote ? { evidenceNote: d.evidenceNote } : {}),
                  },
                },
                requestId,
                new Date(person.createdAt),
              ),
            ),
          ]
        : []),
      ...(person.homeSiteId
        ? [
            guard(
              {
                ConditionCheck: {
                  TableName: t,
                  Key: keys.site(person.tenantId, person.homeSiteId),
                  // A closed site is nobody's new home (issue 28).
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(closed)',
                },
              },
              () =>
                new InvalidRequest('validation_failed', [
                  { field: 'homeSiteId', code: 'home_site_not_found', message: 'home_site_not_found' },
                ]),
            ),
          ]
        : []),
      // Found by a partner's blacklist entry through its pseudonym, in whichever tenant (O4).
      ...(person.pseudonym
        ? [
            {
              Put: {
                TableName: t,
                Item: {
                  ...keys.pseudonymIndex(person.pseudonym, person.tenantId, person.personId),
                  entity: 'pseudonym',
                  tenantId: person.tenantId,
                  personId: person.personId,
                },
              },
            },
          ]
        : []),
      // A subcontractor's worker belongs to a subcontractor the tenant registered (O1).
      ...(person.employer.type === 'subcontractor'
        ? [this.subcontractorTakesWorkers(person.tenantId, person.employer.subcontractorId ?? '')]
        : []),
      ...this.statusWrites.initialItems(ctx, person),
    ];
    await transact(this.db, items);
  }

  /** The site a person is checked in at right now, if any. */
  async onSiteAt(tenantId: string, personId: string): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.presence(tenantId, personId) }),
    );
    return out.Item?.direction === 'in' ? String(out.Item.siteId) : undefined;
  }

  /** The person registered with this ID-number hash, if any. */
  async findByIdHash(tenantId: string, idHash: string): Promise<PersonRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.idNumber(tenantId, idHash) }),
    );
    // A number released by an ID-number correction belongs to nobody.
    return out.Item?.personId ? this.get(tenantId, String(out.Item.personId)) : undefined;
  }

  /** People by id, in one batched read per hundred (missing ones left out). */
  private async byIds(tenantId: string, ids: string[], options: { consistent?: boolean } = {}) {
    return parseItems<PersonRecord>(
      PERSON_ITEM,
      'person',
      await batchGetAll(
        this.db,
        this.table,
        ids.map((id) => keys.person(tenantId, id)),
        options,
      ),
    );
  }

  /** Many people by ID-number hash at once (a ledger chunk's look-up): hash → person. */
  async findManyByIdHash(tenantId: string, idHashes: string[]): Promise<Map<string, PersonRecord>> {
    const guards = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      idHashes.map((h) => keys.idNumber(tenantId, h)),
      { consistent: true },
    );
    // A number released by an ID-number correction belongs to nobody (no personId).
    const owners = [...new Set(guards.flatMap((g) => (g.personId ? [String(g.personId)] : [])))];
    const asked = new Set(idHashes);
    // Each person carries the hash of their number: the answer is keyed by it.
    const people = await this.byIds(tenantId, owners, { consistent: true });
    return new Map(people.filter((p) => asked.has(p.idHash)).map((p) => [p.idHash, p]));
  }

  async byPseudonym(pseudonym: string) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: {
          ':pk': keys.peopleByPseudonym(pseudonym).pk,
          ':sk': keys.peopleByPseudonym(pseudonym).skPrefix,
        },
      }),
    );
    return (out.Items ?? [])
      .filter((i) => !i.releasedAt)
      .map((i) => ({ tenantId: i.tenantId as string, personId: i.personId as string }));
  }

  async correct(actor: Actor, correction: PersonCorrection, requestId: string): Promise<void> {
    const { before, after } = correction;
    const t = this.table;
    const tenantId = before.tenantId;
    const now = after.updatedAt ?? new Date().toISOString();
    const fields = changedFields(before, after);
    const set: Record<string, unknown> = { updatedAt: now, version: after.version };
    const remove: string[] = [];
    for (const f of fields) {
      if (after[f] === undefined) remove.push(f);
      else set[f] = after[f];
    }
    // The list keys follow the home site and the employer (lists by site, by subcontractor).
    const oldKeys = this.statusWrites.indexKeys(before);
    const newKeys = this.statusWrites.indexKeys(after);
    Object.assign(set, newKeys);
    remove.push(...Object.keys(oldKeys).filter((k) => !(k in newKeys)));
    const setNames = Object.keys(set);
    const invalid = (field: string, code: 'home_site_not_found') =>
      new InvalidRequest('validation_failed', [{ field, code, message: code }]);
    const identityMoves = before.idHash !== after.idHash;
    const items: (TransactItem | Guarded)[] = [
      guard(
        {
          Update: {
            TableName: t,
            Key: keys.person(tenantId, before.personId),
            UpdateExpression:
              `SET ${setNames.map((_, i) => `#s${i} = :s${i}`).join(', ')}` +
              (remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeNames: {
              ...Object.fromEntries(setNames.map((n, i) => [`#s${i}`, n])),
              ...Object.fromEntries(remove.map((n, i) => [`#r${i}`, n])),
            },
            ExpressionAttributeValues: {
              ...Object.fromEntries(setNames.map((n, i) => [`:s${i}`, set[n]])),
              ':expected': before.version,
            },
          },
        },
        () => new PreconditionFailed('stale_version'),
      ),
      ...(after.homeSiteId && after.homeSiteId !== before.homeSiteId
        ? [
            guard(
              {
                ConditionCheck: {
                  TableName: t,
                  Key: keys.site(tenantId, after.homeSiteId),
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(closed)',
                },
              },
              () => invalid('homeSiteId', 'home_site_not_found'),
            ),
          ]
        : []),
      ...(after.employer.type === 'subcontractor' &&
      after.employer.subcontractorId !== before.employer.subcontractorId
        ? [this.subcontractorTakesWorkers(tenantId, after.employer.subcontractorId ?? '')]
        : []),
      ...(identityMoves ? this.identityMoveItems(before, after, now) : []),
      ...this.correctionParticipants.flatMap((p) => p.items(correction)),
      auditPut(
        t,
        actor,
        {
          action: correction.action ?? 'person.update',
          entityType: 'person',
          entityId: before.personId,
          details: {
            before: auditedFields(before, fields),
            after: auditedFields(after, fields),
            ...(correction.reason ? { reason: correction.reason } : {}),
          },
        },
        requestId,
        new Date(now),
      ),
    ];
    await transact(this.db, items);
  }

  /** The subcontractor exists (400) and its contract has not ended (409): it may take a worker. */
  private subcontractorTakesWorkers(tenantId: string, subcontractorId: string): Guarded {
    return guard(
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.subcontractor(tenantId, subcontractorId),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(termination)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      (old) =>
        old?.pk
          ? new Conflict('subcontractor_terminated_no_new_workers')
          : new InvalidRequest('validation_failed', [
              {
                field: 'employer.subcontractorId',
                code: 'subcontractor_not_found',
                message: 'subcontractor_not_found',
              },
            ]),
    );
  }

  /** A corrected ID number: its guard taken (409 when another person has it), the old one and the old pseudonym released. */
  private identityMoveItems(before: PersonRecord, after: PersonRecord, now: string) {
    const t = this.table;
    const tenantId = before.tenantId;
    const release = (Key: Record<string, string>) => ({
      Update: {
        TableName: t,
        Key,
        UpdateExpression: 'REMOVE personId SET releasedAt = :now',
        ConditionExpression: 'personId = :person',
        ExpressionAttributeValues: { ':now': now, ':person': before.personId },
      },
    });
    return [
      release(keys.idNumber(tenantId, before.idHash)),
      guard(
        {
          Put: {
            TableName: t,
            Item: {
              ...keys.idNumber(tenantId, after.idHash),
              entity: 'id-number',
              personId: before.personId,
            },
            ConditionExpression: FREE_ID_NUMBER,
          },
        },
        () => new Conflict('id_number_taken'),
      ),
      ...(before.pseudonym && before.pseudonym !== after.pseudonym
        ? [release(keys.pseudonymIndex(before.pseudonym, tenantId, before.personId))]
        : []),
      ...(after.pseudonym && after.pseudonym !== before.pseudonym
        ? [
            {
              Put: {
                TableName: t,
                Item: {
                  ...keys.pseudonymIndex(after.pseudonym, tenantId, before.personId),
                  entity: 'pseudonym',
                  tenantId,
                  personId: before.personId,
                },
              },
            },
          ]
        : []),
    ];
  }

  async get(tenantId: string, personId: string): Promise<PersonRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.person(tenantId, personId), ConsistentRead: true }),
    );
    return parseOptionalItem<PersonRecord>(PERSON_ITEM, 'person', out.Item);
  }

  /** People checked in right now (at q.siteId, or at any site), one page of the on-site index. */
  async listOnSite(tenantId: string, q: PeopleQuery): Promise<PeoplePage> {
    const query = keys.onSiteQuery(tenantId, q.siteId);
    const start = decodeCursor(q.cursor, {
      attribute: 'gsi2pk',
      value: query.pk,
      allowedAttributes: INDEX_ATTRIBUTES,
    });
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: query.index,
        KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :sk)',
        ExpressionAttributeValues: { ':pk': query.pk, ':sk': query.skPrefix },
        Limit: q.limit,
        ExclusiveStartKey: start,
      }),
    );
    const ids = (out.Items ?? []).map((p) => String(p.personId));
    const people = await this.byIds(tenantId, ids);
    const found = new Map(people.map((p) => [p.personId, p]));
    const items = ids
      .map((id) => found.get(id))
      .filter((p): p is PersonRecord => !!p && (!q.color || p.status.color === q.color))
      .filter((p) => !q.subcontractorId || p.employer?.subcontractorId === q.subcontractorId);
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  async list(tenantId: string, q: PeopleQuery): Promise<PeoplePage> {
    const query = keys.peopleQuery(
      tenantId,
      { siteId: q.siteId, subcontractorId: q.subcontractorId },
      q.color,
      q.departed,
    );
    const pkAttr = `${query.index}pk`;
    const skAttr = `${query.index}sk`;
    const start = decodeCursor(q.cursor, {
      attribute: pkAttr,
      value: query.pk,
      allowedAttributes: INDEX_ATTRIBUTES,
    });
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: query.index,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
        ...(q.homeSiteFilter ? { FilterExpression: 'homeSiteId = :site' } : {}),
        ExpressionAttributeNames: { '#pk': pkAttr, '#sk': skAttr },
        ExpressionAttributeValues: {
          ':pk': query.pk,
          ':sk': query.skPrefix,
          ...(q.homeSiteFilter ? { ':site': q.homeSiteFilter } : {}),
        },
        Limit: q.limit,
        ExclusiveStartKey: start,
      }),
    );
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return {
      items: parseItems<PersonRecord>(PERSON_ITEM, 'person', out.Items ?? []),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }
}
