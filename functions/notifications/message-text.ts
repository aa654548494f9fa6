// An inbox message's words in a language: the inbox renders them when read, the other
// channels when sent (zh-CN unless the tenant says otherwise).
import { type Language, message } from '../shared/i18n/messages.ts';
import type { InboxMessage } from './inbox-store.ts';

export function messageText(m: InboxMessage, lang: Language): { title: string; body: string } {
  return {
    title: message(`${m.kind}_title`, lang, { name: m.nameMasked }),
    body: message(`${m.kind}_body`, lang, {
      name: m.nameMasked,
      ticketId: m.ticket?.ticketId,
      permitId: m.permit?.permitId,
      fromSiteId: m.travel?.fromSiteId,
      toSiteId: m.travel?.toSiteId,
      km: m.travel?.km,
      hours: m.travel?.hours,
      entryId: m.blacklist?.entryId,
      reasonCode: m.blacklist?.reasonCode,
      expiresOn: m.blacklist?.expiresOn,
      appealBy: m.blacklist?.appealBy,
      code: m.invitation?.code,
      invitationExpiresAt: m.invitation?.expiresAt,
      kind: m.undelivered ? message(`${m.undelivered.kind}_title`, lang, { name: m.nameMasked }) : undefined,
    }),
  };
}
