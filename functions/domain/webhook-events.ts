// Events a tenant's own systems may subscribe to (issue 28, webhooks): what happened, to
// whom (ids, colours, reason codes, a masked name — never an ID number), written in the same
// transaction as the change (an outbox), so an event is never lost nor sent for a change that
// did not happen. Capabilities write them through the EventOutbox port; the webhooks
// capability delivers them.

export const WEBHOOK_EVENTS = [
  'person.status_changed',
  'person.departed',
  'certificate.expiring',
  'certificate.verified',
  'ticket.suspended',
  'blacklist.entered',
  'import.finished',
  'webhook.ping',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEvent {
  eventId: string;
  type: WebhookEventType;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Writes events with the change that causes them. `Item` is the store's transaction item. */
export interface EventOutbox<Item = unknown> {
  prepare(tenantId: string, events: WebhookEvent[]): Item[];
}
