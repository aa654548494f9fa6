// Leavers (issue 28) against in-memory fakes: the engagement end dated on the person, badges
// given back only once the day has come, one departure at a time, re-hiring the same
// record, and who may do it.
import { describe, expect, it } from 'vitest';
import { storeCurrentStatus } from '../../functions/domain/current-status.ts';
import { completeDeparture, recordDeparture, rehire } from '../../functions/people/departures.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Principal } from '../../functions/shared/auth/principal.ts';
import { addDays } from '../../functions/shared/calendar.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const as = callerIn('acme');
const hr = as('hr');

async function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const bound = new Set(['0A01', '0A02']);
  const revoked: string[] = [];
  const accounts = new Set(['usr_worker']);
  const channels = new Set(['wecomUserId', 'phone']);
  const leaver = {
    disableAccounts: async () => {
      const disabled = [...accounts];
      accounts.clear();
      return { disabled, kept: [] };
    },
    dropChannels: async () => {
      const dropped = [...channels];
      channels.clear();
      return dropped;
    },
  };
  const deps = {
    leaver,
    people: f.people,
    badges: {
      activeOf: async () => [...bound],
      revoke: async (_p: Principal, _id: string, uid: string) => {
        bound.delete(uid);
        revoked.push(uid);
      },
    },
    restatus: (actor: Principal, personId: string, requestId: string) =>
      storeCurrentStatus({ ...f, now: f.clock.now }, actor, personId, 'person.engagement', requestId),
    clock: f.clock,
  };
  const person = await registerPerson(f, hr, { name: '周杰', idNumber: newIdNumber() }, 'r');
  return { f, deps, person, revoked, accounts, channels, today: f.clock.today() };
}

describe('a leaver (use case, fakes)', () => {
  it('ends the engagement from the day, gives the badges back, and is re-hired as the same record', async () => {
    const w = await world();
    const left = await recordDeparture(
      w.deps,
      hr,
      w.person.personId,
      { leftOn: w.today, reason: '离职' },
      1,
      'r',
    );
    expect(left).toMatchObject({ engagementEnd: { on: w.today, reason: 'departed' } });
    // Stored with the end in it: lists, the heat map and open tickets follow the status.
    expect(left.status.reasons[0]).toEqual({ code: 'departed', date: w.today });
    expect(w.revoked.sort()).toEqual(['0A01', '0A02']);
    // Their own accounts and channels go with them.
    expect(w.accounts.size).toBe(0);
    expect(w.channels.size).toBe(0);
    // Out of the colour lists, found among the leavers.
    expect((await w.f.people.list('acme', { limit: 50 })).items).toEqual([]);
    expect(
      (await w.f.people.list('acme', { limit: 50, departed: true })).items.map((p) => p.personId),
    ).toEqual([w.person.personId]);
    expect(w.f.records.audit.at(-1)).toMatchObject({ action: 'person.departure', reason: '离职' });
    await expect(
      recordDeparture(w.deps, hr, w.person.personId, { leftOn: w.today, reason: '再次' }, left.version, 'r'),
    ).rejects.toMatchObject({ status: 409, detailCode: 'already_departed' });
    const back = await rehire(w.deps, hr, w.person.personId, left.version, 'r');
    expect(back.engagementEnd).toBeUndefined();
    expect(back.status.reasons.map((r) => r.code)).toEqual(['no_certificate']);
    expect(back.personId).toBe(w.person.personId);
    await expect(rehire(w.deps, hr, w.person.personId, back.version, 'r')).rejects.toMatchObject({
      detailCode: 'not_departed',
    });
  });

  it('keeps the badges of a departure recorded ahead, and brings the sweep back on its day', async () => {
    const w = await world();
    const left = await recordDeparture(
      w.deps,
      hr,
      w.person.personId,
      { leftOn: addDays(w.today, 10), reason: '提前' },
      1,
      'r',
    );
    expect(w.revoked).toEqual([]);
    expect(w.accounts.size).toBe(1);
    expect(left.status.nextChangeOn).toBe(addDays(w.today, 10));
    // Before the day: nothing to give back yet; still in the colour lists.
    expect(await completeDeparture(w.deps, hr, w.person.personId, 'r')).toBeUndefined();
    expect((await w.f.people.list('acme', { limit: 50 })).items).toHaveLength(1);
    // On the day (the sweep runs it): everything goes, and a second run finds nothing more.
    w.f.clock.advanceDays(10);
    expect(await completeDeparture(w.deps, hr, w.person.personId, 'r')).toEqual({
      badgesRevoked: ['0A01', '0A02'],
      accountsDisabled: ['usr_worker'],
      accountsKept: [],
      channelsDropped: ['wecomUserId', 'phone'],
    });
    expect(await completeDeparture(w.deps, hr, w.person.personId, 'r')).toEqual({
      badgesRevoked: [],
      accountsDisabled: [],
      accountsKept: [],
      channelsDropped: [],
    });
  });

  it('gives nothing back for a person re-hired before the day', async () => {
    const w = await world();
    const left = await recordDeparture(
      w.deps,
      hr,
      w.person.personId,
      { leftOn: addDays(w.today, 3), reason: '提前' },
      1,
      'r',
    );
    await rehire(w.deps, hr, w.person.personId, left.version, 'r');
    w.f.clock.advanceDays(5);
    expect(await completeDeparture(w.deps, hr, w.person.personId, 'r')).toBeUndefined();
    expect(w.accounts.size + w.channels.size).toBe(3);
  });

  it.each<[string, Principal, string, number, number]>([
    ['a date more than 90 days back', hr, '-91', 1, 400],
    ['an older version', hr, '0', 7, 412],
    ['a site manager', as('site_manager', { siteIds: ['s'] }), '0', 1, 403],
    ['a subcontractor admin', as('subcontractor', { subcontractorId: 'sub_a' }), '0', 1, 403],
    ['another tenant', callerIn('other')('hr'), '0', 1, 404],
  ])('refuses %s', async (_, principal, days, version, status) => {
    const w = await world();
    await expect(
      recordDeparture(
        w.deps,
        principal,
        w.person.personId,
        { leftOn: addDays(w.today, Number(days)), reason: 'x' },
        version,
        'r',
      ),
    ).rejects.toMatchObject({ status });
    expect(w.revoked).toEqual([]);
  });
});
