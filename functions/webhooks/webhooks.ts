// Event subscriptions for a tenant's own systems (issue 28): a subscription is a URL and the
// events it wants; each event is delivered to it signed with HTTP Message Signatures (RFC
// 9421, the alliance's profile: Ed25519 over @method, @path and content-digest) under the
// subscription's own key, with the event id as idempotency key, retried with backoff and
// logged. The URL passes the outbound guard when it is set (as text, and as it resolves) and
// again on every connection (a name that later resolves inward is refused: DNS rebinding).
import { INSURER_EVENTS, type WebhookEvent, type WebhookEventType } from '../domain/webhook-events.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequest, NotFound, PreconditionFailed } from '../shared/errors.ts';
import { ed25519PublicKeyPem, signRequest } from '../shared/http-signatures.ts';
import { newId } from '../shared/ids.ts';
import { count, METRIC } from '../shared/metrics.ts';
import type { OutboundAnswer } from '../shared/outbound-http.ts';
import type { UrlRefusal } from '../shared/outbound-url.ts';
import type { SigningKey } from '../shared/signing-keys.ts';
import {
  acknowledgementKeyId,
  type InsurerTerms,
  insurerBody,
  insurerWants,
  isInsurerEvent,
} from './insurers.ts';

export interface Subscription {
  tenantId: string;
  webhookId: string;
  url: string;
  events: WebhookEventType[];
  description?: string;
  /** An insurer's terms (E2): this subscription is an insurer's, told what its contract needs. */
  insurer?: InsurerTerms;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  removedAt?: string;
}

export interface Delivery {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  at: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'refused';
  status?: number;
  failure?: string;
  durationMs: number;
}

export interface WebhookStore {
  save(
    actor: Actor,
    sub: Subscription,
    action: string,
    requestId: string,
    expectedVersion?: number,
  ): Promise<void>;
  get(tenantId: string, webhookId: string): Promise<Subscription | undefined>;
  list(tenantId: string): Promise<Subscription[]>;
  event(tenantId: string, eventId: string): Promise<WebhookEvent | undefined>;
  putEvent(tenantId: string, event: WebhookEvent): Promise<void>;
  pendingEvents(limit: number): Promise<{ pk: string; sk: string }[]>;
  eventAt(key: { pk: string; sk: string }): Promise<{ tenantId: string; event: WebhookEvent } | undefined>;
  markRelayed(key: { pk: string; sk: string }): Promise<void>;
  logDelivery(tenantId: string, delivery: Delivery): Promise<void>;
  deliveries(
    tenantId: string,
    webhookId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Delivery[]; nextCursor?: string }>;
}

export interface DeliveryRequest {
  tenantId: string;
  webhookId: string;
  eventId: string;
}

export interface WebhookDeps {
  webhooks: WebhookStore;
  /** The URL as text and as it resolves now: null when a delivery may go there. */
  checkUrl: (url: string) => Promise<UrlRefusal | null>;
  /** The subscription's signing key (derived; never stored). */
  signingKey: (tenantId: string, webhookId: string) => Promise<SigningKey>;
  queueDeliveries: (requests: DeliveryRequest[]) => Promise<void>;
  clock: Clock;
}

export interface SubscriptionBody {
  url: string;
  events?: WebhookEventType[];
  description?: string;
  insurer?: InsurerTerms;
}

/** The events a subscription takes: an insurer's only among insurers' events (all when none named). */
function eventsFor(insurer: InsurerTerms | undefined, events: WebhookEventType[] | undefined) {
  if (!insurer) {
    if (!events?.length)
      throw new InvalidRequest('validation_failed', [
        { field: 'events', code: 'events_required', message: 'events_required' },
      ]);
    return [...new Set(events)];
  }
  const wanted = events?.length ? events : [...INSURER_EVENTS];
  const other = wanted.find((e) => !isInsurerEvent(e));
  if (other)
    throw new InvalidRequest('validation_failed', [
      { field: 'events', code: 'not_an_insurer_event', message: other },
    ]);
  return [...new Set(wanted)];
}

/** Terms as kept: the insurer's key must be an Ed25519 public key (stored as SPKI PEM). */
function acceptableTerms<T extends InsurerTerms | undefined>(insurer: T): T {
  if (!insurer) return insurer;
  const publicKeyPem = ed25519PublicKeyPem(insurer.publicKeyPem);
  if (!publicKeyPem)
    throw new InvalidRequest('validation_failed', [
      { field: 'insurer.publicKeyPem', code: 'not_ed25519_key', message: 'not_ed25519_key' },
    ]);
  return { ...insurer, publicKeyPem };
}

