// DynamoDB adapter for sites. Site codes are unique per tenant (a guard item).

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Site } from '../../schemas/sites.ts';
import type { SiteRepository } from '../domain/sites.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';

export type { SiteRepository } from '../domain/sites.ts';

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
            ConditionExpression: 'attribute_not_exists(pk)',
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
  const { siteId, name, code, location, address, regionCode, createdAt } = item as Site;
  return {
    siteId,
    name,
    code,
    location,
    ...(address ? { address } : {}),
    ...(regionCode ? { regionCode } : {}),
    createdAt,
  };
}
