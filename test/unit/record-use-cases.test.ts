// The people and certificate use cases against in-memory fakes of their ports
// (test/support/fakes.ts): registration, entering and renewing certificates, stamps, the
// status read that stores a changed status, scope and roles, and the retry when the
// person changed between read and write. Milliseconds each; the DynamoDB adapters that
// keep the same contracts are tested against the emulator (test/integration/).
import { describe, expect, it } from 'vitest';
import {
  addCertificate,
  currentStatus,
  listCertificates,
  stampCertificate,
} from '../../functions/certificates/certificates.ts';
import { STATUS_THRESHOLDS } from '../../functions/domain/settings.ts';
import { registerPerson } from '../../functions/people/people.ts';
import { addDays, addYears } from '../../functions/shared/calendar.ts';
import { StaleRecord } from '../../functions/shared/dynamo/transactions.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'acme';
const as = callerIn(TENANT);
const hr = as('hr');

async function world() {
  const fakes = recordFakes('2026-06-01T02:00:00Z'); // 10:00 in Shanghai
  const today = fakes.clock.today();
  const register = async (principal = hr, body: Record<string, unknown> = {}) => {
    const idNumber = newIdNumber();
    const person = await registerPerson(fakes, principal, { name: '张伟', idNumber, ...body }, 'req-p');
    return { person, idNumber };
  };
  const welding = (idNumber: string, issuedOn = addYears(today, -1)) => ({
    scheme: 'MEM' as const,
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn,
    expiresOn: addDays(addYears(issuedOn, 6), -1),
  });
  return { ...fakes, today, register, welding };
}

describe('registering a person (use case, fakes)', () => {
  it('starts red with no certificate, keeps only the hash and mask of the ID number, and records the start', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    expect(person).toMatchObject({ tenantId: TENANT, name: '张伟', version: 1, status: { color: 'red' } });
    expect(JSON.stringify(person)).not.toContain(idNumber);
    expect(person.idNumberMasked).toMatch(/^\d{3}\*+\d{3}[\dX]$|\*/);
    expect(person.pseudonym).toBe(await w.pseudonyms.of(idNumber));
    expect(w.records.history).toEqual([
      expect.objectContaining({ personId: person.personId, from: null, to: 'red', cause: 'person.create' }),
    ]);
  });

  it('refuses the same ID number twice in a tenant (409), writing nothing more', async () => {
    const w = await world();
    const { idNumber } = await w.register();
    await expect(registerPerson(w, hr, { name: '张伟', idNumber }, 'req-2')).rejects.toMatchObject({
      status: 409,
      detailCode: 'id_number_taken',
    });
    expect(w.records.people.size).toBe(1);
  });

  it.each([
    [
      'a subcontractor admin registers its own workers only',
      as('subcontractor', { subcontractorId: 'sub_a' }),
      { type: 'subcontractor', subcontractorId: 'sub_a' },
    ],
    ['hr registers own staff by default', hr, { type: 'own' }],
  ] as const)('%s', async (_, principal, employer) => {
    const w = await world();
    const { person } = await w.register(principal);
    expect(person.employer).toEqual(employer);
  });

  it.each([['auditor'], ['worker']] as const)('refuses a %s (403)', async (role) => {
    const w = await world();
    await expect(w.register(as(role))).rejects.toMatchObject({ status: 403 });
    expect(w.records.people.size).toBe(0);
  });

  it('refuses practice declared in the future, naming the field', async () => {
    const w = await world();
    await expect(
      w.register(hr, {
        practice: [{ workType: 'hot_work', lastPracticedOn: addDays(w.today, 1), source: '前雇主' }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field: 'practice.0.lastPracticedOn', code: 'practice_in_future' }],
    });
  });
});

