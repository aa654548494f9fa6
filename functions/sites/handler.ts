import { createSite, listSites } from '../../schemas/routes.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { newId } from '../shared/ids.ts';
import { dynamoAdapters } from '../shared/wiring.ts';

const { sites } = dynamoAdapters();

export const handler = httpHandler([
  on(createSite, async ({ principal, body, requestId }) => {
    authorize(principal, 'site:create');
    const site = { siteId: newId('site'), ...body, createdAt: new Date().toISOString() };
    await sites.create(principal, site, requestId);
    return { status: 201, body: site, headers: { location: `/sites/${site.siteId}` } };
  }),
  on(listSites, async ({ principal }) => {
    authorize(principal, 'site:read');
    const items = (await sites.list(principal.tenantId)).filter((s) => canSeeSite(principal, s.siteId));
    return { status: 200, body: { items } };
  }),
]);
