// The permits function's routes (see schemas/route.ts): cross-site permits (X4).
import { Problem } from '../common.ts';
import { CrossSitePermit, CrossSitePermitBody, PermitApprovalBody } from '../permits.ts';
import { route } from '../route.ts';

export const requestCrossSitePermit = route({
  operationId: 'requestCrossSitePermit',
  method: 'POST',
  path: '/permits/cross-site',
  capability: 'permits',
  auth: true,
  summary:
    'Ask both sites’ safety managers to co-sign a cross-site permit (starts the workflow; a repeated request answers the same permit)',
  body: CrossSitePermitBody,
  responses: {
    201: { description: 'Permit requested', schema: CrossSitePermit },
    200: { description: 'The same request again: the permit it started', schema: CrossSitePermit },
    422: { description: 'The person does not belong to the site the permit starts from', schema: Problem },
  },
});

export const getCrossSitePermit = route({
  operationId: 'getCrossSitePermit',
  method: 'GET',
  path: '/permits/{permitId}',
  capability: 'permits',
  auth: true,
  summary: 'A permit with each signature (who, when, comment) and the workflow’s state',
  responses: { 200: { description: 'The permit', schema: CrossSitePermit } },
});

export const signCrossSitePermit = route({
  operationId: 'signCrossSitePermit',
  method: 'POST',
  path: '/permits/{permitId}/approvals',
  capability: 'permits',
  auth: true,
  summary:
    'Approve or reject as the safety manager of one of the two sites (a repeat is idempotent; one person signs one side: a manager of both sites who signed one gets 409 other_site_signs_for_itself; a finished permit → 409)',
  body: PermitApprovalBody,
  responses: { 200: { description: 'The permit', schema: CrossSitePermit } },
});
