// Violations, suspension and reinstatement (E1) against in-memory fakes: a recorded violation
// counts at once, a proposal only once confirmed; the threshold suspends the person through
// their status (red, frozen, `suspended` first) with courses; reinstatement needs every course
// and a manager; two violations mark the MEM certificates' review at risk.
import { describe, expect, it } from 'vitest';
import { addCertificate, stampCertificate } from '../../functions/certificates/certificates.ts';
import { storeCurrentStatus } from '../../functions/domain/current-status.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Principal } from '../../functions/shared/auth/principal.ts';
import { addDays, addYears } from '../../functions/shared/calendar.ts';
import { PreconditionFailed } from '../../functions/shared/errors.ts';
import {
  completeCourse,
  decideViolation,
  findViolation,
  proposeViolation,
  recordViolation,
  reinstate,
  type ViolationDeps,
  type ViolationRecord,
  type ViolationStore,
} from '../../functions/violations/violations.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const as = callerIn('acme');
const manager = as('site_manager', { siteIds: ['site_a'] });
const hr = as('hr');

class InMemoryViolations implements ViolationStore {
  readonly items = new Map<string, ViolationRecord>();
  async create(_a: unknown, v: ViolationRecord) {
    this.items.set(v.violationId, { ...v });
  }
  async get(tenantId: string, id: string) {
    const v = this.items.get(id);
    return v?.tenantId === tenantId ? { ...v } : undefined;
  }
  async ofPerson(tenantId: string, personId: string) {
    return [...this.items.values()].filter((v) => v.tenantId === tenantId && v.personId === personId);
  }
  async decide(_a: unknown, after: ViolationRecord) {
    if (this.items.get(after.violationId)?.status !== 'proposed') throw new Error('decided');
    this.items.set(after.violationId, { ...after });
  }
}

async function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const violations = new InMemoryViolations();
  const deps: ViolationDeps = {
    violations,
    people: f.people,
    settings: f.settings,
    restatus: (actor, personId, requestId) =>
      storeCurrentStatus({ ...f, now: f.clock.now }, actor, personId, 'person.engagement', requestId),
    clock: f.clock,
  };
  const today = f.clock.today();
  const idNumber = newIdNumber();
  f.records.sites.add('acme#site_a');
  const person = await registerPerson(f, hr, { name: '焊工', idNumber, homeSiteId: 'site_a' }, 'r');
  const issuedOn = addYears(today, -1);
  await addCertificate(
    f,
    hr,
    person.personId,
    {
      scheme: 'MEM',
      category: 'welding',
      number: `T${idNumber}`,
      issuedOn,
      expiresOn: addDays(addYears(issuedOn, 6), -1),
    },
    'r',
  );
  const at = (days = 0) => new Date(f.clock.now().getTime() - days * 86_400_000).toISOString();
  const record = (type: ViolationRecord['type'], by: Principal = manager, extra = {}) =>
    recordViolation(
      deps,
      by,
      { personId: person.personId, type, occurredAt: at(1), siteId: 'site_a', ...extra },
      'r',
    );
  const current = async () =>
    (await f.people.get('acme', person.personId)) as NonNullable<Awaited<ReturnType<typeof f.people.get>>>;
  return { f, deps, violations, person, record, current, at, today, idNumber };
}

