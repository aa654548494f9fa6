// Closing a site (issue 28): a plant shut, a project finished. Its gates are retired (their
// certificates revoked, no more allowlists), dispatch puts no new ticket there, nobody is
// given it as home site any more, and the people whose home it was are counted for
// reassignment (GET /people?siteId=… lists them). Reopening lifts the closure; its gates are
// provisioned again one by one (a retired gate's identity is never revived).
import type { SiteRepository, VersionedSite } from '../domain/sites.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import { siteToChange } from './sites.ts';

export interface ClosureDeps {
  sites: SiteRepository;
  /** Retires every active gate of the site (the gates capability); the gate ids retired. */
  retireGates(principal: Principal, siteId: string, requestId: string): Promise<string[]>;
  /** How many current people have the site as their home site. */
  homePeople(tenantId: string, siteId: string): Promise<number>;
  clock: Clock;
}

export async function closeSite(
  deps: ClosureDeps,
  principal: Principal,
  siteId: string,
  body: { reason: string },
  version: number,
  requestId: string,
): Promise<{ closed: VersionedSite; gatesRetired: string[]; homePeople: number }> {
  const current = await siteToChange(deps, principal, siteId, version);
  if (current.site.closed) throw new Conflict('site_closed');
  const closed = await deps.sites.update(
    principal,
    current,
    version,
    { closed: { at: deps.clock.now().toISOString(), reason: body.reason, by: principal.subject } },
    requestId,
  );
  // Closed first, so no gate is provisioned there meanwhile; then its gates go.
  const gatesRetired = await deps.retireGates(principal, siteId, requestId);
  return { closed, gatesRetired, homePeople: await deps.homePeople(principal.tenantId, siteId) };
}

export async function reopenSite(
  deps: ClosureDeps,
  principal: Principal,
  siteId: string,
  version: number,
  requestId: string,
): Promise<VersionedSite> {
  const current = await siteToChange(deps, principal, siteId, version);
  if (!current.site.closed) throw new Conflict('site_not_closed');
  return deps.sites.update(principal, current, version, { closed: null }, requestId);
}
