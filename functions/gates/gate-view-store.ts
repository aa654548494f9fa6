// The gate view's part of every status write (functions/domain/status-write.ts): the one
// small item a gate reads is updated in the same transaction as the status, together with
// the heat counters of the site the person stands on. An update, not a put: the item also
// carries the person's quiz state per site, which a status write must not erase.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Presence } from '../domain/gate-view.ts';
import { heatDeltas } from '../domain/heat-counts.ts';
import type { PersonCorrection, PersonCorrectionParticipant, PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status.ts';
import type { PresenceReader, StatusWriteFacts, StatusWriteParticipant } from '../domain/status-write.ts';
import { accessMoved } from '../domain/status-write.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { type Guarded, guard, StaleRecord, type TransactItem } from '../shared/dynamo/transactions.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { countingUpdate, heatCounterItems, readCounting, recounted } from './heat-store.ts';

/** The gate view's update for a status, moving the person's counting along when `seen` is given. */
export function gateViewWrite(
  table: string,
  person: PersonRecord,
  status: PersonStatus,
  now: Date,
  accessChanged = false,
  /** How the person was counted when read: the counting follows the status, version-guarded. */
  seen?: Presence,
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

/** Gates' participant in status writes: the gate view, and the heat counters it moves. */
export class GateViewStatusParticipant
  implements StatusWriteParticipant<TransactItem | Guarded>, PresenceReader
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  presence(tenantId: string, personId: string): Promise<Presence> {
    return readCounting(this.db, this.table, tenantId, personId);
  }

  items({ person, status, change, first, seen, now }: StatusWriteFacts): (TransactItem | Guarded)[] {
    // A first write creates the gate view; a newcomer is counted nowhere yet.
    if (first || !seen)
      return [gateViewWrite(this.table, person, status, now, !first && accessMoved(change))];
    return [
      // Version-guarded: a check-in that counted the old colour meanwhile makes this
      // StaleRecord, and the caller re-reads (retryOnStale).
      guard(
        gateViewWrite(this.table, person, status, now, accessMoved(change), seen),
        () => new StaleRecord(),
      ),
      ...heatCounterItems(this.table, person.tenantId, heatDeltas(seen.counted, recounted(seen, status))),
    ];
  }
}

/**
 * Gates' part of a person's correction: the masked name a gate shows follows a new name, and
 * the end of an engagement (termination, departure) reaches the gate view and the offline lists.
 */
export class GateViewCorrectionParticipant implements PersonCorrectionParticipant<TransactItem> {
  constructor(private readonly table: string) {}

  items({ before, after }: PersonCorrection): TransactItem[] {
    const renamed = maskName(before.name) !== maskName(after.name);
    const ended = JSON.stringify(before.engagementEnd) !== JSON.stringify(after.engagementEnd);
    if (!renamed && !ended) return [];
    const set: Record<string, unknown> = {
      ...(renamed ? { nameMasked: maskName(after.name) } : {}),
      ...(ended && after.engagementEnd ? { engagementEnd: after.engagementEnd } : {}),
      // Who may enter changed: the offline allowlists follow within a minute (allowlists job).
      ...(ended
        ? keys.allowlistDirty(
            after.tenantId,
            `PERSON#${after.personId}`,
            after.updatedAt ?? new Date().toISOString(),
          )
        : {}),
    };
    const names = Object.keys(set);
    return [
      {
        Update: {
          TableName: this.table,
          Key: keys.gateView(after.tenantId, after.personId),
          UpdateExpression:
            `SET ${names.map((_, i) => `#s${i} = :s${i}`).join(', ')}` +
            (ended && !after.engagementEnd ? ' REMOVE engagementEnd' : ''),
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#s${i}`, n])),
          ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:s${i}`, set[n]])),
        },
      },
    ];
  }
}
