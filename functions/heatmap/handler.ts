import { getHeatmap } from '../../schemas/routes.ts';
import { statusOf } from '../certificates/certificates.ts';
import { heatmapGeoJson, peopleOnSite } from '../gates/heatmap.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { dynamoAdapters } from '../shared/wiring.ts';

const deps = dynamoAdapters();

export const handler = httpHandler([
  on(getHeatmap, async ({ principal, query }) => {
    authorize(principal, 'heatmap:read');
    const sites = await deps.sites.list(principal.tenantId);
    let onSite = await peopleOnSite(deps.db, deps.table, principal.tenantId);
    if (query.color) onSite = onSite.filter((p) => p.color === query.color);
    if (query.category) {
      const today = todayInShanghai();
      const holders = await Promise.all(
        onSite.map(async (p) => {
          const certs = await deps.certificates.listForPerson(principal.tenantId, p.personId);
          const status = statusOf(certs, today, undefined);
          const current = new Set(status.certificates.filter((c) => c.current).map((c) => c.certificateId));
          return certs.some((c) => current.has(c.certificateId) && c.category === query.category);
        }),
      );
      onSite = onSite.filter((_, i) => holders[i]);
    }
    return {
      status: 200,
      body: heatmapGeoJson(principal, sites, onSite),
      headers: { 'content-type': 'application/geo+json' },
    };
  }),
]);
