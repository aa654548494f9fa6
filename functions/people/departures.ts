// A leaver (issue 28): from the day they leave, the person is refused at every gate
// (`departed`, the offline lists too), put on no ticket and reads red — the engagement end
// on the person and their gate view, dated, so a departure recorded ahead takes effect on
// its day. Badges are given back when the day has come. Re-hiring lifts the end and keeps
// the same record (its certificates and history). Optimistic, like a correction.
import type { EngagementEnd } from '../domain/engagement.ts';
import { findPerson, type PersonRecord, type PersonRepository } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { addDays, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidRequest, PreconditionFailed } from '../shared/errors.ts';

export interface DepartureDeps {
  people: PersonRepository;
  /** The person's badges (gates): those bound now, and giving one back. */
  badges: {
    activeOf(tenantId: string, personId: string): Promise<string[]>;
    revoke(principal: Principal, personId: string, badgeUid: string, requestId: string): Promise<void>;
  };
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
  // Gone already: the badges go back now (the gate refuses them by date either way).
  if (body.leftOn <= today)
    for (const badgeUid of await deps.badges.activeOf(principal.tenantId, personId))
      await deps.badges.revoke(principal, personId, badgeUid, requestId);
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
