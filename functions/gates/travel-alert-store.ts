// The 50 km / 24 h alert's adapter: the tenant's distance rule, the sites' locations in one
// BatchGetItem, and the notices written through the Notifier. Only called after a gate has
// its decision, for people seen at another site lately.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationRequest, Notifier } from '../domain/notifications.ts';
import type { Location } from '../domain/travel.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import type { TravelAlerts } from './scans.ts';

export class DynamoTravelAlertStore implements TravelAlerts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly notifier: Notifier<TransactItem>,
    /** The tenant's 50 km / 24 h rule (its dispatch policy), wired by the composition root. */
    private readonly distanceRule: (
      tenantId: string,
    ) => Promise<{ distanceKm: number; distanceHours: number }>,
  ) {}

  async travelFacts(tenantId: string, siteIds: string[]) {
    const [policy, sites] = await Promise.all([
      this.distanceRule(tenantId),
      batchGetAll<{ siteId: string; location?: Location }>(
        this.db,
        this.table,
        siteIds.map((siteId) => keys.site(tenantId, siteId)),
      ),
    ]);
    const locations = new Map(
      sites.flatMap((s) =>
        s.location ? [[s.siteId, { lat: s.location.lat, lng: s.location.lng }] as const] : [],
      ),
    );
    return { policy: { distanceKm: policy.distanceKm, distanceHours: policy.distanceHours }, locations };
  }

  async notify(tenantId: string, requests: NotificationRequest[], now: Date) {
    await transact(this.db, this.notifier.prepare(tenantId, requests, now));
  }
}
