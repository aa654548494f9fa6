// Publishing the signed offline allowlists (SPEC X2). Every minute the changed-allowlists
// job looks for change markers (a person's gate access, a badge, a site policy, a new gate)
// and republishes the lists of the tenants concerned; every 6 hours all lists are
// republished so that none runs out. Each site's list goes, retained, to each of its gates
// on gates/{gateId}/allowlist/{part}.

import type { AllowlistSigner } from '../shared/allowlist-signer.ts';
import type { Clock } from '../shared/clock.ts';
import { logger } from '../shared/logger.ts';
import { count, METRIC, seconds } from '../shared/metrics.ts';
import { type Allowlist, buildAllowlist } from './allowlist.ts';
import type { AllowlistState } from './allowlist-store.ts';
import type { GatePublisher } from './gate-publisher.ts';

/** AWS IoT Core's largest message is 128 KB. */
export const MAX_ALLOWLIST_BYTES = 128 * 1024;

export interface AllowlistDeps {
  allowlists: AllowlistState;
  signer: AllowlistSigner;
  publisher: GatePublisher;
  clock: Clock;
  /** Badges per part (tests use small parts). */
  partSize?: number;
}

export interface PublishedSite {
  siteId: string;
  version: number;
  parts: number;
  gates: number;
  allow: number;
  deny: number;
  bytes: number;
}

/** Builds, signs and publishes the list of every site of the tenant that has a gate. */
export async function publishTenantAllowlists(
  deps: AllowlistDeps,
  tenantId: string,
  now: Date,
  /** What asked for it (a metric dimension): a change marker or the periodic refresh. */
  cause: 'change' | 'refresh' = 'change',
): Promise<PublishedSite[]> {
  const gates = await deps.allowlists.activeGates(tenantId);
  if (gates.length === 0) return [];
  const badges = await deps.allowlists.badges(tenantId);
  const people = [...new Set(badges.filter((b) => b.active).map((b) => b.personId))];
  const views = await deps.allowlists.gateViews(tenantId, people);
  const bySite = new Map<string, string[]>();
  for (const g of gates) bySite.set(g.siteId, [...(bySite.get(g.siteId) ?? []), g.gateId]);
  const { signer, publisher } = deps;
  const published: PublishedSite[] = [];
  for (const [siteId, gateIds] of bySite) {
    const site = await deps.allowlists.sitePolicy(tenantId, siteId);
    const { version, previousParts, previousIssuedAt } = await deps.allowlists.nextVersion(
      tenantId,
      siteId,
      now,
    );
    // How old the list in the gates' hands had grown: the allowlist-age alarm watches it.
    if (previousIssuedAt)
      seconds(METRIC.allowlistAge, (now.getTime() - Date.parse(previousIssuedAt)) / 1000, { cause });
    const parts: Allowlist[] = buildAllowlist(
      { tenantId, siteId, version, now, badges, views, site },
      deps.partSize,
    );
    const signed = await Promise.all(parts.map((p) => signer.sign(p)));
    const largest = Math.max(...signed.map((jws) => Buffer.byteLength(jws)));
    if (largest > MAX_ALLOWLIST_BYTES) {
      // Cannot happen with the default part size; say so loudly rather than publish a part IoT would drop.
      logger.error('allowlist part too large for one MQTT message', { tenantId, siteId, bytes: largest });
      count(METRIC.allowlistPublished, { outcome: 'too_large', cause });
      continue;
    }
    for (const gateId of gateIds) {
      for (const [part, jws] of signed.entries())
        await publisher.publish(`gates/${gateId}/allowlist/${part}`, jws, { retain: true });
      // A shorter list than before: clear the retained parts it no longer has (empty payload).
      for (let part = signed.length; part < previousParts; part++)
        await publisher.publish(`gates/${gateId}/allowlist/${part}`, '', { retain: true });
    }
    await deps.allowlists.recordParts(tenantId, siteId, signed.length);
    count(METRIC.allowlistPublished, { outcome: 'published', cause });
    published.push({
      siteId,
      version,
      parts: signed.length,
      gates: gateIds.length,
      allow: parts.reduce((n, p) => n + p.allow.length, 0),
      deny: parts.reduce((n, p) => n + Object.keys(p.deny).length, 0),
      bytes: signed.reduce((n, jws) => n + Buffer.byteLength(jws), 0),
    });
  }
  return published;
}

/** The changed-allowlists job: republishes for tenants with change markers, then clears them. */
export async function publishChangedAllowlists(deps: AllowlistDeps) {
  const now = deps.clock.now();
  const changes = await deps.allowlists.pendingChanges();
  const result: Record<string, PublishedSite[]> = {};
  for (const tenantId of new Set(changes.map((c) => c.tenantId)))
    result[tenantId] = await publishTenantAllowlists(deps, tenantId, now);
  for (const change of changes) await deps.allowlists.clearChange(change);
  return { changes: changes.length, tenants: result };
}

/** The periodic refresh: every tenant with gates gets fresh lists before the old ones expire. */
export async function refreshAllAllowlists(deps: AllowlistDeps) {
  const now = deps.clock.now();
  const result: Record<string, PublishedSite[]> = {};
  for (const tenantId of await deps.allowlists.tenantsWithGates())
    result[tenantId] = await publishTenantAllowlists(deps, tenantId, now, 'refresh');
  // A heartbeat even with no gate anywhere: its absence is what says the refresh stopped.
  count(METRIC.allowlistRefresh);
  return { tenants: result };
}
