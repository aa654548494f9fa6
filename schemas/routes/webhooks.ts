// The webhooks function's routes (see schemas/route.ts).
import { Problem } from '../common.ts';
import { Created, route } from '../route.ts';
import {
  CreateWebhookBody,
  DeliveriesQuery,
  InsuranceCovers,
  InsurerAcknowledgement,
  InsurerAcknowledgementBody,
  QueuedEvent,
  UpdateWebhookBody,
  Webhook,
  WebhookDeliveries,
  WebhookList,
} from '../webhooks.ts';

const versioned = {
  412: { description: 'The subscription changed since it was read', schema: Problem },
  428: { description: 'No If-Match header', schema: Problem },
};

export const createWebhook = route({
  operationId: 'createWebhook',
  method: 'POST',
  path: '/webhooks',
  capability: 'webhooks',
  auth: true,
  summary:
    'Subscribe a URL of the tenant’s own systems to events (group_admin); answers its signing identity',
  body: CreateWebhookBody,
  responses: Created(Webhook, 'Webhook'),
});

export const listWebhooks = route({
  operationId: 'listWebhooks',
  method: 'GET',
  path: '/webhooks',
  capability: 'webhooks',
  auth: true,
  summary: 'The tenant’s subscriptions (group_admin, auditor)',
  responses: { 200: { description: 'Subscriptions', schema: WebhookList } },
});

export const getWebhook = route({
  operationId: 'getWebhook',
  method: 'GET',
  path: '/webhooks/{webhookId}',
  capability: 'webhooks',
  auth: true,
  summary: 'One subscription; its version as the ETag a change names in If-Match',
  responses: { 200: { description: 'The subscription (ETag header)', schema: Webhook } },
});

export const updateWebhook = route({
  operationId: 'updateWebhook',
  method: 'PATCH',
  path: '/webhooks/{webhookId}',
  capability: 'webhooks',
  auth: true,
  summary: 'Change a subscription’s URL, events or description (group_admin); If-Match required',
  body: UpdateWebhookBody,
  responses: { 200: { description: 'The subscription (ETag header)', schema: Webhook }, ...versioned },
});

export const deleteWebhook = route({
  operationId: 'deleteWebhook',
  method: 'DELETE',
  path: '/webhooks/{webhookId}',
  capability: 'webhooks',
  auth: true,
  summary: 'Remove a subscription (group_admin); nothing more is delivered to it. If-Match required',
  responses: { 204: { description: 'Removed' }, ...versioned },
});

export const pingWebhook = route({
  operationId: 'pingWebhook',
  method: 'POST',
  path: '/webhooks/{webhookId}/ping',
  capability: 'webhooks',
  auth: true,
  summary: 'Send a signed test event (webhook.ping) to this subscription only',
  responses: { 202: { description: 'The test event, queued', schema: QueuedEvent } },
});

export const listWebhookDeliveries = route({
  operationId: 'listWebhookDeliveries',
  method: 'GET',
  path: '/webhooks/{webhookId}/deliveries',
  capability: 'webhooks',
  auth: true,
  summary: 'The delivery log, newest first: each attempt with its outcome, HTTP status and time',
  query: DeliveriesQuery,
  responses: { 200: { description: 'Deliveries', schema: WebhookDeliveries } },
});

export const redeliverWebhook = route({
  operationId: 'redeliverWebhook',
  method: 'POST',
  path: '/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
  capability: 'webhooks',
  auth: true,
  summary: 'Send that delivery’s event again (same event id: the receiver’s idempotency key)',
  responses: { 202: { description: 'The event, queued again', schema: QueuedEvent } },
});

export const acknowledgeInsurerEvent = route({
  operationId: 'acknowledgeInsurerEvent',
  method: 'POST',
  path: '/insurers/acknowledgements',
  capability: 'webhooks',
  auth: false,
  signed: true,
  summary:
    'An insurer’s acknowledgement of an event it was sent, signed (RFC 9421) with the key it registered; may carry the new cover',
  body: InsurerAcknowledgementBody,
  responses: {
    200: { description: 'Recorded', schema: InsurerAcknowledgement },
    404: { description: 'No such event was sent to this insurer', schema: Problem },
  },
});

export const listInsuranceCovers = route({
  operationId: 'listInsuranceCovers',
  method: 'GET',
  path: '/people/{personId}/insurance',
  capability: 'webhooks',
  auth: true,
  summary: 'The cover each insurer last told us for the person (who may see the person)',
  responses: { 200: { description: 'Covers', schema: InsuranceCovers } },
});
