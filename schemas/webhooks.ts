import * as z from 'zod';
import { WEBHOOK_EVENTS } from '../functions/domain/webhook-events.ts';
import { Cursor, id, Limit } from './common.ts';

export const WebhookId = id('whk');
const Subscribable = z.enum(WEBHOOK_EVENTS.filter((e) => e !== 'webhook.ping') as [string, ...string[]]);

export const CreateWebhookBody = z
  .strictObject({
    url: z.string().trim().min(8).max(500).meta({
      description: 'https only; private, loopback, link-local and metadata addresses are refused',
    }),
    events: z.array(Subscribable).min(1).max(20),
    description: z.string().trim().min(1).max(200).optional(),
  })
  .meta({ id: 'CreateWebhookBody' });

export const UpdateWebhookBody = CreateWebhookBody.partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'no_change_given' })
  .meta({ id: 'UpdateWebhookBody' });

export const Webhook = z
  .object({
    webhookId: WebhookId,
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
    signing: z
      .object({ keyId: z.string(), algorithm: z.literal('ed25519'), publicKeyPem: z.string() })
      .meta({ description: 'How a receiver verifies our signatures (RFC 9421, docs/webhooks.md)' }),
  })
  .meta({ id: 'Webhook' });

export const WebhookList = z.object({ items: z.array(Webhook) }).meta({ id: 'WebhookList' });

export const WebhookDelivery = z
  .object({
    deliveryId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    at: z.string(),
    attempt: z.number().int(),
    outcome: z.enum(['delivered', 'failed', 'refused']),
    status: z.number().int().optional(),
    failure: z.string().optional(),
    durationMs: z.number(),
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveries = z
  .object({ items: z.array(WebhookDelivery), nextCursor: z.string().optional() })
  .meta({ id: 'WebhookDeliveries' });

export const DeliveriesQuery = z.strictObject({ cursor: Cursor, limit: Limit });

export const QueuedEvent = z
  .object({ eventId: z.string(), type: z.string() })
  .meta({ id: 'QueuedWebhookEvent' });
