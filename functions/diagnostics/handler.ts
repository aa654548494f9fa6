// The diagnostics function: HTTP entry only; the radar is computed in diagnostics.ts.
import { getRadar, getRadarPng, getRadarSvg } from '../../schemas/routes/diagnostics.ts';
import { apiHandler } from '../api-handler.ts';
import { diagnosticsDeps } from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import { isMessageCode, message } from '../shared/i18n/messages.ts';
import { tenantRadar } from './diagnostics.ts';
import { AREA_LABELS, radarSvg } from './radar.ts';

const deps = diagnosticsDeps();

export const handler = apiHandler([
  on(getRadar, async ({ principal, lang }) => {
    const radar = await tenantRadar(deps, principal);
    return {
      status: 200,
      body: {
        overall: radar.overall,
        areas: radar.areas.map((a) => ({ ...a, label: AREA_LABELS[a.area] })),
        actions: radar.actions.map((a) => ({
          ...a,
          text: isMessageCode(a.action) ? message(a.action, lang, { count: a.count }) : a.action,
        })),
      },
    };
  }),
  on(getRadarSvg, async ({ principal }) => {
    const radar = await tenantRadar(deps, principal);
    return {
      status: 200,
      file: {
        contentType: 'image/svg+xml',
        fileName: 'radar.svg',
        data: Buffer.from(radarSvg(radar.areas, `合规雷达 · 总分 ${radar.overall}`)),
      },
    };
  }),
  on(getRadarPng, async ({ principal }) => {
    const radar = await tenantRadar(deps, principal);
    const { svgToPng } = await import('./radar-png.ts');
    return {
      status: 200,
      file: {
        contentType: 'image/png',
        fileName: 'radar.png',
        data: await svgToPng(radarSvg(radar.areas, `合规雷达 · 总分 ${radar.overall}`)),
      },
    };
  }),
]);
