// The blacklist's use cases against in-memory fakes (test/support/fakes.ts): entering a
// person with cited evidence, one hold at a time, what the alliance is told, the appeal by
// the person or their subcontractor, and the group admin's decision that lifts the hold.
import { describe, expect, it } from 'vitest';
import {
  appealEntry,
  decideEntry,
  enterOnBlacklist,
  listEntries,
} from '../../functions/blacklist/blacklist.ts';
import { storeCurrentStatus } from '../../functions/domain/current-status.ts';
import { ALLIANCE } from '../../functions/domain/settings.ts';
import type { StatusCause } from '../../functions/domain/status-write.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Actor } from '../../functions/shared/auth/principal.ts';
import { addDays } from '../../functions/shared/calendar.ts';
import { callerIn, InMemoryBlacklist, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'acme';
const as = callerIn(TENANT);
const admin = as('group_admin');

async function world(options: { joined?: boolean } = {}) {
  const fakes = recordFakes('2026-06-01T02:00:00Z');
  const blacklist = new InMemoryBlacklist(fakes.records);
  const uploaded = new Set<string>();
  const propagated: string[] = [];
  const deps = {
    ...fakes,
    blacklist,
    evidence: { exists: async (k: string) => uploaded.has(k) },
    propagate: async (feed: { entryRef: string; action: string }) =>
      void propagated.push(`${feed.action}:${feed.entryRef}`),
    restatus: (actor: Actor, personId: string, requestId: string, cause: StatusCause) =>
      storeCurrentStatus({ ...fakes, now: fakes.clock.now }, actor, personId, cause, requestId),
  };
  if (options.joined) await fakes.settings.save(admin, ALLIANCE, { joined: true });
  const person = await registerPerson(
    fakes,
    as('hr'),
    {
      name: '赵铁柱',
      idNumber: newIdNumber(),
      employer: { type: 'subcontractor', subcontractorId: 'sub_a' },
    },
    'req',
  );
  const evidence = `documents/t/${TENANT}/p/${person.personId}/card.jpg`;
  uploaded.add(evidence);
  const enter = () =>
    enterOnBlacklist(
      deps,
      admin,
      { personId: person.personId, reasonCode: 'identity_fraud', evidence: [evidence] },
      'r',
    );
  return { ...deps, deps, person, evidence, uploaded, propagated, enter };
}

describe('entering a person on the blacklist (use case, fakes)', () => {
  it('puts the hold on the person and refuses a second entry while it is in force (409)', async () => {
    const w = await world();
    const entry = await w.enter();
    expect(entry).toMatchObject({ personId: w.person.personId, state: 'active', subcontractorId: 'sub_a' });
    expect((await w.people.get(TENANT, w.person.personId))?.blacklist).toMatchObject({
      entryId: entry.entryId,
    });
    await expect(w.enter()).rejects.toMatchObject({ status: 409, detailCode: 'already_blacklisted' });
    expect(await w.blacklist.list(TENANT)).toHaveLength(1);
  });

  it.each([
    [
      'evidence of another person',
      (w: Awaited<ReturnType<typeof world>>) => `documents/t/${TENANT}/p/per_other0000000/x.jpg`,
      'foreign_evidence',
    ],
    [
      'evidence never uploaded',
      (w: Awaited<ReturnType<typeof world>>) => `documents/t/${TENANT}/p/${w.person.personId}/none.jpg`,
      'evidence_not_found',
    ],
  ])('refuses %s, writing nothing', async (_, key, code) => {
    const w = await world();
    await expect(
      enterOnBlacklist(
        w.deps,
        admin,
        { personId: w.person.personId, reasonCode: 'identity_fraud', evidence: [key(w)] },
        'r',
      ),
    ).rejects.toMatchObject({ status: 400, fieldErrors: [{ code }] });
    expect(await w.blacklist.list(TENANT)).toEqual([]);
    expect((await w.people.get(TENANT, w.person.personId))?.blacklist).toBeUndefined();
  });

  it('tells the alliance only when the tenant joined, and then only the pseudonym and facts', async () => {
    const alone = await world();
    await alone.enter();
    expect(alone.blacklist.feed).toEqual([]);
    expect(alone.propagated).toEqual([]);
    const member = await world({ joined: true });
    const entry = await member.enter();
    expect(member.blacklist.feed).toEqual([
      expect.objectContaining({ entryRef: entry.entryId, action: 'add', pseudonym: member.person.pseudonym }),
    ]);
    expect(JSON.stringify(member.blacklist.feed)).not.toMatch(/赵|documents/);
    expect(member.propagated).toEqual([`add:${entry.entryId}`]);
  });

  it.each([['hr'], ['auditor'], ['site_manager']] as const)('refuses %s (403)', async (role) => {
    const w = await world();
    await expect(
      enterOnBlacklist(
        w.deps,
        as(role),
        { personId: w.person.personId, reasonCode: 'identity_fraud', evidence: [w.evidence] },
        'r',
      ),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('appeal and decision (use cases, fakes)', () => {
  it('lets the person’s subcontractor appeal, and a removal lifts the hold and tells the alliance', async () => {
    const w = await world({ joined: true });
    const entry = await w.enter();
    const theirs = as('subcontractor', { subcontractorId: 'sub_a' });
    await expect(
      appealEntry(
        w.deps,
        as('subcontractor', { subcontractorId: 'sub_b' }),
        entry.entryId,
        { statement: '证件系本人所有，请复核。' },
        'r',
      ),
    ).rejects.toMatchObject({ status: 404 });
    const appealed = await appealEntry(
      w.deps,
      theirs,
      entry.entryId,
      { statement: '证件系本人所有，请复核。' },
      'r',
    );
    expect(appealed).toMatchObject({ state: 'appealed', appeals: [{ by: { role: 'subcontractor' } }] });
    const removed = await decideEntry(
      w.deps,
      admin,
      entry.entryId,
      { decision: 'remove', note: '复核成立' },
      'r2',
    );
    expect(removed.state).toBe('removed');
    expect((await w.people.get(TENANT, w.person.personId))?.blacklist).toBeUndefined();
    expect(w.propagated).toEqual([`add:${entry.entryId}`, `remove:${entry.entryId}`]);
    await expect(
      decideEntry(w.deps, admin, entry.entryId, { decision: 'uphold', note: 'x' }, 'r3'),
    ).rejects.toMatchObject({
      status: 400,
      detailCode: 'not_in_force',
    });
  });

  it('keeps the hold when the entry is upheld, and closes the appeal window after its days', async () => {
    const w = await world();
    const entry = await w.enter();
    const upheld = await decideEntry(
      w.deps,
      admin,
      entry.entryId,
      { decision: 'uphold', note: '证据确凿' },
      'r',
    );
    expect(upheld.state).toBe('active');
    expect((await w.people.get(TENANT, w.person.personId))?.blacklist).toMatchObject({
      entryId: entry.entryId,
    });
    w.clock.set(`${addDays(entry.appealBy, 1)}T02:00:00Z`);
    await expect(
      appealEntry(
        w.deps,
        as('subcontractor', { subcontractorId: 'sub_a' }),
        entry.entryId,
        { statement: '迟到的申诉，请复核。' },
        'r2',
      ),
    ).rejects.toMatchObject({ status: 400, detailCode: 'appeal_window_closed' });
    expect((await listEntries(w.deps, as('auditor'), true)).map((e) => e.entryId)).toEqual([entry.entryId]);
  });
});

describe('the person’s stored status follows the hold (use cases, fakes)', () => {
  const stored = async (w: Awaited<ReturnType<typeof world>>) =>
    (await w.people.get(TENANT, w.person.personId))?.status;

  it('is red with `blacklisted` first from the entry, until the day it ends, and loses it on removal', async () => {
    const w = await world();
    const before = await stored(w);
    const entry = await w.enter();
    // Lists, the heat map and managers' notices read the stored status, not only the gate.
    expect(await stored(w)).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      dispatch: 'frozen',
      nextChangeOn: entry.expiresOn,
      reasons: [{ code: 'blacklisted', date: entry.expiresOn }, ...(before?.reasons ?? [])],
    });
    await decideEntry(w.deps, admin, entry.entryId, { decision: 'remove', note: '复核成立' }, 'r2');
    expect(await stored(w)).toEqual(before);
  });

  it('keeps the entry when the status cannot be stored (the next status read stores it)', async () => {
    const w = await world();
    const before = await stored(w);
    const failing = {
      ...w.deps,
      restatus: async () => {
        throw new Error('table stalled');
      },
    };
    const entry = await enterOnBlacklist(
      failing,
      admin,
      { personId: w.person.personId, reasonCode: 'identity_fraud', evidence: [w.evidence] },
      'r',
    );
    expect(await w.blacklist.list(TENANT)).toHaveLength(1);
    expect((await w.people.get(TENANT, w.person.personId))?.blacklist).toMatchObject({
      entryId: entry.entryId,
    });
    expect(await stored(w)).toEqual(before);
  });
});
