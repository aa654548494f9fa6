// Every status write goes through here, whoever makes it (a certificate write, a status
// read that finds the date moved on, the daily sweep, a registry verification). One
// transaction stores the status on the person (version-guarded), the gate's read model,
// and — when the colour changed — the history entry, the audit record and the
// notifications. So a red person can never pass a gate that has not heard of it.

import { heatDeltas } from '../domain/heat-counts.ts';
import type { Notifier } from '../domain/notifications.ts';
import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status.ts';
import { type Counting, countingUpdate, heatCounterItems, recounted } from '../gates/heat-store.ts';
import { personIndexKeys } from '../people/person.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, StaleRecord, type TransactItem } from '../shared/dynamo/transactions.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import { suspensionItems, suspensionNotices } from '../tickets/ticket-suspension.ts';
import { type ColourChange, colourChange, notificationsFor, type StatusCause } from './status-change.ts';

export interface StatusWriteContext {
  table: string;
  notifier: Notifier;
  actor: Actor;
  requestId: string;
  now: Date;
}

/**
 * What the gate decision reads: one small item, written with every status. An update, not
 * a put: the item also carries the person's quiz state per site, which a status write
 * must not erase.
 */
export function gateViewWrite(
  table: string,
  person: PersonRecord,
  status: PersonStatus,
  now: Date,
  accessChanged = false,
  /** How the person was counted when read: the counting follows the status, version-guarded. */
  seen?: Counting,
) {
  const fields: Record<string, unknown> = {
    // A change of gate access reaches the offline allowlists within a minute (allowlists job).
    ...(accessChanged
      ? keys.allowlistDirty(person.tenantId, `PERSON#${person.personId}`, now.toISOString())
      : {}),
    entity: 'gate-view',
    personId: person.personId,
    nameMasked: maskName(person.name),
    color: status.color,
    gateAccess: status.gateAccess,
    dispatch: status.dispatch,
    reasons: status.reasons.filter((r) => r.code !== 'reminder_window').map((r) => r.code),
    categories: status.categories ?? [],
    updatedAt: now.toISOString(),
  };
  // The day access lapses by date alone: gates refuse from then even before the sweep runs.
  if (status.accessLapsesOn) fields.accessLapsesOn = status.accessLapsesOn;
  const names = Object.keys(fields);
  const counting = seen ? countingUpdate(seen, recounted(seen, status)) : undefined;
  const sets = [...names.map((_, i) => `#f${i} = :f${i}`), ...(counting?.set ?? [])];
  const removes = [...(status.accessLapsesOn ? [] : ['accessLapsesOn']), ...(counting?.remove ?? [])];
  return {
    Update: {
      TableName: table,
      Key: keys.gateView(person.tenantId, person.personId),
      UpdateExpression:
        `SET ${sets.join(', ')}` +
        (removes.length ? ` REMOVE ${removes.join(', ')}` : '') +
        (counting ? ` ADD ${counting.add.join(', ')}` : ''),
      ...(counting ? { ConditionExpression: counting.condition } : {}),
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:f${i}`, fields[n]])),
        ...(counting?.values ?? {}),
      },
    },
  };
}

function changeItems(
  ctx: StatusWriteContext,
  person: PersonRecord,
  status: PersonStatus,
  change: ColourChange,
  cause: StatusCause,
) {
  const at = ctx.now.toISOString();
  const historyId = newId('his');
  const reasonCodes = status.reasons.map((r) => r.code);
  const notifications = ctx.notifier.prepare(
    person.tenantId,
    notificationsFor(change, person, status.reasons),
    ctx.now,
  );
  return [
    {
      Put: {
        TableName: ctx.table,
        Item: {
          ...keys.statusHistory(person.tenantId, person.personId, at, historyId),
          entity: 'status-history',
          historyId,
          personId: person.personId,
          from: change.from,
          to: change.to,
          reasons: status.reasons,
          cause,
          actor: { subject: ctx.actor.subject, role: ctx.actor.role },
          at,
          effectiveOn: status.computedOn,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut(
      ctx.table,
      { ...ctx.actor, tenantId: person.tenantId },
      {
        action: 'person.status.change',
        entityType: 'person',
        entityId: person.personId,
        details: { from: change.from, to: change.to, cause, reasons: reasonCodes },
      },
      ctx.requestId,
      ctx.now,
    ),
    ...notifications.transactItems,
  ];
}

/** Turning red stops the person's open work tickets and tells their leaders and site managers. */
function ticketSuspension(
  ctx: StatusWriteContext,
  person: PersonRecord,
  status: PersonStatus,
  entries: string[],
) {
  const reasons = status.reasons.map((r) => r.code);
  const notices = ctx.notifier.prepare(
    person.tenantId,
    suspensionNotices(
      entries,
      { personId: person.personId, nameMasked: maskName(person.name) },
      { color: status.color, reasons: status.reasons },
    ),
    ctx.now,
  );
  return [
    ...suspensionItems(ctx.table, person.tenantId, person.personId, entries, reasons, ctx.now),
    ...notices.transactItems,
  ];
}

/**
 * Items that store a recomputed status on an existing person. The person update is
 * version-guarded: if the person changed since it was read, the transaction raises
 * StaleRecord and the caller re-reads (retryOnStale).
 */
export function statusUpdateItems(
  ctx: StatusWriteContext,
  person: PersonRecord,
  status: PersonStatus,
  cause: StatusCause,
  /** How the person is counted on the heat map (read just before): the counters follow. */
  seen?: Counting,
): (TransactItem | Guarded)[] {
  const index = {
    ...personIndexKeys(person, status.color),
    ...keys.sweepIndex(person.tenantId, person.personId, status.nextChangeOn),
  };
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Record<string, unknown> = {
    ':status': status,
    ':expected': person.version,
    ':next': person.version + 1,
  };
  const sets = ['#status = :status', '#version = :next'];
  for (const [attr, value] of Object.entries(index)) {
    names[`#${attr}`] = attr;
    values[`:${attr}`] = value;
    sets.push(`#${attr} = :${attr}`);
  }
  // No further date-driven change: take the person out of the sweep index.
  const remove = status.nextChangeOn ? '' : ' REMOVE gsi4pk, gsi4sk';
  const change = colourChange(person.status, status);
  return [
    guard(
      {
        Update: {
          TableName: ctx.table,
          Key: keys.person(person.tenantId, person.personId),
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      () => new StaleRecord(),
    ),
    // Version-guarded when counting: a check-in that counted the old colour meanwhile
    // makes this StaleRecord, and the caller re-reads (retryOnStale).
    seen
      ? guard(
          gateViewWrite(
            ctx.table,
            person,
            status,
            ctx.now,
            !!change && (change.from === 'red' || change.to === 'red'),
            seen,
          ),
          () => new StaleRecord(),
        )
      : gateViewWrite(
          ctx.table,
          person,
          status,
          ctx.now,
          !!change && (change.from === 'red' || change.to === 'red'),
        ),
    ...(change ? changeItems(ctx, person, status, change, cause) : []),
    ...(change?.to === 'red' && seen?.openTickets?.length
      ? ticketSuspension(ctx, person, status, seen.openTickets)
      : []),
    ...(seen
      ? heatCounterItems(ctx.table, person.tenantId, heatDeltas(seen.counted, recounted(seen, status)))
      : []),
  ];
}

/** Items that accompany the first write of a person: gate view and the first history entry. */
export function initialStatusItems(ctx: StatusWriteContext, person: PersonRecord) {
  const change = { from: null, to: person.status.color } as const;
  return [
    gateViewWrite(ctx.table, person, person.status, ctx.now),
    ...changeItems(ctx, person, person.status, change, 'person.create'),
  ];
}

/** Index keys a person item carries for its status (lists by colour, sweep day). */
export function statusIndexKeys(person: PersonRecord) {
  return {
    ...personIndexKeys(person, person.status.color),
    ...keys.sweepIndex(person.tenantId, person.personId, person.status.nextChangeOn),
  };
}
