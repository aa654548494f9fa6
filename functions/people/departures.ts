// A leaver (issue 28): from the day they leave, the person is refused at every gate
// (`departed`, the offline lists too), put on no ticket and reads red — the engagement end
// on the person and their gate view, dated, so a departure recorded ahead takes effect on
// its day. Badges are given back when the day has come. Re-hiring lifts the end and keeps
// the same record (its certificates and history). Optimistic, like a correction.
import type { EngagementEnd } from '../domain/engagement.ts';
import { findPerson, type PersonRecord, type PersonRepository } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { addDays, type CalendarDate, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidRequest, PreconditionFailed } from '../shared/errors.ts';

export interface LeaverAccess {
  /** Disables the user accounts bound to the person; the ids disabled, and those kept (the last admin). */
  disableAccounts(
    actor: Actor,
    personId: string,
    requestId: string,
  ): Promise<{ disabled: string[]; kept: string[] }>;
  /** Drops the person's channel bindings; the channels dropped. */
  dropChannels(actor: Actor, personId: string, requestId: string): Promise<string[]>;
}

export interface DepartureDeps {
  people: PersonRepository;
  /** The person's badges (gates): those bound now, and giving one back. */
  badges: {
    activeOf(tenantId: string, personId: string): Promise<string[]>;
    revoke(actor: Actor, personId: string, badgeUid: string, requestId: string): Promise<void>;
  };
  /**
   * What a leaver loses on their day beyond the gate (other capabilities, wired in the
   * composition root): their own user accounts, their notification channels.
   */
  leaver: LeaverAccess;
  /** Stores the person's status as of today (the end counts in it: red from its day). */
  restatus: (actor: Principal, personId: string, requestId: string) => Promise<void>;
  clock: Clock;
}

/** How far back a departure may be dated (a leaver recorded late). */
export const MAX_DAYS_BACK = 90;

async function at(deps: DepartureDeps, principal: Principal, personId: string, version: number) {
  const person = await findPerson(deps.people, principal, personId);
  if (person.version !== version) throw new PreconditionFailed('stale_version');
  return person;
}

const moved = (deps: DepartureDeps, person: PersonRecord, end: EngagementEnd | undefined): PersonRecord => {
  const { engagementEnd: _, ...rest } = person;
  return {
    ...rest,
    ...(end ? { engagementEnd: end } : {}),
    version: person.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
};

export async function recordDeparture(
  deps: DepartureDeps,
  principal: Principal,
  personId: string,
  body: { leftOn: string; reason: string },
  version: number,
  requestId: string,
): Promise<PersonRecord> {
  authorize(principal, 'person:depart');
  const today = todayInShanghai(deps.clock.now());
  if (body.leftOn < addDays(today, -MAX_DAYS_BACK))
    throw new InvalidRequest('validation_failed', [
      {
        field: 'leftOn',
        code: 'left_on_too_early',
        message: 'left_on_too_early',
        params: { days: MAX_DAYS_BACK },
      },
    ]);
  const before = await at(deps, principal, personId, version);
  if (before.engagementEnd?.reason === 'departed') throw new Conflict('already_departed');
  const after = moved(deps, before, { on: body.leftOn, reason: 'departed' });
  await deps.people.correct(
    principal,
    { before, after, reason: body.reason, action: 'person.departure' },
    requestId,
  );
  // Red from the day: lists, the heat map and their open tickets follow (a later day: the sweep).
  await deps.restatus(principal, personId, requestId);
  // Gone already: what they held goes now (a later day: the sweep does it on the day).
  if (body.leftOn <= today) await completeDeparture(deps, principal, personId, requestId);
  return (await deps.people.get(principal.tenantId, personId)) ?? after;
}

export async function rehire(
  deps: DepartureDeps,
  principal: Principal,
  personId: string,
  version: number,
  requestId: string,
): Promise<PersonRecord> {
  authorize(principal, 'person:depart');
  const before = await at(deps, principal, personId, version);
  if (before.engagementEnd?.reason !== 'departed') throw new Conflict('not_departed');
  const after = moved(deps, before, undefined);
  await deps.people.correct(principal, { before, after, action: 'person.rehire' }, requestId);
  await deps.restatus(principal, personId, requestId);
  return (await deps.people.get(principal.tenantId, personId)) ?? after;
}

export interface DepartureCompleted {
  badgesRevoked: string[];
  accountsDisabled: string[];
  /** Accounts left enabled: the tenant's last active group admin (someone must hand over). */
  accountsKept: string[];
  channelsDropped: string[];
}

/**
 * What a leaver holds, given back on their day: the badges (the gates' lists change at the
 * next publish; the gate refuses them by date already), their user accounts, their channel
 * bindings. Convergent, so the departure and the sweep may both run it: what is already
 * gone is left alone. Nothing happens while the person has not left (a re-hire came first).
 */
export async function completeDeparture(
  deps: Pick<DepartureDeps, 'people' | 'badges' | 'leaver' | 'clock'>,
  actor: Actor,
  personId: string,
  requestId: string,
  /** The day it is done for (the sweep's day); today by default. */
  today: CalendarDate = todayInShanghai(deps.clock.now()),
): Promise<DepartureCompleted | undefined> {
  const person = await deps.people.get(actor.tenantId, personId);
  const end = person?.engagementEnd;
  if (end?.reason !== 'departed' || end.on > today) return undefined;
  const badgesRevoked = await deps.badges.activeOf(actor.tenantId, personId);
  for (const badgeUid of badgesRevoked) await deps.badges.revoke(actor, personId, badgeUid, requestId);
  const accounts = await deps.leaver.disableAccounts(actor, personId, requestId);
  const channelsDropped = await deps.leaver.dropChannels(actor, personId, requestId);
  return { badgesRevoked, accountsDisabled: accounts.disabled, accountsKept: accounts.kept, channelsDropped };
}
