// Correcting a person (issue 28) against in-memory fakes of the ports: what each field does,
// former names, the version rule, who may correct what, the ID-number correction (hash and
// pseudonym moved, partners' entries landed, the registry asked again) and that a refused
// correction changes nothing.
import { describe, expect, it } from 'vitest';
import type { PersonRecord } from '../../functions/domain/person.ts';
import { correctPerson, MAX_FORMER_NAMES, type PersonChanges } from '../../functions/people/corrections.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Principal } from '../../functions/shared/auth/principal.ts';
import { hashIdNumber } from '../../functions/shared/identity-numbers.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'acme';
const as = callerIn(TENANT);
const hr = as('hr');
const admin = as('group_admin');

async function world() {
  const fakes = recordFakes('2026-06-01T02:00:00Z');
  const landed: string[] = [];
  const rechecked: string[] = [];
  const deps = {
    ...fakes,
    onRegistered: async (p: PersonRecord) => landed.push(p.pseudonym ?? '') > 0,
    recheckRegistry: async (p: PersonRecord) => void rechecked.push(p.personId),
  };
  fakes.records.sites.add(`${TENANT}#site_a`);
  fakes.records.sites.add(`${TENANT}#site_b`);
  fakes.records.subcontractors.add(`${TENANT}#sub_a`);
  fakes.records.subcontractors.add(`${TENANT}#sub_b`);
  const register = async (body: Record<string, unknown> = {}, principal: Principal = hr) => {
    const idNumber = newIdNumber();
    const person = await registerPerson(fakes, principal, { name: '张伟', idNumber, ...body }, 'req-p');
    return { person, idNumber };
  };
  const correct = (
    principal: Principal,
    person: PersonRecord,
    changes: PersonChanges,
    version = person.version,
  ) => correctPerson(deps, principal, person.personId, changes, version, 'req-c');
  const stored = (person: PersonRecord) => fakes.records.people.get(`${TENANT}#${person.personId}`);
  return { ...fakes, landed, rechecked, register, correct, stored };
}

/** The person as a termination of their subcontractor's contract leaves them. */
const endedBy = (person: PersonRecord, subcontractorId: string): PersonRecord => ({
  ...person,
  engagementEnd: { on: '2026-07-01', reason: 'subcontractor_terminated', subcontractorId },
});