describe('entering certificates (use case, fakes)', () => {
  it('turns the holder green in the same write, and the history says why', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const cert = await addCertificate(w, hr, person.personId, w.welding(idNumber), 'req-c');
    expect(cert).toMatchObject({
      scheme: 'MEM',
      category: 'welding',
      reviewDueOn: addYears(cert.issuedOn, 3),
    });
    expect(JSON.stringify(cert)).not.toContain(idNumber); // the number is the ID number: masked, hashed
    expect((await w.people.get(TENANT, person.personId))?.status.color).toBe('green');
    expect(w.records.history.at(-1)).toMatchObject({ from: 'red', to: 'green', cause: 'certificate.create' });
  });

  it('refuses a MEM number that is not T + the holder’s ID number', async () => {
    const w = await world();
    const { person } = await w.register();
    await expect(
      addCertificate(w, hr, person.personId, w.welding(newIdNumber()), 'req-c'),
    ).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'number', code: 'mem_number_mismatch' }] });
    expect(w.records.certificates.size).toBe(0);
  });

  it('refuses the same certificate twice (409) and leaves the status as it was', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const body = w.welding(idNumber);
    await addCertificate(w, hr, person.personId, body, 'req-1');
    const before = await w.people.get(TENANT, person.personId);
    await expect(addCertificate(w, hr, person.personId, body, 'req-2')).rejects.toMatchObject({
      status: 409,
      detailCode: 'certificate_exists',
    });
    expect(await w.people.get(TENANT, person.personId)).toEqual(before);
  });

  it('accepts a renewal of the same kind only', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const old = await addCertificate(
      w,
      hr,
      person.personId,
      w.welding(idNumber, addYears(w.today, -6)),
      'r1',
    );
    await expect(
      addCertificate(
        w,
        hr,
        person.personId,
        { ...w.welding(idNumber), category: 'electrical', replacesCertificateId: old.certificateId },
        'r2',
      ),
    ).rejects.toMatchObject({
      fieldErrors: [{ field: 'replacesCertificateId', code: 'replaced_certificate_mismatch' }],
    });
    await addCertificate(
      w,
      hr,
      person.personId,
      { ...w.welding(idNumber), replacesCertificateId: old.certificateId },
      'r3',
    );
    expect(w.records.history.at(-1)).toMatchObject({ to: 'green', cause: 'certificate.renew' });
  });

  it('answers 404 for another tenant’s person and for one outside a site manager’s sites', async () => {
    const w = await world();
    const { person, idNumber } = await w.register(hr, { homeSiteId: 'site_a' });
    const body = w.welding(idNumber);
    await expect(
      addCertificate(w, { ...hr, tenantId: 'other' }, person.personId, body, 'r'),
    ).rejects.toMatchObject({
      status: 404,
      detailCode: 'person_not_found',
    });
    const manager = as('site_manager', { siteIds: ['site_b'] });
    await expect(listCertificates(w, manager, person.personId)).rejects.toMatchObject({ status: 404 });
    // …unless the person is checked in at one of the manager's sites right now (X1).
    w.records.onSite.set(`${TENANT}#${person.personId}`, 'site_b');
    await expect(listCertificates(w, manager, person.personId)).resolves.toEqual([]);
  });

  it('reads the person again when they changed between read and write, and gives up after three tries', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    let races = 1;
    const add = w.certificates.add.bind(w.certificates);
    w.certificates.add = async (...args) => {
      if (races-- > 0) throw new StaleRecord(); // someone wrote the person meanwhile
      return add(...args);
    };
    await addCertificate(w, hr, person.personId, w.welding(idNumber), 'r');
    expect((await w.people.get(TENANT, person.personId))?.status.color).toBe('green');

    races = 3;
    await expect(
      addCertificate(w, hr, person.personId, w.welding(idNumber, addYears(w.today, -2)), 'r2'),
    ).rejects.toMatchObject({ status: 409, detailCode: 'concurrent_update' });
  });
});