async function acceptableUrl(deps: WebhookDeps, url: string) {
  const refusal = await deps.checkUrl(url);
  if (refusal)
    throw new InvalidRequest('validation_failed', [{ field: 'url', code: refusal, message: refusal }]);
}

/** A subscription with its signing identity: how a receiver verifies what we send. */
export async function withIdentity(deps: Pick<WebhookDeps, 'signingKey'>, sub: Subscription) {
  const key = await deps.signingKey(sub.tenantId, sub.webhookId);
  return {
    ...sub,
    ...(sub.insurer ? { insurer: { ...sub.insurer, acknowledgementKeyId: acknowledgementKeyId(sub) } } : {}),
    signing: { keyId: key.keyId, algorithm: 'ed25519' as const, publicKeyPem: key.publicKeyPem },
  };
}

export async function createWebhook(
  deps: WebhookDeps,
  principal: Principal,
  body: SubscriptionBody,
  requestId: string,
): Promise<Subscription> {
  authorize(principal, 'webhook:manage');
  const insurer = acceptableTerms(body.insurer);
  await acceptableUrl(deps, body.url);
  const sub: Subscription = {
    tenantId: principal.tenantId,
    webhookId: newId('whk'),
    url: body.url,
    events: eventsFor(insurer, body.events),
    ...(body.description ? { description: body.description } : {}),
    ...(insurer ? { insurer } : {}),
    version: 1,
    createdAt: deps.clock.now().toISOString(),
    createdBy: principal.subject,
  };
  await deps.webhooks.save(principal, sub, 'webhook.create', requestId);
  return sub;
}

export async function findWebhook(
  deps: Pick<WebhookDeps, 'webhooks'>,
  principal: Principal,
  webhookId: string,
) {
  authorize(principal, 'webhook:read');
  const sub = await deps.webhooks.get(principal.tenantId, webhookId);
  if (!sub) throw new NotFound('webhook_not_found');
  return sub;
}

