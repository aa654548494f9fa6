// The insurer link (SPEC E2): an insurer (PICC, Ping An …) is a webhook subscription with
// terms — its policies, the points at which it wants to hear, and its own key for the
// acknowledgements it sends back. It is told of certificate lapses, suspensions,
// reinstatements and points at or over its threshold, for people one of its policies covers,
// and hears only what the contract needs: the policy number, a reference, the masked name,
// the event and its date. Its signed acknowledgement may carry the new cover amount, kept on
// the person (`GET /people/{id}/insurance`).
import { findPerson, type PersonRepository } from '../domain/person.ts';
import {
  type EventSubject,
  INSURER_EVENTS,
  type InsurerEventType,
  type WebhookEvent,
} from '../domain/webhook-events.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import type { CalendarDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFound, Unauthenticated } from '../shared/errors.ts';
import { MAX_SIGNATURE_AGE_SECONDS, type SignedMessage, verifyRequest } from '../shared/http-signatures.ts';

export interface InsurancePolicy {
  policyNumber: string;
  /** Covers this subcontractor's workers (most specific first), … */
  subcontractorId?: string;
  /** … or the people whose home is this site; neither: everyone else. */
  siteId?: string;
}

export interface InsurerTerms {
  name: string;
  policies: InsurancePolicy[];
  /** Points in force at or over which the insurer is told (below: nothing). */
  pointsThreshold: number;
  /** The insurer's public key (Ed25519 SPKI PEM): its acknowledgements are signed with it. */
  publicKeyPem: string;
}

/** A subscription as the insurer link reads it (webhooks.ts's InsurerAccount is one). */
export interface InsurerAccount {
  tenantId: string;
  webhookId: string;
  insurer?: InsurerTerms;
}

export const isInsurerEvent = (type: string): type is InsurerEventType =>
  (INSURER_EVENTS as readonly string[]).includes(type);

/**
 * The policy that covers a person: one naming their subcontractor (and, if it names one,
 * their home site) first, then one naming their home site, then one naming neither. A policy
 * naming something else never covers them.
 */
export function policyFor(terms: InsurerTerms, subject: EventSubject): InsurancePolicy | undefined {
  const fits = (p: InsurancePolicy) =>
    (p.subcontractorId === undefined || p.subcontractorId === subject.subcontractorId) &&
    (p.siteId === undefined || p.siteId === subject.homeSiteId);
  const weight = (p: InsurancePolicy) => (p.subcontractorId ? 2 : 0) + (p.siteId ? 1 : 0);
  return terms.policies.filter(fits).sort((a, b) => weight(b) - weight(a))[0];
}

const subjectIn = (event: WebhookEvent) => event.data as unknown as EventSubject & Record<string, unknown>;

/** Whether an insurer hears of an event: its kind, a policy covering the person, points at its threshold. */
export function insurerWants(terms: InsurerTerms, event: WebhookEvent): boolean {
  if (event.type === 'webhook.ping') return true;
  if (!isInsurerEvent(event.type)) return false;
  if (!policyFor(terms, subjectIn(event))) return false;
  if (event.type === 'person.points_changed') return Number(subjectIn(event).points) >= terms.pointsThreshold;
  return true;
}

/** The day an event is about (the lapse, the suspension), else the day it happened. */
function eventDate(event: WebhookEvent): CalendarDate {
  const data = subjectIn(event);
  const day = data.expiredOn ?? data.since ?? data.occurredOn;
  return (typeof day === 'string' ? day : event.occurredAt.slice(0, 10)) as CalendarDate;
}

/** What an insurer receives: the contract's fields only — never an ID number, phone or site. */
export function insurerBody(terms: InsurerTerms, event: WebhookEvent): string {
  if (event.type === 'webhook.ping')
    return JSON.stringify({ id: event.eventId, type: event.type, occurredAt: event.occurredAt });
  const subject = subjectIn(event);
  const policy = policyFor(terms, subject);
  return JSON.stringify({
    id: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    date: eventDate(event),
    policyNumber: policy?.policyNumber,
    insured: { reference: subject.personId, nameMasked: subject.nameMasked },
    ...(event.type === 'person.points_changed'
      ? { points: Number(subject.points), threshold: terms.pointsThreshold }
      : {}),
  });
}

/** The keyid an insurer signs its acknowledgements with: the tenant and the subscription. */
export const acknowledgementKeyId = (sub: Pick<InsurerAccount, 'tenantId' | 'webhookId'>) =>
  `${sub.tenantId}/${sub.webhookId}`;

