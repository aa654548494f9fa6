// The heat map (SPEC X3): people on site now, per site and per H3 cell, as GeoJSON. Pure:
// who is on site comes from the gate store (DynamoGateStore.peopleOnSite).
// h3-js is Uber's reference implementation of the H3 geo cells.
import type { Site } from '../../schemas/sites.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { GateView } from './decision.ts';

export const H3_RESOLUTION = 7; // cells of ~5 km²: a site and its neighbourhood

export interface OnSite {
  personId: string;
  siteId: string;
  color: GateView['color'];
}

export async function heatmapGeoJson(principal: Principal, sites: Site[], onSite: OnSite[]) {
  // Loaded on the first map: the person drill-down in the same function never needs it.
  const { cellToBoundary, latLngToCell } = await import('h3-js');
  const visible = sites.filter(
    (s) => principal.role !== 'site_manager' || principal.siteIds.includes(s.siteId),
  );
  const bySite = new Map<string, OnSite[]>();
  for (const p of onSite) bySite.set(p.siteId, [...(bySite.get(p.siteId) ?? []), p]);
  const count = (people: OnSite[]) => ({
    total: people.length,
    green: people.filter((p) => p.color === 'green').length,
    yellow: people.filter((p) => p.color === 'yellow').length,
    red: people.filter((p) => p.color === 'red').length,
  });
  const siteFeatures = visible.map((s) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: [s.location.lng, s.location.lat] },
    properties: {
      kind: 'site',
      siteId: s.siteId,
      name: s.name,
      h3: latLngToCell(s.location.lat, s.location.lng, H3_RESOLUTION),
      ...count(bySite.get(s.siteId) ?? []),
    },
  }));
  const byCell = new Map<string, OnSite[]>();
  for (const f of siteFeatures)
    byCell.set(f.properties.h3, [
      ...(byCell.get(f.properties.h3) ?? []),
      ...(bySite.get(f.properties.siteId) ?? []),
    ]);
  const cellFeatures = [...byCell].map(([cell, people]) => ({
    type: 'Feature' as const,
    // GeoJSON rings are [lng, lat] and closed.
    geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(cell, true)] },
    properties: { kind: 'cell', h3: cell, resolution: H3_RESOLUTION, ...count(people) },
  }));
  return { type: 'FeatureCollection' as const, features: [...siteFeatures, ...cellFeatures] };
}
