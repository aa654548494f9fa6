// The badges function's routes (see schemas/route.ts).
import { AllowlistKeys, Badge, BindBadgeBody, CreateGateBody, GateCredentials, GateList } from '../gates.ts';
import { route } from '../route.ts';

export const bindBadge = route({
  operationId: 'bindBadge',
  method: 'POST',
  path: '/people/{personId}/badges',
  capability: 'badges',
  auth: true,
  summary: 'Bind an NFC badge to a person; a badge bound to someone else moves (their binding is revoked)',
  body: BindBadgeBody,
  responses: { 201: { description: 'Badge bound', schema: Badge } },
});

export const revokeBadge = route({
  operationId: 'revokeBadge',
  method: 'DELETE',
  path: '/people/{personId}/badges/{badgeUid}',
  capability: 'badges',
  auth: true,
  summary: 'Revoke a badge binding: the badge is denied at every gate',
  responses: { 204: { description: 'Revoked' } },
});

export const createGate = route({
  operationId: 'createGate',
  method: 'POST',
  path: '/sites/{siteId}/gates',
  capability: 'badges',
  auth: true,
  summary: 'Provision a gate device: thing, certificate and policy; the certificate bundle is returned once',
  body: CreateGateBody,
  responses: {
    201: {
      description: 'Gate credentials (keep the private key: it is not stored)',
      schema: GateCredentials,
    },
  },
});

export const retireGate = route({
  operationId: 'retireGate',
  method: 'DELETE',
  path: '/sites/{siteId}/gates/{gate}',
  capability: 'badges',
  auth: true,
  summary:
    'Retire a gate (lost, stolen, replaced): its certificate is revoked, it gets no more allowlists and its retained list is cleared',
  responses: { 204: { description: 'Retired' } },
});

export const listGates = route({
  operationId: 'listGates',
  method: 'GET',
  path: '/sites/{siteId}/gates',
  capability: 'badges',
  auth: true,
  summary: 'The site’s gates with their provisioning status, and the last allowlist published to them',
  responses: { 200: { description: 'Gates', schema: GateList } },
});

export const getAllowlistKeys = route({
  operationId: 'getAllowlistKeys',
  method: 'GET',
  path: '/gates/allowlist-keys',
  capability: 'badges',
  auth: false,
  summary: 'The public keys (JWK Set) with which gate devices verify their signed offline allowlists',
  responses: { 200: { description: 'JWK Set', schema: AllowlistKeys } },
});