export interface Cover {
  webhookId: string;
  insurer: string;
  policyNumber: string;
  amount: number;
  currency: 'CNY';
  effectiveOn: CalendarDate;
  eventId: string;
  acknowledgedAt: string;
}

export interface Acknowledgement {
  webhookId: string;
  eventId: string;
  personId: string;
  eventType: InsurerEventType;
  acknowledgedAt: string;
  cover?: Cover;
  note?: string;
}

export interface InsurerStore {
  get(tenantId: string, webhookId: string): Promise<InsurerAccount | undefined>;
  event(tenantId: string, eventId: string): Promise<WebhookEvent | undefined>;
  /** False when the nonce was used already (kept past the signature window). */
  useNonce(tenantId: string, webhookId: string, nonce: string, keepUntil: Date): Promise<boolean>;
  /** The acknowledgement, and the person's cover when it carries one, in one write, audited. */
  acknowledge(actor: Actor, tenantId: string, ack: Acknowledgement, requestId: string): Promise<void>;
  covers(tenantId: string, personId: string): Promise<Cover[]>;
}

export interface InsurerDeps {
  insurers: InsurerStore;
  people: PersonRepository;
  clock: Clock;
}

/**
 * An acknowledgement's insurer: signed (RFC 9421) by the key the insurer registered, fresh,
 * with a nonce not seen before. Answers the keyid (tenant/subscription); 401 otherwise.
 */
export async function signedByInsurer(deps: InsurerDeps, message: SignedMessage): Promise<string> {
  const now = deps.clock.now();
  const verified = await verifyRequest(
    message,
    async (keyId) => (await insurerOf(deps, keyId))?.insurer?.publicKeyPem,
    now,
  );
  const sub = (await insurerOf(deps, verified.keyId)) as InsurerAccount;
  const fresh = await deps.insurers.useNonce(
    sub.tenantId,
    sub.webhookId,
    verified.nonce,
    new Date(now.getTime() + 2 * MAX_SIGNATURE_AGE_SECONDS * 1000),
  );
  if (!fresh) throw new Unauthenticated('replayed_request');
  return verified.keyId;
}

async function insurerOf(deps: InsurerDeps, keyId: string): Promise<InsurerAccount | undefined> {
  const at = keyId.lastIndexOf('/');
  if (at <= 0) return undefined;
  const sub = await deps.insurers.get(keyId.slice(0, at), keyId.slice(at + 1));
  return sub?.insurer ? sub : undefined;
}

/**
 * An insurer's acknowledgement of an event it was sent: recorded, and the cover it names kept
 * on the person. An event the insurer was not sent (another tenant's, another insurer's, one
 * below its threshold) is not found; the same event acknowledged again replaces the record.
 */
export async function acknowledge(
  deps: InsurerDeps,
  keyId: string,
  body: {
    eventId: string;
    cover?: { amount: number; currency: 'CNY'; effectiveOn: CalendarDate };
    note?: string;
  },
  requestId: string,
): Promise<Acknowledgement> {
  const sub = await insurerOf(deps, keyId);
  if (!sub?.insurer) throw new Unauthenticated('unknown_key');
  const event = await deps.insurers.event(sub.tenantId, body.eventId);
  if (!event || !isInsurerEvent(event.type) || !insurerWants(sub.insurer, event))
    throw new NotFound('event_not_found');
  const subject = subjectIn(event);
  const now = deps.clock.now().toISOString();
  const ack: Acknowledgement = {
    webhookId: sub.webhookId,
    eventId: event.eventId,
    personId: subject.personId,
    eventType: event.type,
    acknowledgedAt: now,
    ...(body.note ? { note: body.note } : {}),
    ...(body.cover
      ? {
          cover: {
            webhookId: sub.webhookId,
            insurer: sub.insurer.name,
            policyNumber: policyFor(sub.insurer, subject)?.policyNumber ?? '',
            ...body.cover,
            eventId: event.eventId,
            acknowledgedAt: now,
          },
        }
      : {}),
  };
  const actor: Actor = { tenantId: sub.tenantId, subject: `insurer:${sub.webhookId}`, role: 'insurer' };
  await deps.insurers.acknowledge(actor, sub.tenantId, ack, requestId);
  return ack;
}

/** The cover each insurer last told us for a person, for those who may see the person. */
export async function coversOf(deps: InsurerDeps, principal: Principal, personId: string) {
  authorize(principal, 'person:read');
  const person = await findPerson(deps.people, principal, personId);
  return deps.insurers.covers(principal.tenantId, person.personId);
}
