import { createSite, getSiteSafety, listSites, putSiteSafety } from '../../schemas/routes/sites.ts';
import { apiHandler } from '../api-handler.ts';
import { quizStore, siteRepository, clock as systemClock } from '../composition-root.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import { NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';
import { newId } from '../shared/ids.ts';

const sites = siteRepository();
const quizzes = quizStore();
const clock = systemClock();

export const handler = apiHandler([
  on(createSite, async ({ principal, body, requestId }) => {
    authorize(principal, 'site:create');
    const site = { siteId: newId('site'), ...body, createdAt: clock.now().toISOString() };
    await sites.create(principal, site, requestId);
    return { status: 201, body: site, headers: { location: `/sites/${site.siteId}` } };
  }),
  on(listSites, async ({ principal }) => {
    authorize(principal, 'site:read');
    const items = (await sites.list(principal.tenantId)).filter((s) => canSeeSite(principal, s.siteId));
    return { status: 200, body: { items } };
  }),
  on(putSiteSafety, async ({ principal, params, body, requestId }) => {
    authorize(principal, 'site-safety:write');
    const siteId = params.siteId;
    if (!canSeeSite(principal, siteId)) throw new NotFound('site_not_found');
    return { status: 200, body: await quizzes.saveSafety(principal, siteId, body, requestId) };
  }),
  on(getSiteSafety, async ({ principal, params }) => {
    authorize(principal, 'site-safety:read');
    const siteId = params.siteId;
    const safety = canSeeSite(principal, siteId)
      ? await quizzes.safety(principal.tenantId, siteId)
      : undefined;
    if (!safety) throw new NotFound('site_safety_not_found');
    return { status: 200, body: safety };
  }),
]);
