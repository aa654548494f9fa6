// DynamoDB adapter for people. The ID number is stored only as a keyed hash (for
// uniqueness and look-up) and in masked form. The person item carries the current
// status, so reads and the colour-filtered lists never recompute anything.

import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PERSON_ITEM } from '../domain/entities.ts';
import type { StatusWrites } from '../domain/status-write.ts';
import { type PracticeDeclaration, practiceAttributes } from '../domain/work-history.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { parseItems, parseOptionalItem } from '../shared/dynamo/items.ts';
import { keys, TABLE_DESIGN } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, InvalidRequest } from '../shared/errors.ts';
import type { PeoplePage, PeopleQuery, PersonRecord, PersonRepository } from './person.ts';

export type { Employer, PeoplePage, PeopleQuery, PersonRecord, PersonRepository } from './person.ts';

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
            ConditionExpression: 'attribute_not_exists(pk)',
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
                  ConditionExpression: 'attribute_exists(pk)',
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
        ? [
            guard(
              {
                ConditionCheck: {
                  TableName: t,
                  Key: keys.subcontractor(person.tenantId, person.employer.subcontractorId ?? ''),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              () =>
                new InvalidRequest('validation_failed', [
                  {
                    field: 'employer.subcontractorId',
                    code: 'subcontractor_not_found',
                    message: 'subcontractor_not_found',
                  },
                ]),
            ),
          ]
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
    return out.Item ? this.get(tenantId, String(out.Item.personId)) : undefined;
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
    return (out.Items ?? []).map((i) => ({ tenantId: i.tenantId as string, personId: i.personId as string }));
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
    const people = parseItems<PersonRecord>(
      PERSON_ITEM,
      'person',
      await batchGetAll(
        this.db,
        this.table,
        ids.map((id) => keys.person(tenantId, id)),
      ),
    );
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
