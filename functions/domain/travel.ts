// The 50 km / 24 h rule at the gate (SPEC X4): one person checking in at two places farther
// apart than the tenant's distance within its hours is either a borrowed badge or a worker
// who travelled through the night. The gate lets the scan decide as before and tells both
// sites' managers afterwards. The person's gate view keeps the last check-in per site over a
// bounded window, so the check needs no read while the gate waits for its decision.

export interface RecentIn {
  siteId: string;
  at: string;
}

export interface Location {
  lat: number;
  lng: number;
}

export interface TravelBreach {
  fromSiteId: string;
  fromAt: string;
  toSiteId: string;
  toAt: string;
  km: number;
  hours: number;
}

const HOUR = 3600_000;
/** The longest window a tenant may set (DispatchPolicy.distanceHours ≤ 168). */
export const RECENT_IN_HOURS = 168;
/** Nobody checks in at more sites than this in a week; the oldest go first. */
export const MAX_RECENT_INS = 16;

/** Great-circle distance in km (haversine on a 6371 km sphere). */
export function distanceKm(a: Location, b: Location): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The gate view's list after a check-in at `siteId`: the latest check-in per site, newest
 * first, none older than the longest window before the newest, at most MAX_RECENT_INS.
 * A redelivered scan leaves it as it was.
 */
export function recentInsWith(previous: RecentIn[] | undefined, checkIn: RecentIn): RecentIn[] {
  const latest = new Map<string, number>();
  for (const r of [...(previous ?? []), checkIn]) {
    const at = Date.parse(r.at);
    if (Number.isNaN(at)) continue;
    if (at > (latest.get(r.siteId) ?? Number.NEGATIVE_INFINITY)) latest.set(r.siteId, at);
  }
  const newest = Math.max(...latest.values());
  return [...latest]
    .filter(([, at]) => newest - at <= RECENT_IN_HOURS * HOUR)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_RECENT_INS)
    .map(([siteId, at]) => ({ siteId, at: new Date(at).toISOString() }));
}

/** Check-ins at other sites close enough in time to this one that a tenant's window may hold them. */
export function travelCandidates(previous: RecentIn[] | undefined, here: RecentIn): RecentIn[] {
  const at = Date.parse(here.at);
  return (previous ?? []).filter(
    (r) => r.siteId !== here.siteId && Math.abs(at - Date.parse(r.at)) <= RECENT_IN_HOURS * HOUR,
  );
}

/** The candidates that break the tenant's rule: farther than `distanceKm` within `distanceHours`. */
export function travelBreaches(
  candidates: RecentIn[],
  here: RecentIn,
  locations: ReadonlyMap<string, Location>,
  policy: { distanceKm: number; distanceHours: number },
): TravelBreach[] {
  const to = locations.get(here.siteId);
  if (!to) return [];
  const at = Date.parse(here.at);
  const out: TravelBreach[] = [];
  for (const c of candidates) {
    const from = locations.get(c.siteId);
    const hours = Math.abs(at - Date.parse(c.at)) / HOUR;
    if (!from || c.siteId === here.siteId || hours > policy.distanceHours) continue;
    const km = distanceKm(from, to);
    if (km > policy.distanceKm)
      out.push({
        fromSiteId: c.siteId,
        fromAt: c.at,
        toSiteId: here.siteId,
        toAt: new Date(at).toISOString(),
        km: Math.round(km),
        hours: Math.round(hours * 10) / 10,
      });
  }
  return out;
}
