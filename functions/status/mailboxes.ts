// Which inbox mailboxes a caller reads. Pure.
import type { Principal } from '../shared/auth/principal.ts';
import type { Mailbox } from './status-change.ts';

/** The mailboxes a caller reads: their own, their role's, their sites', and their person's. */
export function mailboxesOf(principal: Principal): Mailbox[] {
  const boxes: Mailbox[] = [`USER#${principal.subject}`];
  if (principal.personId) boxes.push(`PERSON#${principal.personId}`);
  if (principal.role === 'hr') boxes.push('ROLE#hr');
  if (principal.role === 'site_manager')
    boxes.push(...principal.siteIds.map((s) => `SITE#${s}#site_manager` as const));
  return boxes;
}
