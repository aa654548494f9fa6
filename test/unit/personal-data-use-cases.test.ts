// Personal-data rights against in-memory fakes (issue 28): who may ask, what a copy holds,
// what a deletion request deletes and keeps by employment, retention and blacklist, and the
// daily erasure's choice of leavers.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { PersonRecord } from '../../functions/domain/person.ts';
import { registerPerson } from '../../functions/people/people.ts';
import {
  eraseExpiredLeavers,
  exportPersonalData,
  type PersonalFiles,
  type PersonalRecords,
  type PrivacyDeps,
  RECORD_RETENTION,
  requestDeletion,
  retentionEndsOn,
} from '../../functions/privacy/personal-data.ts';
import type { Actor, Principal } from '../../functions/shared/auth/principal.ts';
import { addDays } from '../../functions/shared/calendar.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const as = callerIn('acme');
const hr = as('hr');

function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const files = new Map<string, Buffer>();
  const archive = new Map<string, Uint8Array>();
  const channels = new Map<string, string[]>();
  const audit: { action: string; personId: string; details: Record<string, unknown> }[] = [];
  const erasures: { personId: string; keepIdentity: boolean; actor: Actor }[] = [];
  const records: PersonalRecords = {
    recordsOf: async (tenantId, personId) => {
      const p = await f.people.get(tenantId, personId);
      return { profile: p ? [{ personId, name: p.name }] : [], certificates: [{ certificateId: 'cer_1' }] };
    },
    erase: async (actor, person, keepIdentity) => {
      erasures.push({ personId: person.personId, keepIdentity, actor });
      const k = `${person.tenantId}#${person.personId}`;
      const stored = f.records.people.get(k) as PersonRecord;
      f.records.people.set(k, { ...stored, name: '已删除', erasedAt: f.clock.now().toISOString() });
      return { profile: 1, certificateNumbers: 2 };
    },
    leavers: async (tenantId) =>
      [...f.records.people.values()].filter(
        (p) => p.tenantId === tenantId && p.engagementEnd?.reason === 'departed',
      ),
    audit: async (_actor, personId, action, details) => {
      audit.push({ action, personId, details });
    },
  };
  const personalFiles: PersonalFiles = {
    list: async (_t, personId) =>
      [...files.keys()]
        .filter((k) => k.includes(personId))
        .map((key) => ({ key, name: key.split('/').slice(-2).join('_') })),
    get: async (key) => files.get(key),
    delete: async (_t, personId, kinds) => {
      let n = 0;
      for (const key of [...files.keys()])
        if (key.includes(personId) && kinds.some((kind) => key.startsWith(`${kind}/`))) {
          files.delete(key);
          n++;
        }
      return n;
    },
  };
  const deps: PrivacyDeps = {
    people: f.people,
    records,
    files: personalFiles,
    archive: {
      put: async (key, bytes) => {
        archive.set(key, bytes);
      },
      link: async (key, seconds) => `https://bucket.example/${key}?expires=${seconds}`,
    },
    channels: {
      drop: async (_a, personId) => {
        const had = channels.get(personId) ?? [];
        channels.delete(personId);
        return had;
      },
    },
    settings: f.settings,
    clock: f.clock,
  };
  const register = async (name = '陈静') => {
    const p = await registerPerson(f, hr, { name, idNumber: newIdNumber() }, 'r');
    files.set(`face/${p.personId}/id_card.jpg`, Buffer.from([1, 2, 3]));
    files.set(`documents/${p.personId}/certificate.jpg`, Buffer.from([4, 5]));
    channels.set(p.personId, ['wecomUserId']);
    return p;
  };
  const leave = (p: PersonRecord, on: string, extra: Partial<PersonRecord> = {}) =>
    f.records.people.set(`acme#${p.personId}`, {
      ...(f.records.people.get(`acme#${p.personId}`) as PersonRecord),
      engagementEnd: { on, reason: 'departed' },
      ...extra,
    });
  return { f, deps, files, archive, channels, audit, erasures, register, leave, today: f.clock.today() };
}

