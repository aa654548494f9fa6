// Reading the audit trail (GET /audit): who changed what, when, for the auditor and the
// group's admins. Newest first over a range of China days (a week unless asked; at most a
// quarter per request), filtered by entity, entity id, actor and action, a page at a time.
// What a record's details hold is shown masked: ID-like digit runs anywhere, and the
// fields that name or reach a person.
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { addDays, type CalendarDate, daysBetween } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidRequest } from '../shared/errors.ts';
import type { Language } from '../shared/i18n/messages.ts';
import { maskEmail, maskIdLikeRuns, maskName, maskPhone } from '../shared/identity-numbers.ts';
import { csvField } from '../shared/spreadsheet-cells.ts';
import { actionName } from './audit-actions.ts';
import type { AuditFilter, AuditRecord, AuditTrail, DayKey } from './audit-store.ts';

export interface AuditDeps {
  audit: AuditTrail;
  clock: Clock;
}

export interface AuditQuery extends AuditFilter {
  from?: CalendarDate;
  to?: CalendarDate;
  limit: number;
  cursor?: string;
}

/** Days one request may cover: a quarter. */
export const MAX_AUDIT_DAYS = 92;
/** Queries one page may spend looking for matches before it answers with what it has. */
const MAX_QUERIES_PER_PAGE = 100;
/** Records one query evaluates (DynamoDB's Limit applies before the filter). */
const EVALUATED_PER_QUERY = 200;

const fieldError = (
  field: string,
  code: 'audit_range_inverted' | 'audit_range_too_long' | 'invalid_cursor',
) =>
  new InvalidRequest(code === 'invalid_cursor' ? 'invalid_cursor' : 'validation_failed', [
    { field, code, message: code },
  ]);

const PERSONAL: Record<string, (value: string) => string> = {
  name: maskName,
  formerName: maskName,
  phone: maskPhone,
  email: maskEmail,
};

/** Entities whose own `name` is an organisation's, not a person's (their contacts' still are). */
const ORGANISATIONS = new Set(['site', 'subcontractor', 'partner', 'tenant']);

/**
 * A record's details as shown: personal fields masked (a person's name, phone, mail; the
 * contacts of an organisation), ID-like digit runs masked everywhere.
 */
export function maskDetails(
  value: unknown,
  entityType = 'person',
  key?: string,
  inContacts = false,
): unknown {
  if (typeof value === 'string') {
    const organisationName = key === 'name' && ORGANISATIONS.has(entityType) && !inContacts;
    const mask = key && !organisationName ? PERSONAL[key] : undefined;
    return maskIdLikeRuns(mask ? mask(value) : value);
  }
  if (Array.isArray(value)) return value.map((v) => maskDetails(v, entityType, key, inContacts));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        maskDetails(v, entityType, k, inContacts || k === 'contacts'),
      ]),
    );
  return value;
}

interface Position {
  /** The day the next page starts on, and where in it. */
  d: CalendarDate;
  k?: DayKey;
  /** The range the cursor was made for: a cursor is only good for the same query. */
  f: CalendarDate;
  t: CalendarDate;
}

const encode = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url');

function decode(cursor: string, from: CalendarDate, to: CalendarDate): Position {
  let p: Position;
  try {
    p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
  } catch {
    throw fieldError('query.cursor', 'invalid_cursor');
  }
  const keyOk =
    p?.k === undefined ||
    (typeof p.k === 'object' &&
      !Array.isArray(p.k) &&
      Object.values(p.k).every((v) => typeof v === 'string'));
  if (!p || p.f !== from || p.t !== to || typeof p.d !== 'string' || p.d < from || p.d > to || !keyOk)
    throw fieldError('query.cursor', 'invalid_cursor');
  return p;
}

export async function readAuditTrail(deps: AuditDeps, principal: Principal, q: AuditQuery, lang: Language) {
  authorize(principal, 'audit:read');
  const to = q.to ?? deps.clock.today();
  const from = q.from ?? addDays(to, -6);
  if (from > to) throw fieldError('query.from', 'audit_range_inverted');
  if (daysBetween(from, to) >= MAX_AUDIT_DAYS) throw fieldError('query.from', 'audit_range_too_long');
  const at = q.cursor ? decode(q.cursor, from, to) : { d: to, f: from, t: to };
  const filter: AuditFilter = {
    ...(q.entityType ? { entityType: q.entityType } : {}),
    ...(q.entityId ? { entityId: q.entityId } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.action ? { action: q.action } : {}),
  };
  const found: AuditRecord[] = [];
  let day = at.d;
  let startKey = at.k;
  for (let queries = 0; found.length < q.limit && day >= from && queries < MAX_QUERIES_PER_PAGE; queries++) {
    const page = await deps.audit.day(principal.tenantId, day, {
      limit: EVALUATED_PER_QUERY,
      ...(startKey ? { startKey } : {}),
      filter,
    });
    const wanted = page.items.slice(0, q.limit - found.length);
    found.push(...wanted.map((i) => i.record));
    // More matched than the page holds: the next page starts after the last one shown.
    startKey = wanted.length < page.items.length ? wanted.at(-1)?.key : page.lastKey;
    if (!startKey) day = addDays(day, -1);
  }
  const more = day >= from;
  return {
    from,
    to,
    items: found.map((r) => ({
      auditId: r.auditId,
      at: r.at,
      action: r.action,
      actionName: actionName(r.action, lang),
      entityType: r.entityType,
      entityId: r.entityId,
      actor: { subject: r.actor.subject, role: r.actor.role },
      requestId: r.requestId,
      ...(r.details ? { details: maskDetails(r.details, r.entityType) as Record<string, unknown> } : {}),
      ...(r.hash ? { chain: { hash: r.hash, ...(r.seq ? { seq: r.seq, prevHash: r.prevHash } : {}) } } : {}),
    })),
    ...(more ? { nextCursor: encode({ d: day, ...(startKey ? { k: startKey } : {}), f: from, t: to }) } : {}),
  };
}

/** A page as CSV (UTF-8 with BOM, so Excel opens the Chinese right; formulas neutralised). */
export function renderAuditCsv(page: Awaited<ReturnType<typeof readAuditTrail>>): string {
  const header = [
    'at',
    'action',
    'actionName',
    'entityType',
    'entityId',
    'actorRole',
    'actorSubject',
    'requestId',
    'details',
  ];
  const rows = page.items.map((r) =>
    [
      r.at,
      r.action,
      r.actionName,
      r.entityType,
      r.entityId,
      r.actor.role,
      r.actor.subject,
      r.requestId,
      r.details ? JSON.stringify(r.details) : '',
    ]
      .map(csvField)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
