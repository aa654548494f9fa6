// Every status write goes through here, whoever makes it (a certificate write, a status
// read that finds the date moved on, the daily sweep, a registry verification). One
// transaction stores the status on the person (version-guarded), the gate's read model,
// and — when the colour changed — the history entry, the audit record and the
// notifications. So a red person can never pass a gate that has not heard of it.
// What other capabilities add to that transaction (the gate view and heat counters,
// the suspension of open tickets) comes from participants the composition root hands in.

import type { Presence } from '../domain/gate-view.ts';
import type { Notifier } from '../domain/notifications.ts';
import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status.ts';
import {
  type ColourChange,
  colourChange,
  type PresenceReader,
  type StatusCause,
  type StatusWriteParticipant,
  type StatusWrites,
  type WriteContext,
} from '../domain/status-write.ts';
import { auditPut } from '../shared/audit.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, StaleRecord, type TransactItem } from '../shared/dynamo/transactions.ts';
import { newId } from '../shared/ids.ts';
import { count, METRIC } from '../shared/metrics.ts';
import { notificationsFor } from './status-change.ts';

type Item = TransactItem | Guarded;

/** Index keys a person's status gives them: lists by colour (or of leavers), home site, subcontractor. */
export function personIndexKeys(
  p: Pick<PersonRecord, 'tenantId' | 'personId' | 'homeSiteId' | 'employer'>,
  status: Pick<PersonStatus, 'color' | 'reasons'>,
) {
  return keys.personIndexes(p.tenantId, {
    personId: p.personId,
    color: status.color,
    left: status.reasons.some((r) => r.code === 'departed'),
    homeSiteId: p.homeSiteId,
    subcontractorId: p.employer.type === 'subcontractor' ? p.employer.subcontractorId : undefined,
  });
}

/** Index keys a person item carries for a status (lists by colour, sweep day); its own by default. */
export function statusIndexKeys(person: PersonRecord, status: PersonStatus = person.status) {
  return {
    ...personIndexKeys(person, status),
    ...keys.sweepIndex(person.tenantId, person.personId, status.nextChangeOn),
  };
}

export class DynamoStatusWrites implements StatusWrites<Item> {
  constructor(
    private readonly table: string,
    private readonly notifier: Notifier<TransactItem>,
    /** Reads where the person stands (the gate view): what the participants act on. */
    private readonly presenceReader: PresenceReader,
    private readonly participants: readonly StatusWriteParticipant<Item>[],
  ) {}

  presence(tenantId: string, personId: string): Promise<Presence> {
    return this.presenceReader.presence(tenantId, personId);
  }

  /**
   * Items that store a recomputed status on an existing person. The person update is
   * version-guarded: if the person changed since it was read, the transaction raises
   * StaleRecord and the caller re-reads (retryOnStale).
   */
  updateItems(
    ctx: WriteContext,
    person: PersonRecord,
    status: PersonStatus,
    cause: StatusCause,
    seen: Presence | undefined,
  ): Item[] {
    const index = statusIndexKeys(person, status);
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
            TableName: this.table,
            Key: keys.person(person.tenantId, person.personId),
            UpdateExpression: `SET ${sets.join(', ')}${remove}`,
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        () => new StaleRecord(),
        // Counted once committed: colours and causes are closed sets (no person in a dimension).
        change ? () => count(METRIC.statusChange, { colour: change.to, cause }) : undefined,
      ),
      ...(change ? this.changeItems(ctx, person, status, change, cause) : []),
      ...this.participants.flatMap((p) =>
        p.items({ person, status, change, first: false, seen, now: ctx.now }),
      ),
    ];
  }

  /** Items that accompany the first write of a person: gate view and the first history entry. */
  initialItems(ctx: WriteContext, person: PersonRecord): Item[] {
    const change = { from: null, to: person.status.color } as const;
    return [
      ...this.changeItems(ctx, person, person.status, change, 'person.create'),
      ...this.participants.flatMap((p) =>
        p.items({ person, status: person.status, change, first: true, seen: undefined, now: ctx.now }),
      ),
    ];
  }

  indexKeys(person: PersonRecord) {
    return statusIndexKeys(person);
  }

  private changeItems(
    ctx: WriteContext,
    person: PersonRecord,
    status: PersonStatus,
    change: ColourChange,
    cause: StatusCause,
  ): Item[] {
    const at = ctx.now.toISOString();
    const historyId = newId('his');
    const reasonCodes = status.reasons.map((r) => r.code);
    const notifications = this.notifier.prepare(
      person.tenantId,
      notificationsFor(change, person, status.reasons),
      ctx.now,
    );
    return [
      {
        Put: {
          TableName: this.table,
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
        this.table,
        { subject: ctx.actor.subject, role: ctx.actor.role, tenantId: person.tenantId },
        {
          action: 'person.status.change',
          entityType: 'person',
          entityId: person.personId,
          details: { from: change.from, to: change.to, cause, reasons: reasonCodes },
        },
        ctx.requestId,
        ctx.now,
      ),
      ...notifications,
    ];
  }
}
