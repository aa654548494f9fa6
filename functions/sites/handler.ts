import {
  closeSite as closeSiteRoute,
  createSite,
  getSite,
  getSiteSafety,
  listSites,
  locateSites,
  putSiteSafety,
  reopenSite as reopenSiteRoute,
  updateSite,
} from '../../schemas/routes/sites.ts';
import { apiHandler } from '../api-handler.ts';
import { quizStore, siteClosureDeps, siteDeps, siteRepository } from '../composition-root.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import { NotFound } from '../shared/errors.ts';
import { etagOf, versionFromIfMatch } from '../shared/http/etag.ts';
import { on } from '../shared/http/handler.ts';
import { type ClosureDeps, closeSite, reopenSite } from './closure.ts';
import { correctSite, createSite as createSiteCase, sitesHere } from './sites.ts';

const sites = siteRepository();
const quizzes = quizStore();

/** The sites function, wired with the given closure adapters (the local runtime retires gates through its own broker). */
export function sitesHandler(closure: ClosureDeps) {
  return apiHandler([
    on(closeSiteRoute, async ({ principal, params, body, ifMatch, requestId }) => {
      authorize(principal, 'site:update');
      const result = await closeSite(
        closure,
        principal,
        params.siteId,
        body,
        versionFromIfMatch(ifMatch),
        requestId,
      );
      return {
        status: 200,
        body: { site: result.closed.site, gatesRetired: result.gatesRetired, homePeople: result.homePeople },
        headers: { etag: etagOf(result.closed.version) },
      };
    }),
    on(reopenSiteRoute, async ({ principal, params, ifMatch, requestId }) => {
      authorize(principal, 'site:update');
      const reopened = await reopenSite(
        closure,
        principal,
        params.siteId,
        versionFromIfMatch(ifMatch),
        requestId,
      );
      return { status: 200, body: reopened.site, headers: { etag: etagOf(reopened.version) } };
    }),
    on(createSite, async ({ principal, body, requestId }) => {
      const site = await createSiteCase(siteDeps(), principal, body, requestId);
      return { status: 201, body: site, headers: { location: `/sites/${site.siteId}` } };
    }),
    on(locateSites, async ({ principal, body }) => ({
      status: 200,
      body: await sitesHere(siteDeps(), principal, body),
    })),
    on(listSites, async ({ principal }) => {
      authorize(principal, 'site:read');
      const items = (await sites.list(principal.tenantId)).filter((s) => canSeeSite(principal, s.siteId));
      return { status: 200, body: { items } };
    }),
    on(getSite, async ({ principal, params }) => {
      authorize(principal, 'site:read');
      const found = canSeeSite(principal, params.siteId)
        ? await sites.get(principal.tenantId, params.siteId)
        : undefined;
      if (!found) throw new NotFound('site_not_found');
      return { status: 200, body: found.site, headers: { etag: etagOf(found.version) } };
    }),
    on(updateSite, async ({ principal, params, body, ifMatch, requestId }) => {
      authorize(principal, 'site:update');
      const updated = await correctSite(
        siteDeps(),
        principal,
        params.siteId,
        body,
        versionFromIfMatch(ifMatch),
        requestId,
      );
      return { status: 200, body: updated.site, headers: { etag: etagOf(updated.version) } };
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
}

export const handler = sitesHandler(siteClosureDeps());
