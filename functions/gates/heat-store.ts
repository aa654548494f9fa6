// The heat map's counters in DynamoDB: one item per site (T#<tenant> / HEAT#<siteId>) with
// an attribute per colour and per category × colour, changed only by ADD inside the
// transactions that move a person (check-in, check-out, status change on site). How a
// person is counted lives on their gate view (`counted`, with a version `cv`): the scan
// reads the gate view anyway, so counting costs it no extra read, the next move takes
// exactly that back out, and two moves of one person cannot interleave.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GATE_COUNTING_ITEM, GATE_VIEW_ITEM } from '../domain/entities.ts';
import type { GateView, Presence } from '../domain/gate-view.ts';
import type { Counted, Counter } from '../domain/heat-counts.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { parseItems, parseOptionalItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { TransactItem } from '../shared/dynamo/transactions.ts';

/** How a person is counted now, as their gate view records it (with their open tickets). */
export type Counting = Presence;

export const countingOf = (
  view: (Pick<GateView, 'counted' | 'cv'> & { openTickets?: Set<string> }) | undefined,
): Counting => ({
  ...(view?.counted ? { counted: view.counted } : {}),
  ...(typeof view?.cv === 'number' ? { cv: view.cv } : {}),
  ...(view?.openTickets?.size ? { openTickets: [...view.openTickets].sort() } : {}),
});

/** A status write reads how the person is counted (one GetItem) before it moves counters. */
export async function readCounting(
  db: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  personId: string,
): Promise<Counting> {
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: keys.gateView(tenantId, personId),
      ConsistentRead: true,
      ProjectionExpression: 'counted, cv, openTickets',
    }),
  );
  return countingOf(parseOptionalItem(GATE_COUNTING_ITEM, 'gate view', out.Item));
}

/**
 * The gate view's part of a move: the new counting, the version bumped, and the condition
 * that the counting is still the one read (else StaleRecord: read again, try again).
 */
export function countingUpdate(seen: Counting, to: Counted | undefined) {
  return {
    set: to ? ['counted = :countedTo'] : [],
    remove: to ? [] : ['counted'],
    add: ['cv :cvOne'],
    // Never creates a gate view: a person deleted meanwhile is counted nowhere.
    condition: seen.cv === undefined ? 'attribute_exists(pk) AND attribute_not_exists(cv)' : 'cv = :cvSeen',
    values: {
      ...(to ? { ':countedTo': to } : {}),
      ':cvOne': 1,
      ...(seen.cv === undefined ? {} : { ':cvSeen': seen.cv }),
    } as Record<string, unknown>,
  };
}

/** ADDs to each site's counter; with nothing to move, nothing. */
export function heatCounterItems(
  table: string,
  tenantId: string,
  deltas: Map<string, Counter>,
): TransactItem[] {
  return [...deltas].map(([siteId, counter]) => {
    const attrs = Object.entries(counter);
    return {
      Update: {
        TableName: table,
        Key: keys.siteHeat(tenantId, siteId),
        UpdateExpression: `SET entity = :e, siteId = :s ADD ${attrs.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(attrs.map(([a], i) => [`#c${i}`, a])),
        ExpressionAttributeValues: {
          ':e': 'site-heat',
          ':s': siteId,
          ...Object.fromEntries(attrs.map(([, n], i) => [`:c${i}`, n])),
        },
      },
    };
  });
}

/** How a person counted somewhere is counted after a status change: same site, new colour. */
export function recounted(seen: Counting, status: { color: Counted['color']; categories?: string[] }) {
  return seen.counted
    ? { siteId: seen.counted.siteId, color: status.color, categories: status.categories ?? [] }
    : undefined;
}

/** How the gate view says a person counts at a site. */
export const countedFrom = (siteId: string, view: GateView): Counted => ({
  siteId,
  color: view.color,
  categories: view.categories ?? [],
});

/** The site counters the heat map reads, and what the nightly recount needs. */
export interface HeatCounters {
  siteCounters(tenantId: string): Promise<Map<string, Counter>>;
  peopleCounted(tenantId: string): Promise<Counted[]>;
  overwrite(tenantId: string, siteId: string, counter: Counter, stale: string[]): Promise<void>;
}

export class DynamoHeatCounters implements HeatCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Every site counter of a tenant: one item per site, whatever the number of people. */
  async siteCounters(tenantId: string): Promise<Map<string, Counter>> {
    const q = keys.siteHeats(tenantId);
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': q.pk, ':sk': q.skPrefix },
    });
    return new Map(
      items.map((item) => [
        String(item.siteId),
        Object.fromEntries(
          Object.entries(item).filter(
            ([k, v]) => (k.startsWith('color#') || k.startsWith('cat#')) && typeof v === 'number',
          ),
        ) as Counter,
      ]),
    );
  }

  /** How everyone on site is counted now, from presence and gate views (the recount's truth). */
  async peopleCounted(tenantId: string): Promise<Counted[]> {
    const q = keys.onSiteQuery(tenantId);
    const presence = await queryAll<{ personId: string; siteId: string }>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :sk)',
      ExpressionAttributeValues: { ':pk': q.pk, ':sk': q.skPrefix },
    });
    const views = new Map(
      parseItems<GateView>(
        GATE_VIEW_ITEM,
        'gate view',
        await batchGetAll(
          this.db,
          this.table,
          presence.map((p) => keys.gateView(tenantId, p.personId)),
        ),
      ).map((v) => [v.personId, v]),
    );
    return presence.flatMap((p) => {
      const view = views.get(p.personId);
      return view ? [countedFrom(p.siteId, view)] : [];
    });
  }

  /** Overwrites a site's counter with recounted values (the nightly repair). */
  async overwrite(tenantId: string, siteId: string, counter: Counter, stale: string[]): Promise<void> {
    const attrs = Object.entries(counter);
    const removed = stale.filter((a) => !(a in counter));
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.siteHeat(tenantId, siteId),
        UpdateExpression:
          `SET entity = :e, siteId = :s${attrs.map((_, i) => `, #c${i} = :c${i}`).join('')}` +
          (removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''),
        ExpressionAttributeNames: {
          ...Object.fromEntries(attrs.map(([a], i) => [`#c${i}`, a])),
          ...Object.fromEntries(removed.map((a, i) => [`#r${i}`, a])),
        },
        ExpressionAttributeValues: {
          ':e': 'site-heat',
          ':s': siteId,
          ...Object.fromEntries(attrs.map(([, n], i) => [`:c${i}`, n])),
        },
      }),
    );
  }
}
