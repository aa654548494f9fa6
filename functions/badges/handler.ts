import {
  bindBadge,
  createGate,
  getAllowlistKeys,
  listGates,
  retireGate as retireGateRoute,
  revokeBadge,
} from '../../schemas/routes.ts';
import { dynamoAdapters } from '../composition-root.ts';
import { allowlistSigner } from '../gates/allowlist-signer.ts';
import { gatePublisher } from '../gates/gate-publisher.ts';
import { provisionGate, retireGate } from '../gates/provision-gate.ts';
import { gateProvisioner } from '../gates/provisioning.ts';
import { findPerson } from '../people/people.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import { NotFound } from '../shared/errors.ts';
import { httpHandler, on } from '../shared/http/handler.ts';

const { people, gates } = dynamoAdapters();

export const handler = httpHandler([
  on(bindBadge, async ({ principal, params, body, requestId }) => {
    authorize(principal, 'badge:write');
    const person = await findPerson(people, principal, params.personId ?? '');
    return { status: 201, body: await gates.bind(principal, person.personId, body.badgeUid, requestId) };
  }),
  on(createGate, async ({ principal, params, body, requestId }) => {
    authorize(principal, 'gate:create');
    return {
      status: 201,
      body: await provisionGate(gates, gateProvisioner(), principal, params.siteId ?? '', body, requestId),
    };
  }),
  on(listGates, async ({ principal, params }) => {
    authorize(principal, 'gate:read');
    const siteId = params.siteId ?? '';
    if (!canSeeSite(principal, siteId) || !(await gates.siteExists(principal.tenantId, siteId)))
      throw new NotFound('site_not_found');
    return { status: 200, body: await gates.gatesOfSite(principal.tenantId, siteId) };
  }),
  on(retireGateRoute, async ({ principal, params, requestId }) => {
    authorize(principal, 'gate:create');
    await retireGate(
      gates,
      gateProvisioner(),
      gatePublisher(),
      principal,
      params.siteId ?? '',
      params.gate ?? '',
      requestId,
    );
    return { status: 204 };
  }),
  on(getAllowlistKeys, async () => ({
    status: 200,
    body: { keys: [await allowlistSigner().publicKey()] },
    headers: { 'cache-control': 'public, max-age=3600' },
  })),
  on(revokeBadge, async ({ principal, params, requestId }) => {
    authorize(principal, 'badge:write');
    const person = await findPerson(people, principal, params.personId ?? '');
    await gates.revoke(principal, person.personId, (params.badgeUid ?? '').toUpperCase(), requestId);
    return { status: 204 };
  }),
]);
