// Events written with the changes that cause them: a colour change (part of every status
// write) and a departure (part of a person's correction). Each is one outbox item in the
// same transaction: no change without its event, no event without its change.
import type { PersonCorrection, PersonCorrectionParticipant } from '../domain/person.ts';
import type { StatusWriteFacts, StatusWriteParticipant } from '../domain/status-write.ts';
import type { EventOutbox } from '../domain/webhook-events.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';

export class StatusChangeEvents<Item> implements StatusWriteParticipant<Item> {
  constructor(private readonly outbox: EventOutbox<Item>) {}

  items({ person, status, change, first, now }: StatusWriteFacts): Item[] {
    // A person's first status comes with their registration: not a change anyone waits for.
    if (!change || first) return [];
    // Turning yellow for a certificate's coming expiry: which certificate, when, in how many days.
    const expiring =
      change.to === 'yellow'
        ? status.reasons.filter(
            (r) => (r.code === 'expiring' || r.code === 'expiring_urgent') && r.certificateId,
          )
        : [];
    return this.outbox.prepare(person.tenantId, [
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
        data: { personId: after.personId, nameMasked: maskName(after.name), leftOn: after.engagementEnd?.on },
      },
    ]);
  }
}
