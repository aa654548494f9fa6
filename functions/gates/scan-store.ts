// Scans and presence (SPEC X2): the port the gate decision talks to and its DynamoDB
// adapter. A scan reads the badge and the person's gate view (nothing that grows with
// history) and writes the scan once: a repeated scanId (MQTT QoS 1 redelivery) gets the
// stored decision back from the failed condition itself, without a third read.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CHECK_IN_ITEM, GATE_VIEW_ITEM } from '../domain/entities.ts';
import type { CheckIn } from '../domain/fatigue.ts';
import { heatDeltas } from '../domain/heat-counts.ts';
import { recentInsWith } from '../domain/travel.ts';
import type { Clock } from '../shared/clock.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { parseItems, parseOptionalItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, StaleRecord, transact } from '../shared/dynamo/transactions.ts';
import {
  type BadgeBinding,
  type Decision,
  type GateView,
  type SiteEntryPolicy,
  sameScan,
} from './decision.ts';
import { countedFrom, countingOf, countingUpdate, heatCounterItems } from './heat-store.ts';

export interface ScanRecord {
  scanId: string;
  gateId: string;
  siteId: string;
  badgeUid: string;
  direction: 'in' | 'out';
  at: string;
  workType?: string;
  decision: Decision;
}

/** A site's entry policy item as the decision reads it. */
export function entryPolicy(siteId: string, item: Record<string, unknown>): SiteEntryPolicy {
  return {
    siteId,
    quizRequired: item.quizRequired === true,
    ...(typeof item.quizValidDays === 'number' ? { quizValidDays: item.quizValidDays } : {}),
  };
}

/** Presence already shows a later scan: this one moves nothing. */
class OlderScan extends Error {}

/** The scan id was used at this gate before: `first` is what was stored then. */
class ScanAlreadyRecorded extends Error {
  constructor(readonly first: ScanRecord) {
    super('scan already recorded');
  }
}

/** Moves of one person that keep colliding give up after this many tries (the scan is retried). */
const MAX_PRESENCE_ATTEMPTS = 5;

export interface ScanStore {
  /** Read 1 of a scan: the badge binding and the site's entry policy, in one request. */
  badgeAndSite(
    tenantId: string,
    badgeUid: string,
    siteId: string,
  ): Promise<{ badge?: BadgeBinding; site?: SiteEntryPolicy }>;
  /** Read 2: the person's gate view, strongly consistent. */
  gateView(tenantId: string, personId: string): Promise<GateView | undefined>;
  /** A site's entry policy (its safety notice and quiz rules), if it has one. */
  entryPolicy(tenantId: string, siteId: string): Promise<SiteEntryPolicy | undefined>;
  /** Stores a scan; an allowed one moves presence and the site counters, counted as `view` says. */
  recordScan(
    tenantId: string,
    scan: ScanRecord,
    view?: GateView,
  ): Promise<{ decision: Decision; duplicate: boolean; reused?: boolean }>;
  checkInsSince(tenantId: string, personId: string, since: Date): Promise<CheckIn[]>;
  latestCheckIns(tenantId: string, personId: string, limit?: number): Promise<CheckIn[]>;
  fatigueCheckIns(tenantId: string, personId: string, now: Date): Promise<CheckIn[]>;
}

