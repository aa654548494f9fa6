// The heatmap function's routes (see schemas/route.ts).
import { HeatmapPerson, HeatmapQuery } from '../gates.ts';
import { route } from '../route.ts';

export const getHeatmap = route({
  operationId: 'getHeatmap',
  method: 'GET',
  path: '/heatmap',
  capability: 'heatmap',
  auth: true,
  summary:
    'People on site now, per site and per H3 cell, as GeoJSON; filter by colour and certificate category',
  query: HeatmapQuery,
  responses: { 200: { description: 'GeoJSON FeatureCollection', contentType: 'application/geo+json' } },
});

export const getHeatmapPerson = route({
  operationId: 'getHeatmapPerson',
  method: 'GET',
  path: '/heatmap/people/{personId}',
  capability: 'heatmap',
  auth: true,
  summary: 'Drill into a point: current site, last 3 jobs’ work types, certificate validity, fatigue window',
  responses: { 200: { description: 'The person on the map', schema: HeatmapPerson } },
});
