// Ending a subcontractor's contract (issue 28) against in-memory fakes: the termination's
// rules (who, which day, the version), and the pass that carries it onto the workers —
// convergent, so a redelivered or overtaken pass leaves each worker as the subcontractor
// is now, and a departure is never lifted by a reinstatement.
import { describe, expect, it } from 'vitest';
import { storeCurrentStatus } from '../../functions/domain/current-status.ts';
import type { PersonRecord } from '../../functions/domain/person.ts';
import { type PersonStatus, withEngagementEnd } from '../../functions/domain/status-rules.ts';
import type { SubcontractorRecord, SubcontractorRepository } from '../../functions/domain/subcontractors.ts';
import { registerPerson } from '../../functions/people/people.ts';
import { systemActor } from '../../functions/shared/audit.ts';
import { PreconditionFailed } from '../../functions/shared/errors.ts';
import {
  type ContractDeps,
  engagementEndFor,
  followPage,
  reinstateSubcontractor,
  terminateSubcontractor,
} from '../../functions/subcontractors/contract-changes.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'acme';
const as = callerIn(TENANT);
const admin = as('group_admin');

class InMemorySubcontractors implements SubcontractorRepository {
  readonly records = new Map<string, SubcontractorRecord>();
  readonly actions: string[] = [];
  async create(p: { tenantId: string }, record: SubcontractorRecord) {
    this.records.set(`${p.tenantId}#${record.subcontractorId}`, structuredClone(record));
  }
  async get(tenantId: string, id: string) {
    const r = this.records.get(`${tenantId}#${id}`);
    return r && structuredClone(r);
  }
  async list(tenantId: string) {
    return [...this.records.entries()].filter(([k]) => k.startsWith(`${tenantId}#`)).map(([, r]) => r);
  }
  async update(
    p: { tenantId: string },
    before: SubcontractorRecord,
    after: SubcontractorRecord,
    action: string,
  ) {
    const k = `${p.tenantId}#${before.subcontractorId}`;
    if ((this.records.get(k)?.version ?? 1) !== (before.version ?? 1))
      throw new PreconditionFailed('stale_version');
    this.records.set(k, structuredClone(after));
    this.actions.push(action);
  }
}

async function world() {
  const fakes = recordFakes('2026-06-01T02:00:00Z');
  const subcontractors = new InMemorySubcontractors();
  await subcontractors.create(admin, {
    subcontractorId: 'sub_a',
    name: '甲劳务',
    unifiedSocialCreditCode: 'X',
    contacts: [],
    createdAt: '2026-01-01T00:00:00Z',
  });
  const followed: string[] = [];
  const deps: ContractDeps = {
    subcontractors,
    clock: fakes.clock,
    workersToFollow: async (_t, id) => void followed.push(id),
  };
  const worker = async () =>
    registerPerson(
      fakes,
      as('hr'),
      {
        name: '工人',
        idNumber: newIdNumber(),
        employer: { type: 'subcontractor', subcontractorId: 'sub_a' },
      },
      'req',
    );
  const follow = async () => {
    let cursor: string | undefined;
    do {
      cursor = await followPage(
        {
          subcontractors,
          people: fakes.people,
          restatus: (actor, personId, requestId) =>
            storeCurrentStatus(
              { ...fakes, now: fakes.clock.now },
              actor,
              personId,
              'person.engagement',
              requestId,
            ),
          clock: fakes.clock,
        },
        systemActor(TENANT, 'test'),
        'sub_a',
        cursor,
        'req-follow',
      );
    } while (cursor);
  };
  const stored = (p: PersonRecord) => fakes.records.people.get(`${TENANT}#${p.personId}`) as PersonRecord;
  return { ...fakes, subcontractors, deps, followed, worker, follow, stored, today: fakes.clock.today() };
}

