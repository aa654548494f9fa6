// The diagnostics function's routes (SPEC E4: the compliance radar).
import { Radar } from '../diagnostics.ts';
import { route } from '../route.ts';

export const getRadar = route({
  operationId: 'getRadar',
  method: 'GET',
  path: '/diagnostics/radar',
  capability: 'diagnostics',
  auth: true,
  summary:
    'The compliance radar (group_admin, auditor): a score 0–100 per area with its figures, and the three actions that would raise it most',
  responses: { 200: { description: 'The radar', schema: Radar } },
});

export const getRadarSvg = route({
  operationId: 'getRadarSvg',
  method: 'GET',
  path: '/diagnostics/radar.svg',
  capability: 'diagnostics',
  auth: true,
  summary: 'The radar drawn as an SVG image with zh-CN labels',
  responses: { 200: { description: 'The radar chart', files: ['image/svg+xml'] } },
});

export const getRadarPng = route({
  operationId: 'getRadarPng',
  method: 'GET',
  path: '/diagnostics/radar.png',
  capability: 'diagnostics',
  auth: true,
  summary: 'The radar drawn as a PNG image (800 px wide) with zh-CN labels, for reports and chat groups',
  responses: { 200: { description: 'The radar chart', files: ['image/png'] } },
});
