import { getMyInbox, getStatusHistory } from '../../schemas/routes/status.ts';
import { apiHandler } from '../api-handler.ts';
import { reasonViews } from '../certificates/status-view.ts';
import { personRepository, statusReads } from '../composition-root.ts';
import { findPerson } from '../domain/person.ts';
import type { StatusReason } from '../domain/status.ts';
import { messageText } from '../notifications/message-text.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { on } from '../shared/http/handler.ts';
import { mailboxesOf } from './mailboxes.ts';

const people = personRepository();
const reads = statusReads();

export const handler = apiHandler([
  on(getStatusHistory, async ({ principal, params, query, lang }) => {
    authorize(principal, 'person:read');
    const person = await findPerson(people, principal, params.personId);
    const page = await reads.history(principal.tenantId, person.personId, query.limit, query.cursor);
    const items = page.items.map((h) => {
      const {
        pk: _pk,
        sk: _sk,
        entity: _e,
        personId: _p,
        reasons,
        ...rest
      } = h as Record<string, unknown> & {
        reasons: StatusReason[];
      };
      return { ...rest, reasons: reasonViews(reasons, lang) };
    });
    return { status: 200, body: { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
  }),
  on(getMyInbox, async ({ principal, query, lang }) => {
    const messages = await reads.inbox(principal.tenantId, mailboxesOf(principal), query.limit);
    const items = messages.map((m) => ({
      messageId: m.messageId,
      mailbox: m.mailbox,
      kind: m.kind,
      personId: m.personId,
      nameMasked: m.nameMasked,
      color: m.color,
      ...messageText(m, lang),
      reasons: reasonViews(m.reasons, lang),
      ...(m.quiz ? { quiz: m.quiz } : {}),
      ...(m.ticket ? { ticket: m.ticket } : {}),
      ...(m.permit ? { permit: m.permit } : {}),
      ...(m.travel ? { travel: m.travel } : {}),
      ...(m.blacklist ? { blacklist: m.blacklist } : {}),
      createdAt: m.createdAt,
    }));
    return { status: 200, body: { items } };
  }),
]);