export class DynamoScanStore implements ScanStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    readonly _clock: Clock,
  ) {}

  /** Read 1 of a scan: the badge binding and the site's entry policy, in one BatchGetItem. */
  async badgeAndSite(
    tenantId: string,
    badgeUid: string,
    siteId: string,
  ): Promise<{ badge?: BadgeBinding; site?: SiteEntryPolicy }> {
    const badgeKey = keys.badge(tenantId, badgeUid);
    const siteKey = keys.siteEntryPolicy(tenantId, siteId);
    const items = await batchGetAll<Record<string, unknown>>(this.db, this.table, [badgeKey, siteKey]);
    const b = items.find((i) => i.pk === badgeKey.pk);
    const s = items.find((i) => i.sk === siteKey.sk && i.pk === siteKey.pk);
    return {
      ...(b ? { badge: { badgeUid, personId: String(b.personId), active: b.active === true } } : {}),
      ...(s ? { site: entryPolicy(siteId, s) } : {}),
    };
  }

  async entryPolicy(tenantId: string, siteId: string): Promise<SiteEntryPolicy | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.siteEntryPolicy(tenantId, siteId) }),
    );
    return out.Item ? entryPolicy(siteId, out.Item) : undefined;
  }

  async gateView(tenantId: string, personId: string): Promise<GateView | undefined> {
    // Strongly consistent: a person turned red a moment ago must not pass.
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.gateView(tenantId, personId), ConsistentRead: true }),
    );
    return parseOptionalItem<GateView>(GATE_VIEW_ITEM, 'gate view', out.Item);
  }

  /** A person's check-ins since an instant (bounded by time, never the whole history). */
  async checkInsSince(tenantId: string, personId: string, since: Date): Promise<CheckIn[]> {
    const from = keys.checkIn(tenantId, personId, since.toISOString(), '');
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': from.pk, ':from': from.sk, ':to': 'CHECKIN#~' },
    });
    return parseItems<CheckIn>(CHECK_IN_ITEM, 'check-in', items).map(({ at, direction, siteId }) => ({
      at,
      direction,
      siteId,
    }));
  }

  /** A person's latest check-ins, newest first (enough for the last few jobs). */
  async latestCheckIns(tenantId: string, personId: string, limit = 40): Promise<CheckIn[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.person(tenantId, personId).pk, ':sk': 'CHECKIN#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return parseItems<CheckIn>(CHECK_IN_ITEM, 'check-in', out.Items ?? []).map(
      ({ at, direction, siteId, gateId, workType }) => ({
        at,
        direction,
        siteId,
        ...(gateId ? { gateId } : {}),
        ...(workType ? { workType } : {}),
      }),
    );
  }

  /**
   * Stores a scan and, when allowed, its check-in; a redelivery of the same scan gets the
   * first decision (`duplicate`), a different scan under a used id gets `reused`.
   * Presence then follows the scan only if it is newer than what presence shows, so a
   * late "out" (an offline gate catching up) never takes someone off site after they came back.
   * The site's heat counters move with presence, counted as `view` says (colour, categories).
   */
  async recordScan(
    tenantId: string,
    scan: ScanRecord,
    view?: GateView,
  ): Promise<{ decision: Decision; duplicate: boolean; reused?: boolean }> {
    const result = await this.storeScan(tenantId, scan);
    const first = result.first ?? scan;
    if (!result.reused && first.decision.decision === 'allow' && first.decision.person)
      await this.movePresence(tenantId, first.decision.person.personId, first, view);
    return {
      decision: first.decision,
      duplicate: !!result.first,
      ...(result.reused ? { reused: true } : {}),
    };
  }

  private async storeScan(
    tenantId: string,
    scan: ScanRecord,
  ): Promise<{ first?: ScanRecord; reused?: boolean }> {
    const person = scan.decision.person;
    try {
      await transact(this.db, [
        guard(
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.scan(tenantId, scan.gateId, scan.scanId), entity: 'scan', ...scan },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          (old) => new ScanAlreadyRecorded(old as unknown as ScanRecord),
        ),
        // An allowed scan is a check-in: where the person is now, and their shift history.
        ...(scan.decision.decision === 'allow' && person
          ? [
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...keys.checkIn(tenantId, person.personId, new Date(scan.at).toISOString(), scan.scanId),
                    entity: 'check-in',
                    siteId: scan.siteId,
                    gateId: scan.gateId,
                    direction: scan.direction,
                    ...(scan.workType ? { workType: scan.workType } : {}),
                    at: new Date(scan.at).toISOString(),
                  },
                },
              },
            ]
          : []),
      ]);
      return {};
    } catch (error) {
      if (!(error instanceof ScanAlreadyRecorded)) throw error;
      const first = error.first;
      return sameScan(first, scan) ? { first } : { first, reused: true };
    }
  }

  /**
   * Applies a scan to presence unless presence already shows a later scan (idempotent), and
   * moves the heat counters in the same transaction: out of how the gate view says the
   * person was counted, into how it counts them now. The gate view was read for the
   * decision already, so this costs no read; a concurrent move of the same person (another
   * scan, a status change) bumps its counting version: read it again, try again.
   */
  private async movePresence(tenantId: string, personId: string, scan: ScanRecord, view?: GateView) {
    const at = new Date(scan.at).toISOString(); // UTC, so that ISO strings compare as times
    let current = view;
    for (let attempt = 1; ; attempt++) {
      current ??= await this.gateView(tenantId, personId);
      const seen = countingOf(current);
      const to = scan.direction === 'in' && current ? countedFrom(scan.siteId, current) : undefined;
      const counting = countingUpdate(seen, to);
      // The check-in joins the view's recent list in the same write (the 50 km / 24 h alert).
      if (scan.direction === 'in' && current) {
        counting.set.push('recentIns = :recentIns');
        counting.values[':recentIns'] = recentInsWith(current.recentIns, { siteId: scan.siteId, at });
      }
      try {
        await transact(this.db, [
          guard({ Update: this.presenceUpdate(tenantId, personId, scan, at) }, () => new OlderScan()),
          ...(current
            ? [
                guard(
                  {
                    Update: {
                      TableName: this.table,
                      Key: keys.gateView(tenantId, personId),
                      UpdateExpression:
                        (counting.set.length ? `SET ${counting.set.join(', ')} ` : '') +
                        (counting.remove.length ? `REMOVE ${counting.remove.join(', ')} ` : '') +
                        `ADD ${counting.add.join(', ')}`,
                      ConditionExpression: counting.condition,
                      ExpressionAttributeValues: counting.values,
                    },
                  },
                  () => new StaleRecord(),
                ),
              ]
            : []),
          ...heatCounterItems(this.table, tenantId, heatDeltas(seen.counted, to)),
        ]);
        return;
      } catch (error) {
        if (error instanceof OlderScan) return; // presence already shows a later scan
        if (!(error instanceof StaleRecord) || attempt >= MAX_PRESENCE_ATTEMPTS) throw error;
        current = undefined;
      }
    }
  }

  /**
   * Where the person is now. While on site the item is in the tenant's on-site index and
   * keeps when the open shift began (a second "in" continues it), so the fatigue window
   * knows a shift longer than the check-ins it reads.
   */
  private presenceUpdate(tenantId: string, personId: string, scan: ScanRecord, at: string) {
    const fields: Record<string, unknown> = {
      entity: 'presence',
      personId,
      siteId: scan.siteId,
      gateId: scan.gateId,
      direction: scan.direction,
      at,
      ...(scan.direction === 'in' ? keys.onSiteIndex(tenantId, scan.siteId, personId) : {}),
    };
    const names = Object.keys(fields);
    const sets = names.map((_, i) => `#f${i} = :f${i}`);
    if (scan.direction === 'in') sets.push('shiftStartedAt = if_not_exists(shiftStartedAt, :start)');
    return {
      TableName: this.table,
      Key: keys.presence(tenantId, personId),
      UpdateExpression: `SET ${sets.join(', ')}${scan.direction === 'out' ? ' REMOVE gsi2pk, gsi2sk, shiftStartedAt' : ''}`,
      // Only forward in time: an equal time is the same scan again (idempotent).
      ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((n, i) => [`#f${i}`, n])), '#at': 'at' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:f${i}`, fields[n]])),
        ':at': at,
        ...(scan.direction === 'in' ? { ':start': at } : {}),
      },
    };
  }

  /**
   * The check-ins the fatigue window needs: the last 48 h, and the start of a shift still
   * open from before them (kept on the presence item), so a very long shift is not missed.
   */
  async fatigueCheckIns(tenantId: string, personId: string, now: Date): Promise<CheckIn[]> {
    const since = new Date(now.getTime() - 48 * 3600_000);
    const [recent, presence] = await Promise.all([
      this.checkInsSince(tenantId, personId, since),
      this.db.send(new GetCommand({ TableName: this.table, Key: keys.presence(tenantId, personId) })),
    ]);
    const p = presence.Item as { direction?: string; siteId?: string; shiftStartedAt?: string } | undefined;
    if (p?.direction === 'in' && p.shiftStartedAt && Date.parse(p.shiftStartedAt) < since.getTime())
      return [{ at: p.shiftStartedAt, direction: 'in', siteId: String(p.siteId) }, ...recent];
    return recent;
  }
}
