import * as z from 'zod';
import { WEBHOOK_EVENTS } from '../functions/domain/webhook-events.ts';
import { Cursor, calendarDate, id, Limit } from './common.ts';

export const WebhookId = id('whk');
const Subscribable = z.enum(WEBHOOK_EVENTS.filter((e) => e !== 'webhook.ping') as [string, ...string[]]);

const InsurancePolicy = z.strictObject({
  policyNumber: z.string().trim().min(1).max(64),
  subcontractorId: id('sub').optional(),
  siteId: id('site').optional(),
});

export const InsurerTerms = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .meta({ examples: ['中国人保财险'] }),
    policies: z.array(InsurancePolicy).min(1).max(100).meta({
      description:
        'The policy covering a person: one naming their subcontractor first, then their home site, then one naming neither',
    }),
    pointsThreshold: z.number().int().min(1).max(100).meta({
      description: 'Points in force at or over which the insurer is told (person.points_changed)',
    }),
    publicKeyPem: z.string().min(40).max(2000).meta({
      description: 'The insurer’s Ed25519 public key (SPKI PEM): its acknowledgements are signed with it',
    }),
  })
  .meta({ id: 'InsurerTerms' });

export const CreateWebhookBody = z
  .strictObject({
    url: z.string().trim().min(8).max(500).meta({
      description: 'https only; private, loopback, link-local and metadata addresses are refused',
    }),
    events: z.array(Subscribable).min(1).max(20).optional().meta({
      description:
        'Required for a tenant’s own systems; an insurer takes only insurers’ events (all four when none named)',
    }),
    description: z.string().trim().min(1).max(200).optional(),
    insurer: InsurerTerms.optional().meta({
      description: 'Makes the subscription an insurer’s (E2): told only what its contract needs',
    }),
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
    insurer: z
      .object({
        name: z.string(),
        policies: z.array(
          z.object({
            policyNumber: z.string(),
            subcontractorId: z.string().optional(),
            siteId: z.string().optional(),
          }),
        ),
        pointsThreshold: z.number().int(),
        publicKeyPem: z.string(),
        acknowledgementKeyId: z
          .string()
          .meta({ description: 'The keyid the insurer signs its acknowledgements with' }),
      })
      .optional(),
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

export const InsurerAcknowledgementBody = z
  .strictObject({
    eventId: z.string().regex(/^evt_[0-9A-Za-z]{10,40}$/),
    cover: z
      .strictObject({
        amount: z.number().int().min(0).max(100_000_000).meta({ description: 'The cover in yuan' }),
        currency: z.literal('CNY'),
        effectiveOn: calendarDate,
      })
      .optional()
      .meta({ description: 'The insurer’s new cover for the insured person, if it changed' }),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .meta({ id: 'InsurerAcknowledgementBody' });

export const InsurerAcknowledgement = z
  .object({ eventId: z.string(), eventType: z.string(), acknowledgedAt: z.string() })
  .meta({ id: 'InsurerAcknowledgement' });

export const InsuranceCovers = z
  .object({
    items: z.array(
      z.object({
        webhookId: z.string(),
        insurer: z.string(),
        policyNumber: z.string(),
        amount: z.number().int(),
        currency: z.literal('CNY'),
        effectiveOn: z.string(),
        eventId: z.string(),
        acknowledgedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'InsuranceCovers' });
