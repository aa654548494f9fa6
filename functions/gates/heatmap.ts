// The heat map (SPEC X3): people on site now, per site and per H3 cell, as GeoJSON, from the
// sites' counters (functions/gates/heat-counts.ts): one counter per site, whatever the
// number of people. h3-js is Uber's reference implementation of the H3 geo cells.
import type { Site } from '../../schemas/sites.ts';
import {
  addCounts,
  type Counter,
  countsUnder,
  type HeatFilter,
  type SiteCounts,
} from '../domain/heat-counts.ts';
import type { Principal } from '../shared/auth/principal.ts';

export const H3_RESOLUTION = 7; // cells of ~5 km²: a site and its neighbourhood

const NONE: SiteCounts = { total: 0, green: 0, yellow: 0, red: 0 };

export async function heatmapGeoJson(
  principal: Principal,
  sites: Site[],
  counters: Map<string, Counter>,
  filter: HeatFilter = {},
) {
  // Loaded on the first map: the person drill-down in the same function never needs it.
  const { cellToBoundary, latLngToCell } = await import('h3-js');
  const visible = sites.filter(
    (s) => principal.role !== 'site_manager' || principal.siteIds.includes(s.siteId),
  );
  const siteFeatures = visible.map((s) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: [s.location.lng, s.location.lat] },
    properties: {
      kind: 'site',
      siteId: s.siteId,
      name: s.name,
      h3: latLngToCell(s.location.lat, s.location.lng, H3_RESOLUTION),
      ...countsUnder(counters.get(s.siteId) ?? {}, filter),
    },
  }));
  const byCell = new Map<string, SiteCounts>();
  for (const f of siteFeatures) {
    const { total, green, yellow, red } = f.properties;
    byCell.set(
      f.properties.h3,
      addCounts(byCell.get(f.properties.h3) ?? NONE, { total, green, yellow, red }),
    );
  }
  const cellFeatures = [...byCell].map(([cell, counts]) => ({
    type: 'Feature' as const,
    // GeoJSON rings are [lng, lat] and closed.
    geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(cell, true)] },
    properties: { kind: 'cell', h3: cell, resolution: H3_RESOLUTION, ...counts },
  }));
  return { type: 'FeatureCollection' as const, features: [...siteFeatures, ...cellFeatures] };
}
