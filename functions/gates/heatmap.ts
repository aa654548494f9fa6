// The heat map (SPEC X3): people on site now, per site and per H3 cell, as GeoJSON.
// h3-js is Uber's reference implementation of the H3 geo cells.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cellToBoundary, latLngToCell } from 'h3-js';
import type { Site } from '../../schemas/sites.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { GateView } from './decision.ts';

export const H3_RESOLUTION = 7; // cells of ~5 km²: a site and its neighbourhood

export interface OnSite {
  personId: string;
  siteId: string;
  color: GateView['color'];
}

export async function peopleOnSite(
  db: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  siteId?: string,
): Promise<OnSite[]> {
  const q = keys.onSiteQuery(tenantId, siteId);
  const presence = await queryAll<{ personId: string; siteId: string }>(db, {
    TableName: table,
    IndexName: q.index,
    KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :sk)',
    ExpressionAttributeValues: { ':pk': q.pk, ':sk': q.skPrefix },
  });
  // Current colours from the gate views (100 keys per BatchGet).
  const views = await batchGetAll<GateView>(
    db,
    table,
    presence.map((p) => keys.gateView(tenantId, p.personId)),
  );
  const colors = new Map(views.map((v) => [v.personId, v.color]));
  return presence.map((p) => ({
    personId: p.personId,
    siteId: p.siteId,
    color: colors.get(p.personId) ?? 'red',
  }));
}

export function heatmapGeoJson(principal: Principal, sites: Site[], onSite: OnSite[]) {
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
