// Turning red suspends the person's open work tickets in the same transaction as the status
// (SPEC X4: "a worker turning red mid-ticket suspends the ticket at once"). The status write
// reads the person's gate view anyway; its `openTickets` set names each open ticket with
// its site and leader, so no extra read is needed and the leader and the site's managers
// are told in that transaction too. No SDK here: plain transaction items.

import type { NotificationRequest } from '../domain/notifications.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, StaleRecord } from '../shared/dynamo/transactions.ts';

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