describe('a copy of a person’s data (use case, fakes)', () => {
  it('zips their records and images, stores it, links it for 15 minutes, and audits it', async () => {
    const w = world();
    const p = await w.register();
    const copy = await exportPersonalData(w.deps, hr, p.personId, 'r');
    expect(copy.url).toContain('expires=900');
    expect(Date.parse(copy.expiresAt) - w.f.clock.now().getTime()).toBe(900_000);
    expect(copy.records).toEqual({ profile: 1, certificates: 1 });
    const [key, bytes] = [...w.archive.entries()][0] as [string, Uint8Array];
    expect(key).toBe(`exports/t/acme/p/${p.personId}/${copy.exportId}.zip`);
    const zip = unzipSync(bytes);
    expect(Object.keys(zip).sort()).toEqual(
      [
        'README.txt',
        `images/${p.personId}_certificate.jpg`,
        `images/${p.personId}_id_card.jpg`,
        'records/certificates.json',
        'records/profile.json',
      ].sort(),
    );
    expect(zip[`images/${p.personId}_id_card.jpg`]).toEqual(new Uint8Array([1, 2, 3]));
    expect(JSON.parse(new TextDecoder().decode(zip['records/profile.json']))).toEqual([
      { personId: p.personId, name: '陈静' },
    ]);
    expect(copy.files.find((f) => f.name === 'README.txt')?.bytes).toBeGreaterThan(100);
    expect(w.audit).toEqual([
      { action: 'person.data_export', personId: p.personId, details: { exportId: copy.exportId } },
    ]);
  });

  it.each<[string, Principal, number]>([
    ['a site manager', as('site_manager', { siteIds: ['s'] }), 403],
    ['a subcontractor admin', as('subcontractor', { subcontractorId: 'sub_a' }), 403],
    ['an auditor', as('auditor'), 403],
    ['another tenant’s hr', callerIn('other')('hr'), 404],
  ])('refuses %s', async (_, principal, status) => {
    const w = world();
    const p = await w.register();
    await expect(exportPersonalData(w.deps, principal, p.personId, 'r')).rejects.toMatchObject({ status });
    await expect(requestDeletion(w.deps, principal, p.personId, {}, 'r')).rejects.toMatchObject({ status });
    expect(w.archive.size + w.audit.length).toBe(0);
  });

  it('is the person’s own from their account, and nobody else’s', async () => {
    const w = world();
    const p = await w.register();
    const other = await w.register('王刚');
    const self = as('worker', { personId: p.personId });
    expect((await exportPersonalData(w.deps, self, p.personId, 'r')).records.profile).toBe(1);
    await expect(exportPersonalData(w.deps, self, other.personId, 'r')).rejects.toMatchObject({
      status: 404,
    });
    await expect(requestDeletion(w.deps, self, other.personId, {}, 'r')).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('a deletion request (use case, fakes)', () => {
  it('of someone who works here deletes nothing and names the law that keeps the records', async () => {
    const w = world();
    const p = await w.register();
    const answer = await requestDeletion(w.deps, hr, p.personId, { reason: '本人申请' }, 'r');
    expect(answer).toMatchObject({ erased: false, deleted: [] });
    expect(answer.kept.map((k) => k.basis)).toEqual(['mem_order_30_records', 'accountability']);
    expect(w.files.size).toBe(2);
    expect(w.channels.size).toBe(1);
    expect(w.audit.at(-1)).toEqual({
      action: 'person.deletion_request',
      personId: p.personId,
      details: {
        reason: '本人申请',
        erased: false,
        deleted: [],
        kept: ['mem_order_30_records', 'accountability'],
      },
    });
  });

  it('of a leaver recorded ahead (not gone yet) is answered as for someone employed', async () => {
    const w = world();
    const p = await w.register();
    w.leave(p, addDays(w.today, 1));
    expect((await requestDeletion(w.deps, hr, p.personId, {}, 'r')).kept[0]?.basis).toBe(
      'mem_order_30_records',
    );
  });

  it('of a leaver within retention drops channels and face images, keeps documents until the day', async () => {
    const w = world();
    const p = await w.register();
    w.leave(p, addDays(w.today, -10));
    const answer = await requestDeletion(w.deps, hr, p.personId, {}, 'r');
    expect(answer.erased).toBe(false);
    expect(answer.deleted.map((d) => [d.category, d.count])).toEqual([
      ['images', 1],
      ['bindings', 1],
    ]);
    expect(answer.kept[0]).toMatchObject({ until: retentionEndsOn(addDays(w.today, -10), 3) });
    expect([...w.files.keys()]).toEqual([`documents/${p.personId}/certificate.jpg`]);
    expect(w.erasures).toEqual([]);
  });

  it('of a leaver past retention erases at once; a blacklisted one keeps the identity hash and says why', async () => {
    const w = world();
    const p = await w.register();
    w.leave(p, '2020-01-01');
    const answer = await requestDeletion(w.deps, hr, p.personId, {}, 'r');
    expect(answer.erased).toBe(true);
    expect(answer.deleted.map((d) => d.category)).toEqual([
      'profile',
      'images',
      'bindings',
      'certificateNumbers',
    ]);
    expect(answer.kept.map((k) => k.basis)).toEqual(['accountability']);
    expect(w.erasures).toMatchObject([{ personId: p.personId, keepIdentity: false }]);
    // Asked again: already erased, nothing more to delete.
    expect(await requestDeletion(w.deps, hr, p.personId, {}, 'r')).toMatchObject({
      erased: true,
      deleted: [],
    });

    const held = await w.register('李四');
    w.leave(held, '2020-01-01', {
      blacklist: { entryId: 'bl_1', source: 'own', expiresOn: '2027-01-01' } as never,
    });
    const kept = await requestDeletion(w.deps, hr, held.personId, {}, 'r');
    expect(kept.kept.map((k) => k.basis)).toEqual(['blacklist_entry', 'accountability']);
    expect(w.erasures.at(-1)).toMatchObject({ personId: held.personId, keepIdentity: true });
  });
});

describe('the retention erasure (use case, fakes)', () => {
  it('erases exactly the leavers whose retention ended, by the tenant’s setting, once', async () => {
    const w = world();
    const past = await w.register('甲');
    const recent = await w.register('乙');
    const employed = await w.register('丙');
    w.leave(past, '2023-05-31'); // 3 years end 2026-05-31: past on 2026-06-01
    w.leave(recent, '2023-06-02');
    const deps = { ...w.deps, tenants: async () => ['acme'] };
    expect(await eraseExpiredLeavers(deps, w.today)).toEqual({ erased: 1, checked: 2 });
    expect(w.erasures.map((e) => [e.personId, e.actor.subject])).toEqual([
      [past.personId, 'system:retention-erasure'],
    ]);
    expect(await eraseExpiredLeavers(deps, w.today)).toEqual({ erased: 0, checked: 2 });
    // A longer retention set by the tenant keeps the next one.
    await w.f.settings.save(as('group_admin'), RECORD_RETENTION, { leaverYears: 5 });
    expect(await eraseExpiredLeavers(deps, addDays(w.today, 2))).toEqual({ erased: 0, checked: 2 });
    expect(w.files.has(`face/${employed.personId}/id_card.jpg`)).toBe(true);
  });
});
