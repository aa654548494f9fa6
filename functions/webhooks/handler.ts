// The webhooks function: HTTP entry only; the use cases are in webhooks.ts.
import {
  acknowledgeInsurerEvent,
  createWebhook as createRoute,
  deleteWebhook,
  getWebhook,
  listInsuranceCovers,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook as pingRoute,
  redeliverWebhook,
  updateWebhook as updateRoute,
} from '../../schemas/routes/webhooks.ts';
import { apiHandler } from '../api-handler.ts';
import { insurerDeps, webhookDeps } from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { etagOf, versionFromIfMatch } from '../shared/http/etag.ts';
import { on } from '../shared/http/handler.ts';
import { acknowledge, coversOf, signedByInsurer } from './insurers.ts';
import {
  createWebhook,
  findWebhook,
  pingWebhook,
  redeliver,
  removeWebhook,
  type Subscription,
  updateWebhook,
  withIdentity,
} from './webhooks.ts';

const deps = webhookDeps();
const insurers = insurerDeps();

async function view(sub: Subscription) {
  const { tenantId: _t, version: _v, createdBy: _c, removedAt: _r, ...rest } = await withIdentity(deps, sub);
  return rest;
}

export const handler = apiHandler(
  [
    on(createRoute, async ({ principal, body, requestId }) => {
      const sub = await createWebhook(deps, principal, body as never, requestId);
      return {
        status: 201,
        body: await view(sub),
        headers: { location: `/webhooks/${sub.webhookId}`, etag: etagOf(sub.version) },
      };
    }),
    on(listWebhooks, async ({ principal }) => {
      authorize(principal, 'webhook:read');
      return {
        status: 200,
        body: { items: await Promise.all((await deps.webhooks.list(principal.tenantId)).map(view)) },
      };
    }),
    on(getWebhook, async ({ principal, params }) => {
      const sub = await findWebhook(deps, principal, params.webhookId);
      return { status: 200, body: await view(sub), headers: { etag: etagOf(sub.version) } };
    }),
    on(updateRoute, async ({ principal, params, body, ifMatch, requestId }) => {
      authorize(principal, 'webhook:manage');
      const version = versionFromIfMatch(ifMatch);
      const sub = await updateWebhook(deps, principal, params.webhookId, body as never, version, requestId);
      return { status: 200, body: await view(sub), headers: { etag: etagOf(sub.version) } };
    }),
    on(deleteWebhook, async ({ principal, params, ifMatch, requestId }) => {
      authorize(principal, 'webhook:manage');
      await removeWebhook(deps, principal, params.webhookId, versionFromIfMatch(ifMatch), requestId);
      return { status: 204 };
    }),
    on(pingRoute, async ({ principal, params }) => {
      const event = await pingWebhook(deps, principal, params.webhookId);
      return { status: 202, body: { eventId: event.eventId, type: event.type } };
    }),
    on(listWebhookDeliveries, async ({ principal, params, query }) => {
      const sub = await findWebhook(deps, principal, params.webhookId);
      const page = await deps.webhooks.deliveries(
        principal.tenantId,
        sub.webhookId,
        query.limit,
        query.cursor,
      );
      return {
        status: 200,
        body: {
          items: page.items.map(({ webhookId: _w, ...d }) => d),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    }),
    on(redeliverWebhook, async ({ principal, params }) => {
      const d = await redeliver(deps, principal, params.webhookId, params.deliveryId);
      return { status: 202, body: { eventId: d.eventId, type: d.eventType } };
    }),
    on(acknowledgeInsurerEvent, async ({ partnerId, body, requestId }) => {
      const ack = await acknowledge(insurers, partnerId as string, body as never, requestId);
      return {
        status: 200,
        body: { eventId: ack.eventId, eventType: ack.eventType, acknowledgedAt: ack.acknowledgedAt },
      };
    }),
    on(listInsuranceCovers, async ({ principal, params }) => ({
      status: 200,
      body: { items: await coversOf(insurers, principal, params.personId) },
    })),
  ],
  // The one signed route: an insurer's acknowledgement, under the key its terms name.
  { signedBy: (message) => signedByInsurer(insurers, message) },
);
