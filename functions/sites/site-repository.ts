// DynamoDB adapter for sites. Site codes are unique per tenant (a guard item).

import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Site } from '../../schemas/sites.ts';
import { SITE_ITEM } from '../domain/entities.ts';
import type { SiteChanges, SiteRepository, VersionedSite } from '../domain/sites.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, PreconditionFailed } from '../shared/errors.ts';

export type { SiteRepository } from '../domain/sites.ts';

/** A code no site holds: never used, or released by a correction. */
const FREE_CODE = 'attribute_not_exists(pk) OR attribute_not_exists(siteId)';

export class DynamoSiteRepository implements SiteRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, site: Site, requestId: string): Promise<void> {
    const tenantId = principal.tenantId;
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.site(tenantId, site.siteId), entity: 'site', ...site },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      guard(
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.siteCode(tenantId, site.code), entity: 'site-code', siteId: site.siteId },
            ConditionExpression: FREE_CODE,
          },
        },
        () => new Conflict('site_code_taken', { code: site.code }),
      ),
      auditPut(
        this.table,
        principal,
        { action: 'site.create', entityType: 'site', entityId: site.siteId },
        requestId,
        this.clock.now(),
      ),
      // The tenant registry the monthly jobs iterate over (idempotent).
      {
        Put: { TableName: this.table, Item: { pk: 'SYSTEM#TENANTS', sk: tenantId, entity: 'tenant' } },
      },
    ]);
  }

  async get(tenantId: string, siteId: string): Promise<VersionedSite | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.site(tenantId, siteId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { site: toSite(out.Item), version: typeof out.Item.version === 'number' ? out.Item.version : 1 };
  }

  async update(
    principal: Principal,
    current: VersionedSite,
    expected: number,
    changes: SiteChanges,
    requestId: string,
  ): Promise<VersionedSite> {
    const tenantId = principal.tenantId;
    const { site } = current;
    const now = this.clock.now().toISOString();
    const { closed, geofence, ...rest } = changes;
    const next: Site = {
      ...site,
      ...rest,
      ...(closed ? { closed } : {}),
      ...(geofence ? { geofence } : {}),
      updatedAt: now,
    };
    if (closed === null) delete next.closed;
    if (geofence === null) delete next.geofence;
    // A null is a removal (reopening a site); every other change is set.
    const removed = (Object.keys(changes) as (keyof SiteChanges)[]).filter((f) => changes[f] === null);
    const fields = (Object.keys(changes) as (keyof SiteChanges)[]).filter((f) => changes[f] !== null);
    const names = Object.fromEntries(fields.map((f, i) => [`#f${i}`, f]));
    const values = Object.fromEntries(fields.map((f, i) => [`:f${i}`, changes[f]]));
    const stale = () => new PreconditionFailed('stale_version');
    const codeMoves: TransactItem[] =
      changes.code !== undefined && changes.code !== site.code
        ? [
            {
              // The old code is released (kept, without its site) so another site may take it.
              Update: {
                TableName: this.table,
                Key: keys.siteCode(tenantId, site.code),
                UpdateExpression: 'REMOVE siteId SET releasedAt = :now',
                ConditionExpression: 'siteId = :site',
                ExpressionAttributeValues: { ':site': site.siteId, ':now': now },
              },
            },
            guard(
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...keys.siteCode(tenantId, changes.code),
                    entity: 'site-code',
                    siteId: site.siteId,
                  },
                  ConditionExpression: FREE_CODE,
                },
              },
              () => new Conflict('site_code_taken', { code: changes.code as string }),
            ) as TransactItem,
          ]
        : [];
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.site(tenantId, site.siteId),
            UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}${fields.length ? ', ' : ''}updatedAt = :now, version = :next${
              removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''
            }`,
            // Sites made before versions have none: they are version 1.
            ConditionExpression:
              'attribute_exists(pk) AND (version = :expected OR (attribute_not_exists(version) AND :expected = :one))',
            ExpressionAttributeNames: {
              ...names,
              ...Object.fromEntries(removed.map((f, i) => [`#r${i}`, f])),
            },
            ExpressionAttributeValues: {
              ...values,
              ':now': now,
              ':next': expected + 1,
              ':expected': expected,
              ':one': 1,
            },
          },
        },
        stale,
      ),
      ...codeMoves,
      auditPut(
        this.table,
        principal,
        {
          action: closed ? 'site.close' : closed === null ? 'site.reopen' : 'site.update',
          entityType: 'site',
          entityId: site.siteId,
          details: {
            before: Object.fromEntries([...fields, ...removed].map((f) => [f, site[f] ?? null])),
            after: Object.fromEntries([...fields, ...removed].map((f) => [f, changes[f] ?? null])),
          },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
    return { site: next, version: expected + 1 };
  }

  async list(tenantId: string): Promise<Site[]> {
    const { pk, skPrefix } = keys.sites(tenantId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map(toSite);
  }
}

function toSite(item: Record<string, unknown>): Site {
  const { siteId, name, code, location, address, regionCode, geofence, closed, createdAt, updatedAt } =
    parseItem<Site>(SITE_ITEM, 'site', item);
  return {
    siteId,
    name,
    code,
    location,
    ...(address ? { address } : {}),
    ...(regionCode ? { regionCode } : {}),
    ...(geofence ? { geofence } : {}),
    ...(closed ? { closed } : {}),
    createdAt,
    ...(updatedAt ? { updatedAt } : {}),
  };
}
