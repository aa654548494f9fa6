// The federation function: HTTP entry only; the use cases are in federation.ts. Partner
// routes are authenticated by their signature before anything of the body is read.
import * as routes from '../../schemas/routes/federation.ts';
import { apiHandler } from '../api-handler.ts';
import {
  clock,
  federationServiceKey,
  federationStore,
  partnerHolds,
  peopleByPseudonym,
  pseudonyms,
} from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import {
  changesSince,
  evaluateBlinded,
  type FederationDeps,
  federationKeys,
  listPartners,
  receiveEntries,
  registerPartner,
  signedBy,
  updatePartner,
} from './federation.ts';

const deps: FederationDeps = {
  federation: federationStore(),
  pseudonyms: pseudonyms(),
  peopleByPseudonym: peopleByPseudonym(),
  holds: partnerHolds(),
  hubTenant: process.env.FEDERATION_HUB_TENANT || undefined,
  clock: clock(),
};

export const handler = apiHandler(
  [
    on(routes.createPartner, async ({ principal, body, requestId }) => {
      const partner = await registerPartner(deps, principal, body, requestId);
      return {
        status: 201,
        body: partner,
        headers: { location: `/federation/partners/${partner.partnerId}` },
      };
    }),
    on(routes.updatePartner, async ({ principal, params, body, requestId }) => ({
      status: 200,
      body: await updatePartner(deps, principal, params.partnerId, body, requestId),
    })),
    on(routes.getFederationKeys, async () => ({
      status: 200,
      body: await federationKeys(deps, federationServiceKey()),
      headers: { 'cache-control': 'public, max-age=3600' },
    })),
    on(routes.listPartners, async ({ principal }) => ({
      status: 200,
      body: { items: await listPartners(deps, principal) },
    })),
    on(routes.evaluateOprf, async ({ partnerId, body }) => ({
      status: 200,
      body: await evaluateBlinded(deps, partnerId, body),
    })),
    on(routes.pushFederatedEntries, async ({ partnerId, body, requestId }) => ({
      status: 200,
      body: await receiveEntries(deps, partnerId, body, requestId),
    })),
    on(routes.pullFederatedEntries, async ({ partnerId, query }) => ({
      status: 200,
      body: await changesSince(deps, partnerId, query.since, query.limit),
    })),
  ],
  { signedBy: (message) => signedBy(deps, message) },
);
