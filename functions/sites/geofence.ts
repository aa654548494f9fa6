// A site's geofence (issue 28, SPEC X5): its boundary as a GeoJSON polygon (one ring,
// longitude first). Checked when set — closed, not crossing itself, of a plausible size,
// around the site's own location — and asked whether a phone's position is inside it, so
// that entering a new site's fence opens its safety notice and quiz as a first check-in does.
// Turf (the reference JavaScript geometry library) does the geometry.
import area from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import kinks from '@turf/kinks';

export interface Geofence {
  type: 'Polygon';
  /** One ring of [longitude, latitude] positions, the last equal to the first. */
  coordinates: [number, number][][];
}

/** A fence smaller than a house or larger than a city district is a mistake, not a site. */
export const MIN_FENCE_M2 = 100;
export const MAX_FENCE_M2 = 100_000_000;

export type GeofenceProblem =
  | 'geofence_not_closed'
  | 'geofence_self_intersecting'
  | 'geofence_too_small'
  | 'geofence_too_large'
  | 'geofence_excludes_site';

/** What is wrong with a fence for a site at `location` (nothing: it may be stored). */
export function geofenceProblems(fence: Geofence, location: { lat: number; lng: number }): GeofenceProblem[] {
  const ring = fence.coordinates[0] ?? [];
  const first = ring[0];
  const last = ring.at(-1);
  if (ring.length < 4 || !first || !last || first[0] !== last[0] || first[1] !== last[1])
    return ['geofence_not_closed'];
  const polygon = { type: 'Polygon' as const, coordinates: [ring] };
  if (kinks(polygon).features.length > 0) return ['geofence_self_intersecting'];
  const m2 = area(polygon);
  if (m2 < MIN_FENCE_M2) return ['geofence_too_small'];
  if (m2 > MAX_FENCE_M2) return ['geofence_too_large'];
  return insideFence(fence, location) ? [] : ['geofence_excludes_site'];
}

/** Whether a position is inside the fence (its boundary counts as inside). */
export function insideFence(fence: Geofence, at: { lat: number; lng: number }): boolean {
  return booleanPointInPolygon([at.lng, at.lat], { type: 'Polygon', coordinates: fence.coordinates });
}