describe('correcting a person (use case, fakes)', () => {
  it.each<[string, PersonChanges, Partial<PersonRecord>, (keyof PersonRecord)[]]>([
    ['a phone', { phone: '13800001111' }, { phone: '13800001111' }, []],
    ['a staff number', { employeeId: 'E-1024' }, { employeeId: 'E-1024' }, []],
    ['a home site', { homeSiteId: 'site_b' }, { homeSiteId: 'site_b' }, []],
    ['no home site', { homeSiteId: null }, {}, ['homeSiteId']],
    ['no phone', { phone: null }, {}, ['phone']],
    ['no staff number', { employeeId: null }, {}, ['employeeId']],
    [
      'the employer',
      { employer: { type: 'subcontractor', subcontractorId: 'sub_b' } },
      { employer: { type: 'subcontractor', subcontractorId: 'sub_b' } },
      [],
    ],
  ])('corrects %s, moving the version on and auditing it', async (_, changes, expected, absent) => {
    const w = await world();
    const { person } = await w.register({ phone: '13900002222', homeSiteId: 'site_a', employeeId: 'E-1' });
    const after = await w.correct(hr, person, changes);
    expect(after).toMatchObject({
      ...expected,
      version: person.version + 1,
      updatedAt: w.clock.now().toISOString(),
    });
    for (const f of absent) expect(f in after).toBe(false);
    // What the correction did not name stays as it was.
    const untouched = { name: '张伟', phone: '13900002222', homeSiteId: 'site_a', employeeId: 'E-1' };
    for (const [field, value] of Object.entries(untouched))
      if (!(field in changes)) expect(after[field as keyof PersonRecord]).toBe(value);
    expect(w.stored(person)).toEqual(after);
    expect(w.records.audit.at(-1)).toMatchObject({
      action: 'person.update',
      entityId: person.personId,
      actor: 'hr-1',
    });
    expect(w.rechecked).toEqual([]);
  });

  it('keeps the old name as a former name (no repeats, the newest last, at most ten)', async () => {
    const w = await world();
    let { person } = await w.register();
    person = await w.correct(hr, person, { name: '张玮' });
    expect(person).toMatchObject({ name: '张玮', formerNames: ['张伟'] });
    person = await w.correct(hr, person, { name: '张伟' });
    expect(person.formerNames).toEqual(['张玮']);
    for (let i = 0; i < MAX_FORMER_NAMES + 3; i++) person = await w.correct(hr, person, { name: `张${i}` });
    expect(person.formerNames).toHaveLength(MAX_FORMER_NAMES);
    expect(person.formerNames?.at(-1)).toBe(`张${MAX_FORMER_NAMES + 1}`);
  });

  it('keeps a former name once, even when the stored list already holds the current name', async () => {
    const w = await world();
    const { person } = await w.register();
    const k = `${TENANT}#${person.personId}`;
    w.records.people.set(k, { ...person, formerNames: ['张伟', '张卫'] });
    const after = await w.correct(hr, { ...person, formerNames: ['张伟', '张卫'] }, { name: '张玮' });
    expect(after.formerNames).toEqual(['张卫', '张伟']);
  });

  it('moves a worker to the own staff as own staff only, and drops a terminated subcontractor’s end when they leave it', async () => {
    const w = await world();
    const { person } = await w.register({ employer: { type: 'subcontractor', subcontractorId: 'sub_a' } });
    const ended = endedBy(person, 'sub_a');
    w.records.people.set(`${TENANT}#${person.personId}`, ended);
    const own = await w.correct(hr, ended, { employer: { type: 'own' } });
    expect(own.employer).toEqual({ type: 'own' });
    expect('engagementEnd' in own).toBe(false);
    // An end of another kind (a departure) is the person's own: a move keeps it.
    const departed = {
      ...own,
      engagementEnd: { on: '2026-07-01', reason: 'departed' as const },
    };
    w.records.people.set(`${TENANT}#${person.personId}`, departed);
    const moved = await w.correct(hr, departed, {
      employer: { type: 'subcontractor', subcontractorId: 'sub_b' },
    });
    expect(moved.engagementEnd).toEqual(departed.engagementEnd);
  });

  it('keeps the end of a terminated subcontractor when the worker stays with it', async () => {
    const w = await world();
    const sub = as('subcontractor', { subcontractorId: 'sub_a' });
    const { person } = await w.register({}, sub);
    const ended = endedBy(person, 'sub_a');
    w.records.people.set(`${TENANT}#${person.personId}`, ended);
    // The subcontractor admin names its own company again (allowed) and changes a phone.
    const after = await w.correct(sub, ended, {
      employer: { type: 'subcontractor', subcontractorId: 'sub_a' },
      phone: '13800001111',
    });
    expect(after).toMatchObject({ phone: '13800001111', engagementEnd: ended.engagementEnd });
  });

  it('records a reason only with an ID-number correction', async () => {
    const w = await world();
    const { person } = await w.register();
    await w.correct(hr, person, { name: '张玮', reason: '改名' });
    expect(w.records.audit.at(-1)).toMatchObject({ action: 'person.update' });
    expect(w.records.audit.at(-1)).not.toHaveProperty('reason');
  });

  it('answers an ID-number correction with the person as stored after the alliance’s hold landed', async () => {
    const w = await world();
    const { person } = await w.register();
    const hold = { entryId: 'bl_9', reasonCode: 'forgery', expiresOn: '2029-01-01', organisation: 'p' };
    const after = await correctPerson(
      {
        ...w,
        onRegistered: async (p: PersonRecord) => {
          const k = `${TENANT}#${p.personId}`;
          w.records.people.set(k, { ...(w.records.people.get(k) as PersonRecord), blacklist: hold as never });
          return true;
        },
      },
      admin,
      person.personId,
      { idNumber: newIdNumber(), reason: '录入错误' },
      person.version,
      'req-c',
    );
    expect(after.blacklist).toMatchObject({ entryId: 'bl_9' });
  });

  it('corrects an ID number where no alliance or registry is wired (both optional)', async () => {
    const w = await world();
    const { person } = await w.register();
    const right = newIdNumber();
    const after = await correctPerson(
      w,
      admin,
      person.personId,
      { idNumber: right, reason: '录入错误' },
      1,
      'r',
    );
    expect(after.idHash).toBe(hashIdNumber(right, await w.idHashKey()));
  });

  it('changes nothing and keeps the version when the values are the ones it has', async () => {
    const w = await world();
    const { person, idNumber } = await w.register({ phone: '13900002222' });
    const same = await w.correct(admin, person, {
      name: '张伟',
      phone: '13900002222',
      idNumber,
      reason: '核对',
    });
    expect(same).toEqual(person);
    expect(w.records.audit.filter((a) => a.action === 'person.update')).toEqual([]);
    expect(w.landed).toEqual([]);
  });

  it('refuses a correction of an older version (412), changing nothing', async () => {
    const w = await world();
    const { person } = await w.register();
    await w.correct(hr, person, { phone: '13800001111' });
    await expect(w.correct(hr, person, { phone: '13800003333' })).rejects.toMatchObject({
      status: 412,
      detailCode: 'stale_version',
    });
    expect(w.stored(person)?.phone).toBe('13800001111');
  });

  it.each<[string, PersonChanges, number, string]>([
    ['a home site the tenant does not have', { homeSiteId: 'site_zz' }, 400, 'validation_failed'],
    [
      'a subcontractor the tenant did not register',
      { employer: { type: 'subcontractor', subcontractorId: 'sub_zz' } },
      400,
      'validation_failed',
    ],
  ])('refuses %s, changing nothing', async (_, changes, status, code) => {
    const w = await world();
    const { person } = await w.register({ homeSiteId: 'site_a' });
    await expect(w.correct(hr, person, changes)).rejects.toMatchObject({ status, detailCode: code });
    expect(w.stored(person)).toEqual(person);
  });

  it.each<[string, Principal, PersonChanges, number]>([
    ['a site manager', as('site_manager', { siteIds: ['site_a'] }), { phone: '13800001111' }, 403],
    ['an auditor', as('auditor'), { phone: '13800001111' }, 403],
    ['a worker', as('worker'), { phone: '13800001111' }, 403],
    ['hr, for the ID number', hr, { idNumber: newIdNumber(), reason: '录入错误' }, 403],
    ['another tenant’s admin', callerIn('other')('group_admin'), { phone: '13800001111' }, 404],
  ])('refuses %s', async (_, principal, changes, status) => {
    const w = await world();
    const { person } = await w.register();
    await expect(w.correct(principal, person, changes)).rejects.toMatchObject({ status });
    expect(w.stored(person)).toEqual(person);
  });

  it('lets a subcontractor admin correct its own workers, never move them elsewhere or touch others', async () => {
    const w = await world();
    const sub = as('subcontractor', { subcontractorId: 'sub_a' });
    const { person: own } = await w.register({}, sub);
    const fixed = await w.correct(sub, own, { name: '张卫' });
    expect(fixed.name).toBe('张卫');
    await expect(
      w.correct(sub, fixed, { employer: { type: 'subcontractor', subcontractorId: 'sub_b' } }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(w.correct(sub, fixed, { employer: { type: 'own' } })).rejects.toMatchObject({
      status: 403,
      detailCode: 'role_not_allowed',
      params: { role: 'subcontractor' },
    });
    const { person: theirs } = await w.register({
      employer: { type: 'subcontractor', subcontractorId: 'sub_b' },
    });
    await expect(w.correct(sub, theirs, { phone: '13800001111' })).rejects.toMatchObject({ status: 404 });
  });

  it('corrects the ID number (group admin, with a reason): re-hashed, re-masked, new pseudonym, partners’ entries and the registry asked again', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const right = newIdNumber();
    const after = await w.correct(admin, person, { idNumber: right, reason: '身份证号录入错误' });
    expect(after.idHash).toBe(hashIdNumber(right, await w.idHashKey()));
    expect(after.idNumberMasked).not.toBe(person.idNumberMasked);
    expect(after.pseudonym).toBe(await w.pseudonyms.of(right));
    expect(JSON.stringify(after)).not.toContain(right);
    expect(w.landed).toEqual([after.pseudonym]);
    expect(w.rechecked).toEqual([person.personId]);
    expect(w.records.audit.at(-1)).toMatchObject({ action: 'person.update', reason: '身份证号录入错误' });
    // The old number is free for the person it belongs to; the new one is taken.
    expect(await w.people.findByIdHash(TENANT, person.idHash)).toBeUndefined();
    expect((await w.people.findByIdHash(TENANT, after.idHash))?.personId).toBe(person.personId);
    await expect(registerPerson(w, hr, { name: '李四', idNumber }, 'req-again')).resolves.toBeDefined();
  });

  it('refuses an ID number another person of the tenant has (409), changing nothing', async () => {
    const w = await world();
    const { person } = await w.register();
    const { idNumber: taken } = await w.register();
    await expect(w.correct(admin, person, { idNumber: taken, reason: '录入错误' })).rejects.toMatchObject({
      status: 409,
      detailCode: 'id_number_taken',
    });
    expect(w.stored(person)).toEqual(person);
    expect(w.landed).toEqual([]);
  });
});
