import {
  bindBadge,
  createGate,
  getAllowlistKeys,
  listGates,
  retireGate as retireGateRoute,
  revokeBadge,
} from '../../schemas/routes/badges.ts';
import { apiHandler } from '../api-handler.ts';
import {
  allowlistSigner,
  badgeRepository,
  gateDevices,
  gateProvisioner,
  gatePublisher,
  personRepository,
} from '../composition-root.ts';
import type { PersonRepository } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import type { BadgeRepository } from '../gates/badge-store.ts';
import { type GateDeviceDeps, provisionGate, retireGate } from '../gates/provision-gate.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import { NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';

export type BadgesDeps = GateDeviceDeps & { people: PersonRepository; badges: BadgeRepository };

/** The badges and gate-devices function, wired with the given adapters (the local runtime's differ). */
export function badgesHandler(deps: BadgesDeps) {
  const { people, gates, badges } = deps;
  return apiHandler([
    on(bindBadge, async ({ principal, params, body, requestId }) => {
      authorize(principal, 'badge:write');
      const person = await findPerson(people, principal, params.personId);
      return { status: 201, body: await badges.bind(principal, person.personId, body.badgeUid, requestId) };
    }),
    on(createGate, async ({ principal, params, body, requestId }) => {
      authorize(principal, 'gate:create');
      return {
        status: 201,
        body: await provisionGate(deps, principal, params.siteId, body, requestId),
      };
    }),
    on(listGates, async ({ principal, params }) => {
      authorize(principal, 'gate:read');
      const siteId = params.siteId;
      if (!canSeeSite(principal, siteId) || !(await gates.siteExists(principal.tenantId, siteId)))
        throw new NotFound('site_not_found');
      return { status: 200, body: await gates.gatesOfSite(principal.tenantId, siteId) };
    }),
    on(retireGateRoute, async ({ principal, params, requestId }) => {
      authorize(principal, 'gate:create');
      await retireGate(deps, principal, params.siteId, params.gate, requestId);
      return { status: 204 };
    }),
    on(getAllowlistKeys, async () => ({
      status: 200,
      body: { keys: [await deps.signer.publicKey()] },
      headers: { 'cache-control': 'public, max-age=3600' },
    })),
    on(revokeBadge, async ({ principal, params, requestId }) => {
      authorize(principal, 'badge:write');
      const person = await findPerson(people, principal, params.personId);
      await badges.revoke(principal, person.personId, params.badgeUid.toUpperCase(), requestId);
      return { status: 204 };
    }),
  ]);
}

export const badgesAdapters = (): BadgesDeps => ({
  people: personRepository(),
  badges: badgeRepository(),
  gates: gateDevices(),
  provisioner: gateProvisioner(),
  publisher: gatePublisher(),
  signer: allowlistSigner(),
});

export const handler = badgesHandler(badgesAdapters());
