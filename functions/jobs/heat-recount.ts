// The nightly recount of the heat map's site counters: who is on site (presence and gate
// views) against what the counters say. The counters are moved in the same transactions
// as the people they count, so a difference means a bug or a write outside the product:
// it is reported (logged as an error, returned by the job) and the counter set right.

import { counterDifferences, recount } from '../domain/heat-counts.ts';
import type { HeatCounters } from '../gates/heat-store.ts';
import { logger } from '../shared/logger.ts';

export interface RecountDeps {
  heat: HeatCounters;
  reports: { allTenants(): Promise<string[]> };
}

export async function recountHeatCounters(deps: RecountDeps, options: { repair?: boolean } = {}) {
  const repair = options.repair ?? true;
  const tenants: { tenantId: string; differences: ReturnType<typeof counterDifferences> }[] = [];
  for (const tenantId of await deps.reports.allTenants()) {
    // Counters first, then people: a check-in between the two reads shows as a difference
    // of one, which the next night's recount clears (the job runs when sites are quiet).
    const stored = await deps.heat.siteCounters(tenantId);
    const counted = recount(await deps.heat.peopleCounted(tenantId));
    const differences = counterDifferences(stored, counted);
    if (differences.length === 0) continue;
    tenants.push({ tenantId, differences });
    logger.error('heat-map counters drifted from who is on site', { tenantId, differences });
    if (!repair) continue;
    for (const siteId of new Set(differences.map((d) => d.siteId))) {
      const attributes = Object.keys(stored.get(siteId) ?? {});
      await deps.heat.overwrite(tenantId, siteId, counted.get(siteId) ?? {}, attributes);
    }
  }
  return { tenantsWithDifferences: tenants.length, tenants };
}
