// Turning red suspends the person's open work tickets in the same transaction as the status
// (SPEC X4: "a worker turning red mid-ticket suspends the ticket at once"). The status write
// reads the person's gate view anyway; its `openTickets` set names each open ticket with
// its site and leader, so no extra read is needed and the leader and the site's managers
// are told in that transaction too. Tickets take part in the status write as a participant
// (functions/domain/status-write.ts) the composition root hands the status writer.

import type { NotificationRequest, Notifier } from '../domain/notifications.ts';
import type { StatusWriteFacts, StatusWriteParticipant } from '../domain/status-write.ts';
import type { EventOutbox } from '../domain/webhook-events.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, StaleRecord, type TransactItem } from '../shared/dynamo/transactions.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';

/** How a person's gate view names an open ticket. */
export const openTicketEntry = (t: { ticketId: string; siteId: string; leaderId: string }) =>
  `${t.ticketId} ${t.siteId} ${t.leaderId}`;

export const parseOpenTicketEntry = (entry: string) => {
  const [ticketId = '', siteId = '', leaderId = ''] = entry.split(' ');
  return { ticketId, siteId, leaderId };
};

/**
 * One update per open ticket: suspended, the first suspension kept. A ticket that ended
 * meanwhile fails its condition → StaleRecord: the status write re-reads (the ended ticket
 * left the gate view's set in its own transaction) and tries again.
 */
export function suspensionItems(
  table: string,
  tenantId: string,
  personId: string,
  entries: string[],
  reasons: string[],
  now: Date,
) {
  return entries.map((entry) => {
    const { ticketId } = parseOpenTicketEntry(entry);
    return guard(
      {
        Update: {
          TableName: table,
          Key: keys.ticket(tenantId, ticketId),
          UpdateExpression:
            'SET #status = :suspended, suspension = if_not_exists(suspension, :suspension) ADD version :one',
          ConditionExpression: '#status IN (:draft, :approved, :active, :suspended)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':suspended': 'suspended',
            ':draft': 'draft',
            ':approved': 'approved',
            ':active': 'active',
            ':suspension': { personId, at: now.toISOString(), reasons },
            ':one': 1,
          },
        },
      },
      () => new StaleRecord(),
    );
  });
}

/** The leader and the managers of the ticket's site hear of it. */
export function suspensionNotices(
  entries: string[],
  person: { personId: string; nameMasked: string },
  base: Omit<NotificationRequest, 'kind' | 'mailbox' | 'personId' | 'nameMasked'>,
): NotificationRequest[] {
  return entries.flatMap((entry) => {
    const { ticketId, siteId, leaderId } = parseOpenTicketEntry(entry);
    return [`PERSON#${leaderId}` as const, `SITE#${siteId}#site_manager` as const].map((mailbox) => ({
      ...base,
      kind: 'ticket_suspended' as const,
      mailbox,
      personId: person.personId,
      nameMasked: person.nameMasked,
      ticket: { ticketId, siteId },
    }));
  });
}

/** Turning red stops the person's open work tickets and tells their leaders and site managers. */
export class TicketSuspensionParticipant implements StatusWriteParticipant<TransactItem | Guarded> {
  constructor(
    private readonly table: string,
    private readonly notifier: Notifier<TransactItem>,
    /** `ticket.suspended` for the tenant's own systems (webhooks), in the same transaction. */
    private readonly events?: EventOutbox<TransactItem>,
  ) {}

  items({ person, status, change, first, seen, now }: StatusWriteFacts): (TransactItem | Guarded)[] {
    const entries = seen?.openTickets ?? [];
    if (first || change?.to !== 'red' || !entries.length) return [];
    const notices = this.notifier.prepare(
      person.tenantId,
      suspensionNotices(
        entries,
        { personId: person.personId, nameMasked: maskName(person.name) },
        { color: status.color, reasons: status.reasons },
      ),
      now,
    );
    const reasons = status.reasons.map((r) => r.code);
    const events =
      this.events?.prepare(
        person.tenantId,
        entries.map((entry) => {
          const { ticketId, siteId } = parseOpenTicketEntry(entry);
          return {
            eventId: newId('evt'),
            type: 'ticket.suspended' as const,
            occurredAt: now.toISOString(),
            data: { ticketId, siteId, personId: person.personId, nameMasked: maskName(person.name), reasons },
          };
        }),
      ) ?? [];
    return [
      ...suspensionItems(this.table, person.tenantId, person.personId, entries, reasons, now),
      ...notices,
      ...events,
    ];
  }
}
