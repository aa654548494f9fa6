// Entering a site's geofence (SPEC X5, the brief: 当人员进入新厂区电子围栏时): the person's
// phone is inside the fence of a site they have not been inducted at (or whose induction
// ran out) — the site's safety notice and quiz are opened, exactly as at a first check-in.
import type { SiteInductions } from '../domain/gate-view.ts';
import type { Clock } from '../shared/clock.ts';
import { inductionExpired, quizAttribute } from './decision.ts';
import type { ScanStore } from './scan-store.ts';

export interface FenceEntryDeps {
  scans: Pick<ScanStore, 'gateView' | 'entryPolicy'>;
  inductions: SiteInductions;
  clock: Clock;
}

/** Whether an induction was opened for the person at the site by this entry. */
export async function enterSiteFence(
  deps: FenceEntryDeps,
  tenantId: string,
  personId: string,
  siteId: string,
): Promise<boolean> {
  const [view, site] = await Promise.all([
    deps.scans.gateView(tenantId, personId),
    deps.scans.entryPolicy(tenantId, siteId),
  ]);
  if (!view || !site) return false;
  const due = !view[quizAttribute(siteId)] || inductionExpired(view, site, deps.clock.today());
  if (!due) return false;
  return !!(await deps.inductions.openOnArrival(tenantId, view, siteId));
}
