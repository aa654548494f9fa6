// Events written with the changes that cause them: a colour change and a certificate's lapse
// (part of every status write), a departure, a suspension and a reinstatement (part of a
// person's correction). Each is one outbox item in the same transaction: no change without
// its event, no event without its change.
import type { PersonCorrection, PersonCorrectionParticipant, PersonRecord } from '../domain/person.ts';
import type { StatusWriteFacts, StatusWriteParticipant } from '../domain/status-write.ts';
import { type EventOutbox, subjectOf, type WebhookEvent } from '../domain/webhook-events.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';

export class StatusChangeEvents<Item> implements StatusWriteParticipant<Item> {
  constructor(private readonly outbox: EventOutbox<Item>) {}

  items({ person, status, change, first, now }: StatusWriteFacts): Item[] {
    // A person's first status comes with their registration: not a change anyone waits for.
    if (first) return [];
    const lapsed = lapsedCertificates(person, status.reasons).map(
      (r): WebhookEvent => ({
        eventId: newId('evt'),
        type: 'certificate.lapsed',
        occurredAt: now.toISOString(),
        data: { ...subjectOf(person), certificateId: r.certificateId, expiredOn: r.date },
      }),
    );
    if (!change) return lapsed.length ? this.outbox.prepare(person.tenantId, lapsed) : [];
    // Turning yellow for a certificate's coming expiry: which certificate, when, in how many days.
    const expiring =
      change.to === 'yellow'
        ? status.reasons.filter(
            (r) => (r.code === 'expiring' || r.code === 'expiring_urgent') && r.certificateId,
          )
        : [];
    return this.outbox.prepare(person.tenantId, [
      ...lapsed,
      ...expiring.map((r) => ({
        eventId: newId('evt'),
        type: 'certificate.expiring' as const,
        occurredAt: now.toISOString(),
        data: {
          personId: person.personId,
          nameMasked: maskName(person.name),
          certificateId: r.certificateId,
          expiresOn: r.date,
          days: r.days,
          urgent: r.code === 'expiring_urgent',
        },
      })),
      {
        eventId: newId('evt'),
        type: 'person.status_changed',
        occurredAt: now.toISOString(),
        data: {
          personId: person.personId,
          nameMasked: maskName(person.name),
          from: change.from,
          to: change.to,
          gateAccess: status.gateAccess,
          dispatch: status.dispatch,
          reasons: status.reasons.map((r) => r.code),
        },
      },
    ]);
  }
}

export class DepartureEvents<Item> implements PersonCorrectionParticipant<Item> {
  constructor(private readonly outbox: EventOutbox<Item>) {}

  items({ before, after }: PersonCorrection): Item[] {
    const departed =
      after.engagementEnd?.reason === 'departed' && before.engagementEnd?.reason !== 'departed';
    if (!departed) return [];
    return this.outbox.prepare(after.tenantId, [
      {
        eventId: newId('evt'),
        type: 'person.departed',
        occurredAt: after.updatedAt ?? new Date().toISOString(),
        data: { ...subjectOf(after), leftOn: after.engagementEnd?.on },
      },
    ]);
  }
}

/** Certificates expired in the new status that were not expired in the one it replaces. */
export function lapsedCertificates(
  before: PersonRecord,
  reasons: StatusWriteFacts['status']['reasons'],
): { certificateId: string; date?: string }[] {
  const was = new Set(before.status.reasons.filter((r) => r.code === 'expired').map((r) => r.certificateId));
  return reasons
    .filter((r) => r.code === 'expired' && r.certificateId && !was.has(r.certificateId))
    .map((r) => ({ certificateId: r.certificateId as string, ...(r.date ? { date: r.date } : {}) }));
}

/** A suspension for training and its end: what an insurer is told (E2). */
export class SuspensionEvents<Item> implements PersonCorrectionParticipant<Item> {
  constructor(private readonly outbox: EventOutbox<Item>) {}

  items({ before, after }: PersonCorrection): Item[] {
    const occurredAt = after.updatedAt ?? new Date().toISOString();
    if (after.suspension && !before.suspension)
      return this.outbox.prepare(after.tenantId, [
        {
          eventId: newId('evt'),
          type: 'person.suspended',
          occurredAt,
          data: { ...subjectOf(after), since: after.suspension.since, points: after.suspension.points },
        },
      ]);
    if (before.suspension && !after.suspension)
      return this.outbox.prepare(after.tenantId, [
        {
          eventId: newId('evt'),
          type: 'person.reinstated',
          occurredAt,
          data: { ...subjectOf(after), suspendedSince: before.suspension.since },
        },
      ]);
    return [];
  }
}