describe('the status as of today (use case, fakes)', () => {
  it('stores a status the calendar changed, as the system’s doing, and only once', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    // Review due in 20 days: yellow today; after the due day passes, red.
    const issuedOn = addDays(addYears(w.today, -3), 20);
    await addCertificate(w, hr, person.personId, w.welding(idNumber, issuedOn), 'r');
    expect((await currentStatus(w, as('auditor'), person.personId, 'r1')).color).toBe('yellow');
    const changes = w.records.history.length;
    w.clock.advanceDays(21);
    const later = await currentStatus(w, as('auditor'), person.personId, 'r2');
    expect(later).toMatchObject({ color: 'red', reasons: [{ code: 'review_missed' }] });
    expect(w.records.history.at(-1)).toMatchObject({
      from: 'yellow',
      to: 'red',
      cause: 'status.read',
      actor: 'system:status-read',
    });
    await currentStatus(w, as('auditor'), person.personId, 'r3');
    expect(w.records.history).toHaveLength(changes + 1);
  });

  it('follows the tenant’s thresholds: a wider reminder window turns the same certificate yellow', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    await addCertificate(
      w,
      hr,
      person.personId,
      w.welding(idNumber, addDays(addYears(w.today, -3), 80)),
      'r',
    );
    expect((await currentStatus(w, hr, person.personId, 'r1')).color).toBe('green');
    const defaults = await w.settings.read(TENANT, STATUS_THRESHOLDS);
    await w.settings.save(as('group_admin'), STATUS_THRESHOLDS, {
      ...defaults,
      reminderDays: 90,
      yellowDays: 90,
    });
    expect((await currentStatus(w, hr, person.personId, 'r2')).color).toBe('yellow');
  });
});

describe('stamps (use case, fakes)', () => {
  it('a review stamped on the card clears the review-due yellow; one dated in the future is refused', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const cert = await addCertificate(
      w,
      hr,
      person.personId,
      w.welding(idNumber, addDays(addYears(w.today, -3), 20)),
      'r',
    );
    expect((await w.people.get(TENANT, person.personId))?.status.color).toBe('yellow');
    await expect(
      stampCertificate(
        w,
        hr,
        person.personId,
        cert.certificateId,
        { kind: 'review', reviewedOn: addDays(w.today, 1) },
        'r1',
      ),
    ).rejects.toMatchObject({ fieldErrors: [{ field: 'reviewedOn', code: 'date_in_future' }] });
    const stamped = await stampCertificate(
      w,
      hr,
      person.personId,
      cert.certificateId,
      { kind: 'review', reviewedOn: w.today },
      'r2',
    );
    expect(stamped.stamps).toHaveLength(1);
    expect((await w.people.get(TENANT, person.personId))?.status.color).toBe('green');
    expect(w.records.history.at(-1)).toMatchObject({
      from: 'yellow',
      to: 'green',
      cause: 'certificate.stamp',
    });
  });
});