describe('ending a subcontractor’s contract (use case, fakes)', () => {
  it('records the termination, has its workers follow, and undoes it', async () => {
    const w = await world();
    const a = await w.worker();
    const b = await w.worker();
    const ended = await terminateSubcontractor(
      w.deps,
      admin,
      'sub_a',
      { effectiveOn: w.today, reason: '合同到期' },
      1,
      'r',
    );
    expect(ended).toMatchObject({
      version: 2,
      termination: { effectiveOn: w.today, reason: '合同到期', recordedBy: 'group_admin-1' },
    });
    expect(w.followed).toEqual(['sub_a']);
    await w.follow();
    for (const p of [a, b])
      expect(w.stored(p).engagementEnd).toEqual({
        on: w.today,
        reason: 'subcontractor_terminated',
        subcontractorId: 'sub_a',
      });
    // A second pass (a redelivery) changes nothing.
    const versions = [w.stored(a).version, w.stored(b).version];
    await w.follow();
    expect([w.stored(a).version, w.stored(b).version]).toEqual(versions);
    await reinstateSubcontractor(w.deps, admin, 'sub_a', 2, 'r');
    await w.follow();
    expect(w.stored(a).engagementEnd).toBeUndefined();
    expect(w.subcontractors.actions).toEqual(['subcontractor.terminate', 'subcontractor.reinstate']);
  });

  it.each([
    ['hr', as('hr'), 1, 0, 403],
    ['a subcontractor admin', as('subcontractor', { subcontractorId: 'sub_a' }), 1, 0, 403],
    ['a day already past', admin, 1, -1, 400],
    ['an older version', admin, 7, 0, 412],
    ['another tenant', callerIn('other')('group_admin'), 1, 0, 404],
  ])('refuses %s', async (_, principal, version, days, status) => {
    const w = await world();
    const effectiveOn = days ? '2026-05-31' : w.today;
    await expect(
      terminateSubcontractor(w.deps, principal, 'sub_a', { effectiveOn, reason: '合同到期' }, version, 'r'),
    ).rejects.toMatchObject({ status });
    expect(w.followed).toEqual([]);
  });

  it('never lifts a departure, and lifts an end from a subcontractor the person has left', () => {
    const base = { employer: { type: 'subcontractor', subcontractorId: 'sub_a' } } as PersonRecord;
    const sub = {
      subcontractorId: 'sub_a',
      name: '',
      unifiedSocialCreditCode: '',
      contacts: [],
      createdAt: '',
    };
    const departed = { on: '2026-05-01', reason: 'departed' as const };
    expect(engagementEndFor({ ...base, engagementEnd: departed }, sub)).toEqual(departed);
    const terminated = {
      ...sub,
      termination: { effectiveOn: '2026-06-01', reason: 'x', recordedAt: '', recordedBy: '' },
    };
    expect(engagementEndFor(base, terminated)).toEqual({
      on: '2026-06-01',
      reason: 'subcontractor_terminated',
      subcontractorId: 'sub_a',
    });
    expect(engagementEndFor({ ...base, engagementEnd: departed }, terminated)).toEqual(departed);
    expect(engagementEndFor({ ...base, employer: { type: 'own' } }, terminated)).toBeUndefined();
  });
});

describe('the status of a person whose engagement ended', () => {
  const green: PersonStatus = {
    color: 'green',
    reasons: [],
    gateAccess: 'allowed',
    dispatch: 'allowed',
    certificates: [],
    computedOn: '2026-06-01',
    categories: [],
    nextChangeOn: null,
  };
  it.each<[string, string, PersonStatus, PersonStatus?]>([
    // Before the day: as it was, but the status changes on that day by date alone.
    ['before the day', '2026-06-02', { ...green, nextChangeOn: '2026-06-02' }],
    [
      'before the day, with a later change by date',
      '2026-06-09',
      { ...green, nextChangeOn: '2026-06-09' },
      { ...green, nextChangeOn: '2026-06-20' },
    ],
    [
      'before the day, with an earlier change by date',
      '2026-06-09',
      { ...green, nextChangeOn: '2026-06-05' },
      { ...green, nextChangeOn: '2026-06-05' },
    ],
    [
      'on the day',
      '2026-06-01',
      {
        ...green,
        color: 'red',
        gateAccess: 'frozen',
        dispatch: 'frozen',
        reasons: [{ code: 'departed', date: '2026-06-01' }],
      },
    ],
  ])('%s', (_, on, expected, status = green) => {
    expect(withEngagementEnd(status, { on, reason: 'departed' }, '2026-06-01')).toEqual(expected);
  });
});
