// Sites: created, corrected (optimistic), and found by position (their geofence). A fence
// is checked against the site's location whenever either changes.
import type { Site } from '../../schemas/sites.ts';
import type { SiteChanges, SiteRepository, VersionedSite } from '../domain/sites.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequest, NotFound, PreconditionFailed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { type Geofence, geofenceProblems, insideFence } from './geofence.ts';

export interface SiteDeps {
  sites: SiteRepository;
  /**
   * The person's phone is inside this site's fence (X5): their induction opened as on a
   * first check-in, if it is due (the gates capability); whether one was opened.
   */
  arrive(tenantId: string, personId: string, siteId: string): Promise<boolean>;
  clock: Clock;
}

function fenceOrThrow(fence: Geofence | undefined, location: { lat: number; lng: number }) {
  if (!fence) return;
  const problems = geofenceProblems(fence, location);
  if (problems.length)
    throw new InvalidRequest(
      'validation_failed',
      problems.map((code) => ({ field: 'geofence', code, message: code })),
    );
}

export async function createSite(
  deps: Pick<SiteDeps, 'sites' | 'clock'>,
  principal: Principal,
  body: Omit<Site, 'siteId' | 'createdAt' | 'updatedAt' | 'closed'>,
  requestId: string,
): Promise<Site> {
  authorize(principal, 'site:create');
  fenceOrThrow(body.geofence, body.location);
  const site: Site = { siteId: newId('site'), ...body, createdAt: deps.clock.now().toISOString() };
  await deps.sites.create(principal, site, requestId);
  return site;
}

/** The site a change names: in the caller's scope (else 404), at the version named (else 412). */
export async function siteToChange(
  deps: Pick<SiteDeps, 'sites'>,
  principal: Principal,
  siteId: string,
  version: number,
): Promise<VersionedSite> {
  authorize(principal, 'site:update');
  const current = canSeeSite(principal, siteId)
    ? await deps.sites.get(principal.tenantId, siteId)
    : undefined;
  if (!current) throw new NotFound('site_not_found');
  if (current.version !== version) throw new PreconditionFailed('stale_version');
  return current;
}

export async function correctSite(
  deps: Pick<SiteDeps, 'sites'>,
  principal: Principal,
  siteId: string,
  changes: SiteChanges,
  version: number,
  requestId: string,
): Promise<VersionedSite> {
  const current = await siteToChange(deps, principal, siteId, version);
  // The fence as it will be, around the location as it will be.
  const fence = changes.geofence === null ? undefined : (changes.geofence ?? current.site.geofence);
  fenceOrThrow(fence, changes.location ?? current.site.location);
  return deps.sites.update(principal, current, version, changes, requestId);
}

/**
 * The open sites whose fence holds a position (the mobile app's "where am I"); for a
 * worker, entering one opens its safety notice and quiz if due. The position is neither
 * stored nor logged.
 */
export async function sitesHere(
  deps: SiteDeps,
  principal: Principal,
  at: { lat: number; lng: number },
): Promise<{ items: { siteId: string; name: string; code: string }[]; inductionsOpened: string[] }> {
  authorize(principal, 'site:locate');
  const here = (await deps.sites.list(principal.tenantId)).filter(
    (s) => !s.closed && s.geofence && canSeeSite(principal, s.siteId) && insideFence(s.geofence, at),
  );
  const inductionsOpened: string[] = [];
  if (principal.role === 'worker' && principal.personId)
    for (const site of here)
      if (await deps.arrive(principal.tenantId, principal.personId, site.siteId))
        inductionsOpened.push(site.siteId);
  return { items: here.map(({ siteId, name, code }) => ({ siteId, name, code })), inductionsOpened };
}