describe('registration, in detail (use case, fakes)', () => {
  const sub = as('subcontractor', { subcontractorId: 'sub_a' });

  it.each([
    ['another company’s workers', { type: 'subcontractor', subcontractorId: 'sub_b' }],
    ['own staff of the group', { type: 'own' }],
  ] as const)('refuses a subcontractor admin registering %s (403 role_not_allowed)', async (_, employer) => {
    const w = await world();
    await expect(w.register(sub, { employer })).rejects.toMatchObject({
      status: 403,
      detailCode: 'role_not_allowed',
      params: { role: 'subcontractor' },
    });
  });

  it('keeps the phone, home site and declared practice; a past or present practice day is accepted', async () => {
    const w = await world();
    const { person } = await w.register(hr, {
      phone: '13812345678',
      homeSiteId: 'site_a',
      practice: [
        { workType: 'hot_work', lastPracticedOn: w.today, source: '前雇主' },
        { workType: 'electrical', lastPracticedOn: addDays(w.today, -400), source: '前雇主' },
      ],
    });
    expect(person).toMatchObject({ phone: '13812345678', homeSiteId: 'site_a' });
    expect(await w.people.get(TENANT, person.personId)).toMatchObject({ phone: '13812345678' });
  });

  it('lets only hr (and group admins) declare practice: a subcontractor admin may register, not declare', async () => {
    const w = await world();
    await expect(w.register(sub)).resolves.toBeDefined();
    await expect(
      w.register(sub, {
        practice: [{ workType: 'hot_work', lastPracticedOn: w.today, source: '前雇主' }],
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('lets the alliance land a partner’s hold on registration and answers with the person as stored', async () => {
    const w = await world();
    const hold = {
      entryId: 'bl_1',
      reasonCode: 'forgery',
      expiresOn: addYears(w.today, 3),
      organisation: 'partner',
    };
    const landed: string[] = [];
    const person = await registerPerson(
      {
        ...w,
        onRegistered: async (p) => {
          landed.push(p.personId);
          const stored = w.records.people.get(`${TENANT}#${p.personId}`);
          if (stored)
            w.records.people.set(`${TENANT}#${p.personId}`, { ...stored, blacklist: hold as never });
          return true;
        },
      },
      hr,
      { name: '李四', idNumber: newIdNumber() },
      'req',
    );
    expect(landed).toEqual([person.personId]);
    expect(person.blacklist).toMatchObject({ entryId: 'bl_1' });
  });

  it('answers a registration no hold landed on without reading the person back', async () => {
    const w = await world();
    let reads = 0;
    const people = Object.create(w.people, {
      get: {
        value: (t: string, id: string) => {
          reads += 1;
          return w.people.get(t, id);
        },
      },
    });
    const person = await registerPerson(
      { ...w, people, onRegistered: async () => false },
      hr,
      { name: '王五', idNumber: newIdNumber() },
      'req',
    );
    expect(reads).toBe(0);
    expect(w.records.people.get(`${TENANT}#${person.personId}`)).toMatchObject({ name: '王五' });
  });
});

describe('certificates, in detail (use case, fakes)', () => {
  it('keeps what was entered: a SAMR item code, its mapping, the authority, an explicit review date', async () => {
    const w = await world();
    const { person } = await w.register();
    const cert = await addCertificate(
      w,
      hr,
      person.personId,
      {
        scheme: 'SAMR',
        category: 'N1',
        number: 'TS-2024-000123',
        issuedOn: addYears(w.today, -1),
        expiresOn: addYears(w.today, 3),
        authority: '宁波市市场监督管理局',
        reviewDueOn: null,
      },
      'r',
    );
    expect(cert).toMatchObject({
      scheme: 'SAMR',
      category: 'N1',
      authority: '宁波市市场监督管理局',
      reviewDueOn: null,
    });
    expect(cert.reviewIntervalExtended).toBe(false);
    expect(cert.numberHash).toBe(await w.numbers.hash('TS-2024-000123'));
    const mem = await addCertificate(
      w,
      hr,
      person.personId,
      {
        scheme: 'MEM',
        category: 'electrical',
        subType: 'low_voltage',
        number: `T${(await w.register()).idNumber}`,
        issuedOn: w.today,
        expiresOn: addYears(w.today, 6),
      },
      'r2',
    ).catch((e: unknown) => e);
    expect(mem).toMatchObject({ fieldErrors: [{ field: 'number', code: 'mem_number_mismatch' }] });
  });

  it('keeps the MEM sub-type, an extended review interval and a review date given by hand', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const cert = await addCertificate(
      w,
      hr,
      person.personId,
      {
        ...w.welding(idNumber),
        category: 'electrical',
        subType: 'low_voltage',
        reviewIntervalExtended: true,
        reviewDueOn: addYears(w.today, 2),
      },
      'r',
    );
    expect(cert).toMatchObject({
      subType: 'low_voltage',
      reviewIntervalExtended: true,
      reviewDueOn: addYears(w.today, 2),
    });
  });

  it.each([
    ['another scheme', { scheme: 'SAMR', category: 'N1', number: 'X-1' }],
    ['another sub-type', { category: 'electrical', subType: 'high_voltage' }],
  ])('refuses a renewal of %s', async (_, change) => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const old = await addCertificate(
      w,
      hr,
      person.personId,
      { ...w.welding(idNumber, addYears(w.today, -6)), category: 'electrical', subType: 'low_voltage' },
      'r1',
    );
    await expect(
      addCertificate(
        w,
        hr,
        person.personId,
        { ...w.welding(idNumber), ...change, replacesCertificateId: old.certificateId } as never,
        'r2',
      ),
    ).rejects.toMatchObject({
      detailCode: 'validation_failed',
      fieldErrors: [{ code: 'replaced_certificate_mismatch' }],
    });
    // A renewal naming a certificate that is not the person's is refused the same way.
    await expect(
      addCertificate(
        w,
        hr,
        person.personId,
        { ...w.welding(idNumber), replacesCertificateId: 'cer_0000000000' },
        'r3',
      ),
    ).rejects.toMatchObject({ fieldErrors: [{ field: 'replacesCertificateId' }] });
  });

  it('protects the number once however often the write is retried', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    let protects = 0;
    const protect = w.numbers.protect.bind(w.numbers);
    w.numbers.protect = async (...args) => {
      protects++;
      return protect(...args);
    };
    let races = 2;
    const add = w.certificates.add.bind(w.certificates);
    w.certificates.add = async (...args) => {
      if (races-- > 0) throw new StaleRecord();
      return add(...args);
    };
    await addCertificate(w, hr, person.personId, w.welding(idNumber), 'r');
    expect(protects).toBe(1);
  });

  it('lists a person’s certificates by issue day, then id', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const later = await addCertificate(
      w,
      hr,
      person.personId,
      w.welding(idNumber, addYears(w.today, -1)),
      'r1',
    );
    const earlier = await addCertificate(
      w,
      hr,
      person.personId,
      { ...w.welding(idNumber, addYears(w.today, -2)), category: 'electrical', subType: 'low_voltage' },
      'r2',
    );
    const list = await listCertificates(w, as('auditor'), person.personId);
    expect(list.map((c) => c.certificateId)).toEqual([earlier.certificateId, later.certificateId]);
  });
});

describe('stamps and status reads, in detail (use case, fakes)', () => {
  it('records an extension with the deadline it met, changing only the stamped certificate', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const a = await addCertificate(
      w,
      hr,
      person.personId,
      w.welding(idNumber, addDays(addYears(w.today, -3), 20)),
      'r1',
    );
    const b = await addCertificate(
      w,
      hr,
      person.personId,
      { ...w.welding(idNumber), category: 'electrical', subType: 'low_voltage' },
      'r2',
    );
    await expect(
      stampCertificate(
        w,
        hr,
        person.personId,
        a.certificateId,
        { kind: 'extension', extendedOn: addDays(w.today, 1) },
        'r3',
      ),
    ).rejects.toMatchObject({ fieldErrors: [{ field: 'extendedOn' }] });
    await expect(
      stampCertificate(
        w,
        hr,
        person.personId,
        'cer_0000000000',
        { kind: 'review', reviewedOn: w.today },
        'r4',
      ),
    ).rejects.toMatchObject({ status: 404, detailCode: 'certificate_not_found' });
    const reviewed = await stampCertificate(
      w,
      hr,
      person.personId,
      a.certificateId,
      { kind: 'review', reviewedOn: w.today },
      'r5',
    );
    expect(reviewed.stamps?.[0]).toMatchObject({
      kind: 'review',
      reviewedOn: w.today,
      previousDeadline: a.reviewDueOn,
    });
    const stored = await w.certificates.listForPerson(TENANT, person.personId);
    expect(stored.find((c) => c.certificateId === a.certificateId)?.stamps).toEqual([
      expect.objectContaining({ kind: 'review', reviewedOn: w.today, previousDeadline: a.reviewDueOn }),
    ]);
    expect(stored.find((c) => c.certificateId === b.certificateId)?.stamps).toBeUndefined();
    expect(stored.find((c) => c.certificateId === a.certificateId)?.reviewDueOn).toBe(reviewed.reviewDueOn);
  });

  it('answers the computed status after losing three races to store it, and stops there', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    await addCertificate(
      w,
      hr,
      person.personId,
      w.welding(idNumber, addDays(addYears(w.today, -3), 20)),
      'r',
    );
    w.clock.advanceDays(21);
    let attempts = 0;
    w.statusStore.save = async () => {
      attempts++;
      return false; // someone stores a newer status every time
    };
    const status = await currentStatus(w, hr, person.personId, 'r2');
    expect(status.color).toBe('red');
    expect(attempts).toBe(3);
    let once = 0;
    w.statusStore.save = async () => {
      once++;
      return true;
    };
    await currentStatus(w, hr, person.personId, 'r3');
    expect(once).toBe(1);
  });

  it('stores a blacklist hold in force with the status when the stored one lacks it (a hold from before statuses carried it)', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    await addCertificate(w, hr, person.personId, w.welding(idNumber), 'r');
    const key = `${TENANT}#${person.personId}`;
    const stored = w.records.people.get(key);
    if (stored)
      w.records.people.set(key, {
        ...stored,
        blacklist: {
          entryId: 'bl_1',
          reasonCode: 'forgery',
          expiresOn: addDays(w.today, 30),
          organisation: 'acme',
        } as never,
      });
    const changes = w.records.history.length;
    const status = await currentStatus(w, hr, person.personId, 'r2');
    expect(status).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      dispatch: 'frozen',
      // The sweep comes back the day the hold ends (before the certificate's own next change).
      nextChangeOn: addDays(w.today, 30),
      reasons: [{ code: 'blacklisted', date: addDays(w.today, 30) }],
    });
    expect(w.records.history).toHaveLength(changes + 1);
    expect(w.records.people.get(key)?.status).toMatchObject({ color: 'red' });
    // Read again: stored already, nothing more written.
    await currentStatus(w, hr, person.personId, 'r3');
    expect(w.records.history).toHaveLength(changes + 1);
    // The hold's last day passed: what the certificates say, stored again.
    w.clock.advanceDays(30);
    const after = await currentStatus(w, hr, person.personId, 'r4');
    expect(after.color).toBe('green');
    expect(after.reasons.map((r) => r.code)).not.toContain('blacklisted');
    expect(w.records.people.get(key)?.status).toMatchObject({ color: 'green' });
  });

  it('keeps a held person red when a valid certificate is added: the hold stays in the stored status', async () => {
    const w = await world();
    const { person, idNumber } = await w.register();
    const key = `${TENANT}#${person.personId}`;
    const stored = w.records.people.get(key);
    if (stored)
      w.records.people.set(key, {
        ...stored,
        blacklist: {
          entryId: 'bl_1',
          reasonCode: 'identity_fraud',
          expiresOn: addYears(w.today, 3),
          source: { type: 'own' },
        },
      });
    await addCertificate(w, hr, person.personId, w.welding(idNumber), 'r');
    expect(w.records.people.get(key)?.status).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      reasons: [{ code: 'blacklisted' }],
    });
  });

  it('lets a site manager see a person checked in at their site, not one elsewhere', async () => {
    const w = await world();
    const { person } = await w.register(hr, { homeSiteId: 'site_a' });
    const manager = as('site_manager', { siteIds: ['site_b'] });
    w.records.onSite.set(`${TENANT}#${person.personId}`, 'site_c');
    await expect(listCertificates(w, manager, person.personId)).rejects.toMatchObject({ status: 404 });
    await expect(listCertificates(w, as('hr', { siteIds: ['site_c'] }), person.personId)).resolves.toEqual(
      [],
    );
  });
});
