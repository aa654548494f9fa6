// The sites function's routes (see schemas/route.ts).

import { Problem } from '../common.ts';
import { SiteSafety, SiteSafetyBody } from '../quizzes.ts';
import { Created, route } from '../route.ts';
import {
  CloseSiteBody,
  CreateSiteBody,
  LocateBody,
  Site,
  SiteClosure,
  SiteList,
  SitesHere,
  UpdateSiteBody,
} from '../sites.ts';

export const createSite = route({
  operationId: 'createSite',
  method: 'POST',
  path: '/sites',
  capability: 'sites',
  auth: true,
  summary: 'Register a site of the group (group_admin)',
  body: CreateSiteBody,
  responses: Created(Site, 'Site'),
});

export const listSites = route({
  operationId: 'listSites',
  method: 'GET',
  path: '/sites',
  capability: 'sites',
  auth: true,
  summary: 'Sites of the tenant (a site_manager sees their own)',
  responses: { 200: { description: 'Sites', schema: SiteList } },
});

export const getSite = route({
  operationId: 'getSite',
  method: 'GET',
  path: '/sites/{siteId}',
  capability: 'sites',
  auth: true,
  summary: 'One site, with its version as the ETag a correction names in If-Match',
  responses: { 200: { description: 'The site (ETag header: its version)', schema: Site } },
});

export const updateSite = route({
  operationId: 'updateSite',
  method: 'PATCH',
  path: '/sites/{siteId}',
  capability: 'sites',
  auth: true,
  summary:
    'Correct a site: name, code, location, address, region (group_admin); If-Match with the ETag read is required',
  body: UpdateSiteBody,
  responses: {
    200: { description: 'The corrected site (ETag header: its new version)', schema: Site },
    409: { description: 'Another site of the tenant has this code', schema: Problem },
    412: {
      description: 'The site changed since it was read (If-Match names an older version)',
      schema: Problem,
    },
    428: { description: 'No If-Match header', schema: Problem },
  },
});

export const putSiteSafety = route({
  operationId: 'putSiteSafety',
  method: 'PUT',
  path: '/sites/{siteId}/safety',
  capability: 'sites',
  auth: true,
  summary:
    'Set the site’s safety notice, its pool of situational questions and whether a passed quiz is required to enter',
  body: SiteSafetyBody,
  responses: { 200: { description: 'The site’s safety notice and questions', schema: SiteSafety } },
});

export const getSiteSafety = route({
  operationId: 'getSiteSafety',
  method: 'GET',
  path: '/sites/{siteId}/safety',
  capability: 'sites',
  auth: true,
  summary: 'The site’s safety notice and question pool, with answers (managers)',
  responses: { 200: { description: 'The site’s safety notice and questions', schema: SiteSafety } },
});

const versioned = {
  412: {
    description: 'The site changed since it was read (If-Match names an older version)',
    schema: Problem,
  },
  428: { description: 'No If-Match header', schema: Problem },
};

export const closeSite = route({
  operationId: 'closeSite',
  method: 'POST',
  path: '/sites/{siteId}/closure',
  capability: 'sites',
  auth: true,
  summary:
    'Close a site (group_admin; If-Match): its gates retired, no new tickets or home-site assignments; answers how many people to reassign',
  body: CloseSiteBody,
  responses: {
    200: { description: 'The closed site (ETag header: its new version)', schema: SiteClosure },
    409: { description: 'The site is closed already', schema: Problem },
    ...versioned,
  },
});

export const reopenSite = route({
  operationId: 'reopenSite',
  method: 'DELETE',
  path: '/sites/{siteId}/closure',
  capability: 'sites',
  auth: true,
  summary: 'Reopen a closed site (group_admin; If-Match); its gates are provisioned again one by one',
  responses: {
    200: { description: 'The reopened site (ETag header: its new version)', schema: Site },
    409: { description: 'The site is not closed', schema: Problem },
    ...versioned,
  },
});

export const locateSites = route({
  operationId: 'locateSites',
  method: 'POST',
  path: '/sites/locate',
  capability: 'sites',
  auth: true,
  summary:
    'The open sites whose geofence holds a position (POST: a position stays out of URLs and logs); from a worker’s own phone, entering a site opens its safety notice and quiz if due (X5)',
  body: LocateBody,
  responses: { 200: { description: 'The sites here', schema: SitesHere } },
});