describe('violations and suspension for training (use cases, fakes)', () => {
  it('suspends at the threshold: red, frozen, `suspended` first, courses assigned; once', async () => {
    const w = await world();
    expect((await w.current()).status.color).toBe('green');
    const first = await w.record('outside_scope');
    expect(first).toMatchObject({ status: 'confirmed', points: 6, source: 'manual' });
    let p = await w.current();
    expect(p.suspension).toBeUndefined();
    await w.record('outside_scope');
    p = await w.current();
    expect(p.suspension).toMatchObject({
      since: w.today,
      points: 12,
      courses: [{ courseId: 'safety_refresher' }, { courseId: 'certificate_scope' }],
    });
    expect(p.status).toMatchObject({ color: 'red', gateAccess: 'frozen', dispatch: 'frozen' });
    expect(p.status.reasons[0]).toEqual({ code: 'suspended', date: w.today });
    // Two confirmed: the MEM certificate's review at risk, in the reasons.
    expect(p.status.reasons.map((r) => r.code)).toContain('review_at_risk');
    const since = p.suspension?.since;
    await w.record('safety_rule');
    expect((await w.current()).suspension?.since).toBe(since);
    expect((await w.current()).suspension?.points).toBe(12);
  });

  it('counts a proposal only once a person confirms it, never a dismissed one', async () => {
    const w = await world();
    const proposed = await proposeViolation(
      w.deps,
      { tenantId: 'acme', subject: 'system:gates', role: 'system' },
      {
        personId: w.person.personId,
        type: 'no_certificate',
        occurredAt: w.at(0),
        siteId: 'site_a',
        source: 'gate',
      },
      'r',
    );
    expect((await w.current()).suspension).toBeUndefined();
    // The same matter again the same day (a badge tried twice): the one proposal.
    const again = await proposeViolation(
      w.deps,
      { tenantId: 'acme', subject: 'system:gates', role: 'system' },
      {
        personId: w.person.personId,
        type: 'no_certificate',
        occurredAt: w.at(0),
        siteId: 'site_a',
        source: 'gate',
      },
      'r',
    );
    expect(again.violationId).toBe(proposed.violationId);
    await expect(
      decideViolation(w.deps, hr, proposed.violationId, { confirm: true }, 'r'),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      decideViolation(
        w.deps,
        as('site_manager', { siteIds: ['site_b'] }),
        proposed.violationId,
        { confirm: true },
        'r',
      ),
    ).rejects.toMatchObject({ status: 404 });
    const dismissed = await proposeViolation(
      w.deps,
      { tenantId: 'acme', subject: 'system:tickets', role: 'system' },
      {
        personId: w.person.personId,
        type: 'outside_scope',
        occurredAt: w.at(0),
        siteId: 'site_a',
        source: 'dispatch',
      },
      'r',
    );
    expect(
      await decideViolation(w.deps, manager, dismissed.violationId, { confirm: false, note: '误报' }, 'r'),
    ).toMatchObject({
      status: 'dismissed',
    });
    expect((await w.current()).suspension).toBeUndefined();
    const confirmed = await decideViolation(w.deps, manager, proposed.violationId, { confirm: true }, 'r');
    expect(confirmed).toMatchObject({ status: 'confirmed', points: 12 });
    expect((await w.current()).suspension?.courses.map((c) => c.courseId)).toEqual([
      'safety_refresher',
      'certificate_rules',
    ]);
    await expect(
      decideViolation(w.deps, manager, proposed.violationId, { confirm: false }, 'r'),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('lifts the review-at-risk mark when its violations leave the window, keeps it while new ones come', async () => {
    const w = await world();
    const atRisk = async () =>
      (await w.current()).status.reasons.filter((r) => r.code === 'review_at_risk').map((r) => r.date);
    await w.record('safety_rule', manager, { occurredAt: w.at(200) });
    expect(await atRisk()).toEqual([]);
    await w.record('safety_rule', manager, { occurredAt: w.at(100) });
    const first = (await w.current()).reviewAtRisk;
    // Until the older leaves the 12-month window: the sweep is told to come back that day.
    expect(first).toMatchObject({ since: w.today, until: addDays(addYears(addDays(w.today, -200), 1), 0) });
    expect(await atRisk()).toEqual([w.today]);
    expect((await w.current()).status.nextChangeOn).toBe(first?.until);
    // A third one later: the mark holds longer, from the same day.
    w.f.clock.advanceDays(30);
    await w.record('safety_rule', manager, { occurredAt: w.at(0) });
    const extended = (await w.current()).reviewAtRisk;
    expect(extended?.since).toBe(first?.since);
    expect(extended?.until).toBe(addYears(addDays(w.today, -100), 1));
    expect(extended?.violationIds).toHaveLength(3);
    // The day before it lapses it shows; on the day the status write (the sweep) drops it.
    w.f.clock.set(`${addDays(extended?.until as string, -1)}T01:00:00Z`);
    await w.deps.restatus(manager, w.person.personId, 'sweep');
    expect(await atRisk()).toEqual([first?.since]);
    w.f.clock.set(`${extended?.until}T01:00:00Z`);
    await w.deps.restatus(manager, w.person.personId, 'sweep');
    expect(await atRisk()).toEqual([]);
    expect((await w.current()).status.color).toBe('green');
    // A new one while the third still counts sets it afresh, from its day.
    await w.record('no_permit', manager, { occurredAt: w.at(0) });
    expect((await w.current()).reviewAtRisk?.since).toBe(w.f.clock.today());
    expect(await atRisk()).toEqual([w.f.clock.today()]);
  });

  it('lifts the review-at-risk mark from a MEM certificate reviewed after it, not from the others', async () => {
    const w = await world();
    // A second MEM card whose review is due in 30 days (the 60-day window is open).
    const issuedOn = addDays(addYears(w.today, -3), 30);
    const due = await addCertificate(
      w.f,
      hr,
      w.person.personId,
      {
        scheme: 'MEM',
        category: 'electrical',
        number: `T${w.idNumber}`,
        issuedOn,
        expiresOn: addDays(addYears(issuedOn, 6), -1),
      },
      'r',
    );
    await w.record('safety_rule', manager, { serious: true });
    const marked = () =>
      w
        .current()
        .then((p) => p.status.reasons.filter((r) => r.code === 'review_at_risk').map((r) => r.certificateId));
    expect((await marked()).sort()).toHaveLength(2);
    await stampCertificate(
      w.f,
      hr,
      w.person.personId,
      due.certificateId,
      { kind: 'review', reviewedOn: w.today },
      'r',
    );
    expect(await marked()).toEqual([expect.not.stringMatching(due.certificateId)]);
    expect((await w.current()).reviewAtRisk).toBeDefined(); // the record keeps the mark
  });

  it('reinstates only after every course and a manager’s word; the record stays', async () => {
    const w = await world();
    await w.record('no_certificate');
    await expect(
      reinstate(w.deps, manager, w.person.personId, { note: '培训完成' }, 'r'),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      completeCourse(w.deps, manager, w.person.personId, 'safety_refresher', {}, 'r'),
    ).rejects.toMatchObject({ status: 403 });
    await completeCourse(
      w.deps,
      hr,
      w.person.personId,
      'safety_refresher',
      { evidence: ['documents/t/acme/p/x/cert.jpg'] },
      'r',
    );
    await expect(
      completeCourse(w.deps, hr, w.person.personId, 'safety_refresher', {}, 'r'),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      completeCourse(w.deps, hr, w.person.personId, 'no_such_course', {}, 'r'),
    ).rejects.toMatchObject({ status: 404 });
    await completeCourse(w.deps, hr, w.person.personId, 'certificate_rules', {}, 'r');
    await expect(reinstate(w.deps, hr, w.person.personId, { note: 'x' }, 'r')).rejects.toMatchObject({
      status: 403,
    });
    const back = await reinstate(w.deps, manager, w.person.personId, { note: '培训完成' }, 'r');
    expect(back.suspension).toBeUndefined();
    expect(back.status.gateAccess).toBe('allowed');
    expect(back.status.reasons.map((r) => r.code)).not.toContain('suspended');
    await expect(reinstate(w.deps, manager, w.person.personId, { note: 'x' }, 'r')).rejects.toMatchObject({
      status: 409,
    });
    expect(await w.violations.ofPerson('acme', w.person.personId)).toHaveLength(1);
  });

  it('settles a race with another write itself: courses done side by side both count, and a stale version never reaches the caller', async () => {
    const w = await world();
    await w.record('no_certificate');
    const courses = (await w.current()).suspension?.courses.map((c) => c.courseId) ?? [];
    expect(courses.length).toBeGreaterThan(1);
    // Both read the same version; the second write finds it stale and is read again.
    await Promise.all(courses.map((id) => completeCourse(w.deps, hr, w.person.personId, id, {}, 'r')));
    expect((await w.current()).suspension?.courses.every((c) => c.completedAt)).toBe(true);
    // A person that keeps changing under it: 409 after three reads (the route declares it), not 412.
    let writes = 0;
    const restless: ViolationDeps = {
      ...w.deps,
      people: Object.assign(Object.create(w.f.people), {
        correct: async () => {
          writes += 1;
          throw new PreconditionFailed('stale_version');
        },
      }),
    };
    await expect(
      reinstate(restless, manager, w.person.personId, { note: '培训完成' }, 'r'),
    ).rejects.toMatchObject({
      status: 409,
      detailCode: 'concurrent_update',
    });
    expect(writes).toBe(3);
    // One change in between: the second read wins.
    let once = true;
    const raced: ViolationDeps = {
      ...w.deps,
      people: Object.assign(Object.create(w.f.people), {
        correct: async (...args: Parameters<typeof w.f.people.correct>) => {
          if (once) {
            once = false;
            throw new PreconditionFailed('stale_version');
          }
          return w.f.people.correct(...args);
        },
      }),
    };
    const back = await reinstate(raced, manager, w.person.personId, { note: '培训完成' }, 'r');
    expect(back.suspension).toBeUndefined();
  });

  it('refuses a violation in the future, at a site out of scope, by roles that do not run sites; hides it from other people', async () => {
    const w = await world();
    await expect(
      w.record('safety_rule', manager, { occurredAt: new Date(Date.now() + 86_400_000 * 400).toISOString() }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(w.record('safety_rule', as('site_manager', { siteIds: ['site_b'] }))).rejects.toMatchObject({
      status: 404,
    });
    await expect(w.record('safety_rule', hr)).rejects.toMatchObject({ status: 403 });
    const v = await w.record('safety_rule');
    expect(
      (await findViolation(w.deps, as('worker', { personId: w.person.personId }), v.violationId)).violationId,
    ).toBe(v.violationId);
    await expect(
      findViolation(w.deps, as('worker', { personId: 'per_other' }), v.violationId),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      findViolation(w.deps, callerIn('other')('group_admin'), v.violationId),
    ).rejects.toMatchObject({ status: 404 });
  });
});
