// Events a tenant's own systems may subscribe to (issue 28, webhooks): what happened, to
// whom (ids, colours, reason codes, a masked name — never an ID number), written in the same
// transaction as the change (an outbox), so an event is never lost nor sent for a change that
// did not happen. Capabilities write them through the EventOutbox port; the webhooks
// capability delivers them.
import { maskName } from '../shared/identity-numbers.ts';
import type { PersonRecord } from './person.ts';

export const WEBHOOK_EVENTS = [
  'person.status_changed',
  'person.departed',
  'certificate.expiring',
  'certificate.verified',
  'certificate.lapsed',
  'person.suspended',
  'person.reinstated',
  'person.points_changed',
  'ticket.suspended',
  'blacklist.entered',
  'import.finished',
  'webhook.ping',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What an insurer is told (E2): lapses, suspensions, reinstatements and points. */
export const INSURER_EVENTS = [
  'certificate.lapsed',
  'person.suspended',
  'person.reinstated',
  'person.points_changed',
] as const satisfies readonly WebhookEventType[];
export type InsurerEventType = (typeof INSURER_EVENTS)[number];

/** Who an event is about, as every person event carries it (ids only; the name masked). */
export interface EventSubject {
  personId: string;
  nameMasked: string;
  homeSiteId?: string;
  subcontractorId?: string;
}

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

/** The ids and masked name every person event carries: enough to route it (insurers' policies). */
export const subjectOf = (person: PersonRecord): EventSubject => ({
  personId: person.personId,
  nameMasked: maskName(person.name),
  ...(person.homeSiteId ? { homeSiteId: person.homeSiteId } : {}),
  ...(person.employer.subcontractorId ? { subcontractorId: person.employer.subcontractorId } : {}),
});
