// What a change of a person's colour sets off (SPEC L5): a history entry, an audit
// record and notification requests. Pure: the writer turns them into items of the same
// transaction as the status itself.
import type { Mailbox, NotificationKind, NotificationRequest } from '../domain/notifications.ts';
import type { Color, PersonStatus, StatusReason } from '../domain/status.ts';
import { maskName } from '../shared/identity-numbers.ts';

export type StatusCause =
  | 'person.create'
  | 'certificate.create'
  | 'certificate.renew'
  | 'certificate.stamp'
  | 'certificate.verify'
  | 'certificate.forgery_analysis'
  | 'certificate.forgery_review'
  | 'status.read'
  | 'expiry-sweep';

export {
  type Mailbox,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationRequest,
} from '../domain/notifications.ts';

export interface ColourChange {
  from: Color | null;
  to: Color;
}

export function colourChange(
  before: PersonStatus | undefined,
  after: PersonStatus,
): ColourChange | undefined {
  const from = before?.color ?? null;
  return from === after.color ? undefined : { from, to: after.color };
}

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
