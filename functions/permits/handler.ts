// Cross-site permits (X4): request, sign, read. The co-sign itself runs on Step Functions.
import * as routes from '../../schemas/routes/permits.ts';
import { apiHandler } from '../api-handler.ts';
import {
  clock,
  permitStore,
  permitWorkflow,
  personRepository,
  settingsRepository,
  siteRepository,
} from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import { DISPATCH_POLICY } from '../tickets/dispatch-rules.ts';
import { findPermit, requestPermit, signPermit } from './cross-site-permits.ts';

const deps = {
  permits: permitStore(),
  workflow: permitWorkflow(),
  people: personRepository(),
  sites: siteRepository(),
  signingWindowHours: (tenantId: string) =>
    settingsRepository()
      .read(tenantId, DISPATCH_POLICY)
      .then((p) => p.permitSignatureHours),
  clock: clock(),
};

export const handler = apiHandler([
  on(routes.requestCrossSitePermit, async ({ principal, body, requestId }) => {
    const { created, permit } = await requestPermit(deps, principal, body, requestId);
    return { status: created ? 201 : 200, body: permit };
  }),
  on(routes.getCrossSitePermit, async ({ principal, params }) => ({
    status: 200,
    body: await findPermit(deps, principal, params.permitId),
  })),
  on(routes.signCrossSitePermit, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await signPermit(deps, principal, params.permitId, body.decision, body.comment, requestId),
  })),
]);
