// The status write as a port. Storing a person's new status is one transaction, whoever
// makes it (a certificate write, a registration, the sweep, a registry answer): the person,
// the gate view, the heat counters, the history, the notifications, the suspension of open
// tickets. Other capabilities take part through participants the composition root hands
// the status writer, so none of them imports another (docs/architecture.md, "Layers").
// `Item` is the store's transaction item: the port names no database.

import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../shared/auth/principal.ts';
import type { Presence } from './gate-view.ts';
import type { PersonRecord } from './person.ts';
import type { Color, PersonStatus } from './status.ts';

/** What caused a status write: the history entry and the audit record name it. */
export type StatusCause =
  | 'person.create'
  | 'certificate.create'
  | 'certificate.renew'
  | 'certificate.stamp'
  | 'certificate.verify'
  | 'certificate.forgery_analysis'
  | 'certificate.forgery_review'
  | 'certificate.correct'
  | 'certificate.void'
  | 'person.engagement'
  | 'person.blacklist'
  | 'status.read'
  | 'expiry-sweep';

export interface ColourChange {
  from: Color | null;
  to: Color;
}

/** Who writes, under which request, when. */
export interface WriteContext {
  actor: { subject: string; role: string };
  requestId: string;
  now: Date;
}

/** The facts a participant sees: the person as read, the status to store, what changed. */
export interface StatusWriteFacts {
  person: PersonRecord;
  status: PersonStatus;
  /** The colour change, if the colour changed (a first write: from null). */
  change: ColourChange | undefined;
  /** A person's first status, written with the person themself. */
  first: boolean;
  /** Where the person stood when read (absent on a first write). */
  seen: Presence | undefined;
  now: Date;
}

/** Another capability's part of a status write: items for the same transaction. */
export interface StatusWriteParticipant<Item> {
  items(facts: StatusWriteFacts): Item[];
}

/** Reads where a person stands before their status is written (one read). */
export interface PresenceReader {
  presence(tenantId: string, personId: string): Promise<Presence>;
}

/** The status writer: the items of one status write, for the caller's own transaction. */
export interface StatusWrites<Item> extends PresenceReader {
  /** A recomputed status on an existing person (version-guarded: StaleRecord → re-read). */
  updateItems(
    ctx: WriteContext,
    person: PersonRecord,
    status: PersonStatus,
    cause: StatusCause,
    seen: Presence,
  ): Item[];
  /** The first status, written with the person: gate view and first history entry. */
  initialItems(ctx: WriteContext, person: PersonRecord): Item[];
  /** Index keys a person item carries for its status (lists by colour, sweep day). */
  indexKeys(person: PersonRecord): Record<string, unknown>;
}

/** Whether a colour change moves gate access (into or out of red): offline lists follow. */
export const accessMoved = (change: ColourChange | undefined) =>
  !!change && (change.from === 'red' || change.to === 'red');

export function colourChange(
  before: PersonStatus | undefined,
  after: PersonStatus,
): ColourChange | undefined {
  const from = before?.color ?? null;
  return from === after.color ? undefined : { from, to: after.color };
}

/** Stores a recomputed status on its own (a status read, the sweep). */
export interface StatusStore {
  /** False when the person changed since it was read (the caller may re-read and retry). */
  save(
    actor: Actor,
    person: PersonRecord,
    status: PersonStatus,
    cause: StatusCause,
    requestId: string,
    now?: Date,
  ): Promise<boolean>;
}

/** Whether storing `next` over what the person carries would change anything. */
/**
 * Whether the stored status differs from a fresh computation, by value: DynamoDB keeps no
 * map key order, so comparing serialised text would see a change on every read in AWS
 * (and write on every status read and sweep). Undefined members count as absent, as they
 * are when stored.
 */
export function statusDiffers(person: PersonRecord, next: PersonStatus): boolean {
  const asStored = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  return !isDeepStrictEqual(asStored(person.status), asStored(next));
}