export async function updateWebhook(
  deps: WebhookDeps,
  principal: Principal,
  webhookId: string,
  changes: Partial<SubscriptionBody>,
  version: number,
  requestId: string,
): Promise<Subscription> {
  authorize(principal, 'webhook:manage');
  const before = await findWebhook(deps, principal, webhookId);
  if (before.version !== version) throw new PreconditionFailed('stale_version');
  const newTerms = acceptableTerms(changes.insurer);
  if (changes.url !== undefined) await acceptableUrl(deps, changes.url);
  // An insurer stays an insurer and a tenant's own subscription stays one: terms only change on an insurer's.
  if (newTerms && !before.insurer)
    throw new InvalidRequest('validation_failed', [
      { field: 'insurer', code: 'not_an_insurer', message: 'not_an_insurer' },
    ]);
  const insurer = newTerms ?? before.insurer;
  const after: Subscription = {
    ...before,
    ...(changes.url !== undefined ? { url: changes.url } : {}),
    ...(changes.events !== undefined || newTerms !== undefined
      ? { events: eventsFor(insurer, changes.events ?? before.events) }
      : {}),
    ...(insurer ? { insurer } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    version: before.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.webhooks.save(principal, after, 'webhook.update', requestId, before.version);
  return after;
}

export async function removeWebhook(
  deps: WebhookDeps,
  principal: Principal,
  webhookId: string,
  version: number,
  requestId: string,
): Promise<void> {
  authorize(principal, 'webhook:manage');
  const before = await findWebhook(deps, principal, webhookId);
  if (before.version !== version) throw new PreconditionFailed('stale_version');
  const now = deps.clock.now().toISOString();
  await deps.webhooks.save(
    principal,
    { ...before, version: before.version + 1, updatedAt: now, removedAt: now },
    'webhook.remove',
    requestId,
    before.version,
  );
}

/** A test event to one subscription only: the receiver checks its signature end to end. */
export async function pingWebhook(deps: WebhookDeps, principal: Principal, webhookId: string) {
  authorize(principal, 'webhook:manage');
  const sub = await findWebhook(deps, principal, webhookId);
  const event: WebhookEvent = {
    eventId: newId('evt'),
    type: 'webhook.ping',
    occurredAt: deps.clock.now().toISOString(),
    data: { webhookId: sub.webhookId },
  };
  await deps.webhooks.putEvent(principal.tenantId, event);
  await deps.queueDeliveries([{ tenantId: principal.tenantId, webhookId, eventId: event.eventId }]);
  return event;
}

/** One event sent again to one subscription (the delivery log names it). */
export async function redeliver(
  deps: WebhookDeps,
  principal: Principal,
  webhookId: string,
  deliveryId: string,
) {
  authorize(principal, 'webhook:manage');
  await findWebhook(deps, principal, webhookId);
  let cursor: string | undefined;
  do {
    const page = await deps.webhooks.deliveries(principal.tenantId, webhookId, 100, cursor);
    const found = page.items.find((d) => d.deliveryId === deliveryId);
    if (found) {
      await deps.queueDeliveries([{ tenantId: principal.tenantId, webhookId, eventId: found.eventId }]);
      return found;
    }
    cursor = page.nextCursor;
  } while (cursor);
  throw new NotFound('webhook_delivery_not_found');
}

/** Hands pending events to the subscriptions that want them (the relay job, every minute). */
export async function relayEvents(
  deps: Pick<WebhookDeps, 'webhooks' | 'queueDeliveries'>,
  pageSize = 100,
  maxPages = 50,
) {
  let relayed = 0;
  for (let page = 0; page < maxPages; page++) {
    const pending = await deps.webhooks.pendingEvents(pageSize);
    if (!pending.length) break;
    for (const key of pending) {
      const found = await deps.webhooks.eventAt(key);
      if (found) {
        const subs = (await deps.webhooks.list(found.tenantId)).filter((s) => wants(s, found.event));
        if (subs.length)
          await deps.queueDeliveries(
            subs.map((s) => ({
              tenantId: found.tenantId,
              webhookId: s.webhookId,
              eventId: found.event.eventId,
            })),
          );
      }
      // Unmarked only once queued: a crash in between queues it again; receivers dedupe on the id.
      await deps.webhooks.markRelayed(key);
      relayed += 1;
    }
    if (pending.length < pageSize) break;
  }
  return relayed;
}

/** Whether a subscription hears of an event: one it named, and for an insurer, within its terms. */
export const wants = (sub: Subscription, event: WebhookEvent) =>
  sub.events.includes(event.type) && (!sub.insurer || insurerWants(sub.insurer, event));

/** A delivery the receiver did not take: tried again later (backoff), then the dead-letter queue. */
export class WebhookNotTaken extends Error {
  override readonly name = 'WebhookNotTaken';
}

export interface SendDeps extends Pick<WebhookDeps, 'webhooks' | 'signingKey' | 'clock'> {
  post: (
    url: string,
    options: { headers: Record<string, string>; body: string; timeoutMs: number },
  ) => Promise<OutboundAnswer>;
}

/** The body a receiver gets: ids, colours, reason codes, masked names — never an ID number. */
export const deliveryBody = (event: WebhookEvent) =>
  JSON.stringify({ id: event.eventId, type: event.type, occurredAt: event.occurredAt, data: event.data });

export const DELIVERY_TIMEOUT_MS = 5_000;

export async function deliverWebhook(
  deps: SendDeps,
  request: DeliveryRequest,
  attempt: number,
): Promise<Delivery | undefined> {
  const sub = await deps.webhooks.get(request.tenantId, request.webhookId);
  // Removed (or never there): nothing to deliver.
  if (!sub) return undefined;
  const event = await deps.webhooks.event(request.tenantId, request.eventId);
  if (!event) return undefined;
  const body = sub.insurer ? insurerBody(sub.insurer, event) : deliveryBody(event);
  const deliveryId = newId('dlv');
  const now = deps.clock.now();
  const headers = await signRequest(
    {
      method: 'POST',
      url: sub.url,
      body,
      headers: { 'webhook-id': event.eventId, 'webhook-event': event.type, 'idempotency-key': event.eventId },
    },
    await deps.signingKey(sub.tenantId, sub.webhookId),
    now,
    deliveryId,
  );
  const started = Date.now();
  let delivery: Delivery;
  const base = {
    deliveryId,
    webhookId: sub.webhookId,
    eventId: event.eventId,
    eventType: event.type,
    at: now.toISOString(),
    attempt,
  };
  try {
    const answer = await deps.post(sub.url, { headers, body, timeoutMs: DELIVERY_TIMEOUT_MS });
    delivery = {
      ...base,
      outcome: answer.status >= 200 && answer.status < 300 ? 'delivered' : 'failed',
      status: answer.status,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const failure = (error as { failure?: string }).failure ?? 'unreachable';
    delivery = {
      ...base,
      outcome: failure === 'refused_address' ? 'refused' : 'failed',
      failure,
      durationMs: Date.now() - started,
    };
  }
  await deps.webhooks.logDelivery(sub.tenantId, delivery);
  count(METRIC.webhookDelivery, { outcome: delivery.outcome, reason: sub.insurer ? 'insurer' : 'tenant' });
  // A refused address stays refused until the URL is changed: no retry.
  if (delivery.outcome === 'failed')
    throw new WebhookNotTaken(`webhook delivery ${delivery.deliveryId} not taken`);
  return delivery;
}
