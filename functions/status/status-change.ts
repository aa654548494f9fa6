// What a change of a person's colour sets off (SPEC L5): a history entry, an audit
// record and notification requests. Pure: the writer turns them into items of the same
// transaction as the status itself.
import type { Mailbox, NotificationKind, NotificationRequest } from '../domain/notifications.ts';
import type { StatusReason } from '../domain/status.ts';
import type { ColourChange } from '../domain/status-write.ts';
import { maskName } from '../shared/identity-numbers.ts';

export {
  type Mailbox,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationRequest,
} from '../domain/notifications.ts';

export { type ColourChange, colourChange, type StatusCause } from '../domain/status-write.ts';

/**
 * Who hears of a change: a review task to the holder on turning yellow; a freeze notice
 * to the holder, the managers of their home site and HR on turning red; an unfreeze
 * notice to the same people when red clears. A newly registered person starting red is
 * not news.
 */
export function notificationsFor(
  change: ColourChange,
  person: { personId: string; name: string; homeSiteId?: string },
  reasons: StatusReason[],
): NotificationRequest[] {
  if (change.from === null) return [];
  const holder: Mailbox = `PERSON#${person.personId}`;
  const supervisors: Mailbox[] = [
    ...(person.homeSiteId ? [`SITE#${person.homeSiteId}#site_manager` as const] : []),
    'ROLE#hr',
  ];
  const make = (kind: NotificationKind, mailbox: Mailbox): NotificationRequest => ({
    kind,
    mailbox,
    personId: person.personId,
    nameMasked: maskName(person.name),
    color: change.to,
    reasons,
  });
  if (change.to === 'red') return [holder, ...supervisors].map((m) => make('freeze_notice', m));
  if (change.from === 'red') return [holder, ...supervisors].map((m) => make('unfreeze_notice', m));
  if (change.to === 'yellow') return [make('review_task', holder)];
  return [];
}
