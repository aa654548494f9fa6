import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addYears } from '../../functions/shared/calendar.ts';
import { type ApiClient, allItems, auditTrail, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate, today, yearsFromToday } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: 'acme', role: 'hr' });
});
afterAll(() => api.close());

async function newPerson(idNumber = newIdNumber()) {
  const res = await hr.post('/people', { name: '测试', idNumber });
  expect(res.status).toBe(201);
  return { personId: res.body.personId as string, idNumber };
}

describe('entering certificates', () => {
  it('turns a person green at once and stores the status with them (T+0)', async () => {
    const { personId } = await newPerson();
    const res = await hr.post(`/people/${personId}/certificates`, samrCertificate(400));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ personId, scheme: 'SAMR', category: 'N1', reviewDueOn: null });
    expect((await hr.get(`/people/${personId}`)).body).toMatchObject({
      color: 'green',
      gateAccess: 'allowed',
      dispatch: 'allowed',
    });
  });

  it('shows per-certificate colour, days left and reasons in the status', async () => {
    const { personId } = await newPerson();
    const cert = (await hr.post(`/people/${personId}/certificates`, samrCertificate(45))).body;
    const status = await hr.get(`/people/${personId}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      personId,
      color: 'yellow',
      gateAccess: 'allowed',
      computedOn: today(),
      reasons: [{ code: 'expiring', certificateId: cert.certificateId, days: 45 }],
      certificates: [{ certificateId: cert.certificateId, color: 'yellow', daysLeft: 45, current: true }],
    });
    expect(status.body.reasons[0].detail).toContain('45');
  });

  it('freezes gate access and dispatch for an expired certificate', async () => {
    const { personId } = await newPerson();
    await hr.post(`/people/${personId}/certificates`, samrCertificate(-1));
    const status = (await hr.get(`/people/${personId}/status`)).body;
    expect(status).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      dispatch: 'frozen',
      reasons: [{ code: 'expired' }],
    });
  });

  it('defaults a MEM review to three years after issue and turns red when it is missed', async () => {
    const { personId, idNumber } = await newPerson();
    const res = await hr.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'electrical',
      subType: 'low_voltage',
      number: `T${idNumber}`,
      issuedOn: yearsFromToday(-3, -1),
      expiresOn: yearsFromToday(3, -2),
    });
    expect(res.status).toBe(201);
    expect(res.body.reviewDueOn).toBe(daysFromToday(-1));
    expect((await hr.get(`/people/${personId}/status`)).body.reasons[0].code).toBe('review_missed');
  });

  it('records a MEM review stamped on the card: the review-due yellow clears at once, and a late one is refused', async () => {
    const { personId, idNumber } = await newPerson();
    const cert = (
      await hr.post(`/people/${personId}/certificates`, {
        scheme: 'MEM',
        category: 'welding',
        number: `T${idNumber}`,
        issuedOn: yearsFromToday(-3, 20),
        expiresOn: yearsFromToday(3, 19), // 6 years less a day
      })
    ).body;
    expect(cert.reviewDueOn).toBe(daysFromToday(20));
    expect((await hr.get(`/people/${personId}/status`)).body).toMatchObject({
      color: 'yellow',
      reasons: [{ code: 'review_due_urgent' }],
    });
    const path = `/people/${personId}/certificates/${cert.certificateId}/stamps`;
    expect(
      (await hr.post(path, { kind: 'review', reviewedOn: daysFromToday(1) })).body.errors[0],
    ).toMatchObject({
      field: 'reviewedOn',
      code: 'date_in_future',
    });
    expect((await hr.post(path, { kind: 'extension', extendedOn: today() })).body.errors[0].code).toBe(
      'not_extendable',
    );
    const auditor = await api.as({ tenantId: 'acme', role: 'auditor' });
    expect((await auditor.post(path, { kind: 'review', reviewedOn: today() })).status).toBe(403);
    const stranger = await api.as({ tenantId: 'elsewhere', role: 'hr' });
    expect((await stranger.post(path, { kind: 'review', reviewedOn: today() })).status).toBe(404);
    expect(
      (
        await hr.post(`/people/${personId}/certificates/cer_01ARZ3NDEKTSV4RRFFQ69G5FAV/stamps`, {
          kind: 'review',
          reviewedOn: today(),
        })
      ).status,
    ).toBe(404);

    const reviewed = await hr.post(path, { kind: 'review', reviewedOn: today() });
    expect(reviewed.status).toBe(200);
    // The next review would fall on expiry: the renewal replaces it.
    expect(reviewed.body).toMatchObject({
      reviewDueOn: null,
      stamps: [{ kind: 'review', reviewedOn: today() }],
    });
    expect((await hr.get(`/people/${personId}/status`)).body.color).toBe('green');
    expect((await hr.post(path, { kind: 'review', reviewedOn: today() })).body.errors[0].code).toBe(
      'no_review_due',
    );
  });

  it('extends a MOHURD card by two years within its last three months', async () => {
    const { personId } = await newPerson();
    const cert = (
      await hr.post(`/people/${personId}/certificates`, {
        scheme: 'MOHURD',
        category: 'scaffolder',
        number: `JZ-${Date.now()}`,
        issuedOn: yearsFromToday(-2, 30),
        expiresOn: daysFromToday(29),
      })
    ).body;
    expect((await hr.get(`/people/${personId}/status`)).body.color).toBe('yellow');
    const res = await hr.post(`/people/${personId}/certificates/${cert.certificateId}/stamps`, {
      kind: 'extension',
      extendedOn: today(),
    });
    expect(res.status).toBe(200);
    expect(res.body.expiresOn).toBe(addYears(daysFromToday(29), 2));
    expect((await hr.get(`/people/${personId}/status`)).body.color).toBe('green');
  });

  it('never shows, stores or keys a MEM number in clear: it holds the ID number', async () => {
    const { personId, idNumber } = await newPerson();
    const created = await hr.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number: `t${idNumber.toLowerCase()}`,
      issuedOn: daysFromToday(-10),
      expiresOn: yearsFromToday(6, -11),
    });
    expect(created.status).toBe(201);
    const masked = `T${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`;
    expect(created.body.numberMasked).toBe(masked);
    const listed = await hr.get(`/people/${personId}/certificates`);
    expect(listed.body.items[0].numberMasked).toBe(masked);
    for (const body of [created.body, listed.body]) {
      expect(JSON.stringify(body)).not.toContain(idNumber.slice(4, 14));
    }
    // Neither the certificate item nor its guards (keys included) hold the number.
    const stored = JSON.stringify(await allItems());
    expect(stored).not.toContain(idNumber.slice(4, 14));
    // The same number again is still caught by the guard (it is keyed by the number's hash).
    const again = await hr.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number: `T${idNumber}`,
      issuedOn: daysFromToday(-10),
      expiresOn: yearsFromToday(6, -11),
    });
    expect(again.status).toBe(409);
  });

  it('refuses a MEM number that is not "T" + the holder’s ID number', async () => {
    const { personId } = await newPerson();
    const res = await hr.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number: `T${newIdNumber()}`,
      issuedOn: daysFromToday(-10),
      expiresOn: yearsFromToday(6, -11),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'number', code: 'mem_number_mismatch' }),
    ]);
  });

  it.each([
    [
      'expiresOn before issuedOn',
      { issuedOn: '2026-05-02', expiresOn: '2026-05-01' },
      'expiresOn',
      'expires_before_issued',
    ],
    [
      'a validity beyond the scheme’s 4 years',
      { issuedOn: '2026-01-01', expiresOn: '2030-01-02' },
      'expiresOn',
      'validity_too_long',
    ],
    ['a date that does not exist', { issuedOn: '2026-02-30' }, 'issuedOn', 'calendar_date'],
    ['a review due date that does not exist', { reviewDueOn: '2026-02-30' }, 'reviewDueOn', 'calendar_date'],
    ['a date with a time', { expiresOn: '2027-11-28T10:00' }, 'expiresOn', 'calendar_date'],
    ['an unknown SAMR item', { category: 'Z9' }, 'category', 'unknown_category'],
    ['an unknown scheme', { scheme: 'OSHA' }, 'scheme', 'invalid_value'],
  ])('answers 400 for %s', async (_, patch, field, code) => {
    const { personId } = await newPerson();
    const before = await allItems();
    const res = await hr.post(`/people/${personId}/certificates`, { ...samrCertificate(300), ...patch });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await allItems()).toHaveLength(before.length);
  });

  it('maps a 2011 SAMR code onto its 2019 item', async () => {
    const { personId } = await newPerson();
    const res = await hr.post(`/people/${personId}/certificates`, samrCertificate(300, { category: 'Q4' }));
    expect(res.body).toMatchObject({ category: 'Q2', categoryMappedFrom: 'Q4' });
  });

  it('refuses the same certificate entered twice (409), writing nothing', async () => {
    const { personId } = await newPerson();
    const cert = samrCertificate(300);
    expect((await hr.post(`/people/${personId}/certificates`, cert)).status).toBe(201);
    const before = await allItems();
    const again = await hr.post(`/people/${personId}/certificates`, cert);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('certificate_exists');
    expect(await allItems()).toHaveLength(before.length);
  });

  it('lets one number hold several items', async () => {
    const { personId, idNumber } = await newPerson();
    const base = {
      scheme: 'MEM',
      number: `T${idNumber}`,
      issuedOn: daysFromToday(-30),
      expiresOn: yearsFromToday(6, -31),
    };
    expect(
      (
        await hr.post(`/people/${personId}/certificates`, {
          ...base,
          category: 'electrical',
          subType: 'low_voltage',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await hr.post(`/people/${personId}/certificates`, {
          ...base,
          category: 'welding',
          subType: 'brazing',
        })
      ).status,
    ).toBe(201);
    expect((await hr.get(`/people/${personId}/certificates`)).body.items).toHaveLength(2);
  });

  it('answers 404 when the person belongs to another tenant, writing nothing', async () => {
    const { personId } = await newPerson();
    const other = await api.as({ tenantId: 'globex', role: 'hr' });
    const before = await allItems();
    expect((await other.post(`/people/${personId}/certificates`, samrCertificate(300))).status).toBe(404);
    expect(await allItems()).toHaveLength(before.length);
  });
});

describe('renewals (L4)', () => {
  it('keeps the old certificate in the history and reports the vacuum period as red while inside it', async () => {
    const { personId } = await newPerson();
    const old = (await hr.post(`/people/${personId}/certificates`, samrCertificate(-3))).body;
    const renewal = await hr.post(`/people/${personId}/certificates`, {
      ...samrCertificate(0),
      issuedOn: daysFromToday(2),
      expiresOn: yearsFromToday(4, 1),
      replacesCertificateId: old.certificateId,
    });
    expect(renewal.status).toBe(201);
    const status = (await hr.get(`/people/${personId}/status`)).body;
    expect(status).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      reasons: [{ code: 'vacuum_period', certificateId: renewal.body.certificateId }],
    });
    const renewed = status.certificates.find(
      (c: { certificateId: string }) => c.certificateId === renewal.body.certificateId,
    );
    expect(renewed.vacuumPeriod).toEqual({ from: daysFromToday(-2), to: daysFromToday(1) });
    const history = (await hr.get(`/people/${personId}/certificates`)).body.items;
    expect(history.map((c: { certificateId: string }) => c.certificateId)).toEqual([
      old.certificateId,
      renewal.body.certificateId,
    ]);
    expect(history[0].replacedByCertificateId).toBe(renewal.body.certificateId);
    expect(await auditTrail('acme', today())).toContainEqual(
      expect.objectContaining({ action: 'certificate.renew', entityId: renewal.body.certificateId }),
    );
  });

  it('refuses renewing a certificate twice (409) or with another item (400)', async () => {
    const { personId } = await newPerson();
    const old = (await hr.post(`/people/${personId}/certificates`, samrCertificate(20))).body;
    const renewal = {
      ...samrCertificate(0),
      issuedOn: daysFromToday(10),
      expiresOn: yearsFromToday(4, 9),
      replacesCertificateId: old.certificateId,
    };
    expect((await hr.post(`/people/${personId}/certificates`, renewal)).status).toBe(201);
    const twice = await hr.post(`/people/${personId}/certificates`, { ...renewal, number: 'TS-OTHER-1' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('certificate_already_renewed');
    const wrongItem = await hr.post(`/people/${personId}/certificates`, {
      ...renewal,
      category: 'Q1',
      number: 'TS-OTHER-2',
    });
    expect(wrongItem.status).toBe(400);
  });
});

describe('listing people by colour', () => {
  it('pages through exactly the people of one colour, across tenants never', async () => {
    const admin = await api.as({ tenantId: 'paging', role: 'group_admin' });
    const yellow: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = (await admin.post('/people', { name: `黄${i}`, idNumber: newIdNumber() })).body.personId;
      await admin.post(`/people/${p}/certificates`, samrCertificate(30 + i));
      yellow.push(p);
    }
    const green = (await admin.post('/people', { name: '绿', idNumber: newIdNumber() })).body.personId;
    await admin.post(`/people/${green}/certificates`, samrCertificate(500));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await admin.get(`/people?color=yellow&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((p: { personId: string; color: string }) => p.personId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([...yellow].sort());
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(
      (await admin.get('/people?color=green')).body.items.map((p: { personId: string }) => p.personId),
    ).toEqual([green]);
  });

  it('refuses a cursor forged for another tenant’s partition with 400', async () => {
    const admin = await api.as({ tenantId: 'paging', role: 'group_admin' });
    const forged = Buffer.from(
      JSON.stringify({ gsi1pk: 'T#acme#PEOPLE', gsi1sk: 'COLOR#red#PERSON#x', pk: 'x', sk: 'y' }),
    ).toString('base64url');
    const res = await admin.get(`/people?cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_cursor');
    expect((await admin.get('/people?color=purple')).status).toBe(400);
  });
});

describe('tenant thresholds', () => {
  it('recolours a person on the next status read after the thresholds change', async () => {
    const admin = await api.as({ tenantId: 'thresholds', role: 'group_admin' });
    const p = (await admin.post('/people', { name: '阈', idNumber: newIdNumber() })).body.personId;
    await admin.post(`/people/${p}/certificates`, samrCertificate(80));
    expect((await admin.get(`/people/${p}`)).body.color).toBe('green');
    const bad = await admin.put('/settings/status-thresholds', {
      reminderDays: 30,
      yellowDays: 90,
      escalateDays: 10,
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await admin.put('/settings/status-thresholds', {
          reminderDays: 120,
          yellowDays: 90,
          escalateDays: 45,
        })
      ).status,
    ).toBe(200);
    expect((await admin.get(`/people/${p}/status`)).body.color).toBe('yellow');
    expect((await admin.get(`/people/${p}`)).body.color).toBe('yellow');
    const hrOther = await api.as({ tenantId: 'thresholds', role: 'hr' });
    expect(
      (
        await hrOther.put('/settings/status-thresholds', {
          reminderDays: 90,
          yellowDays: 60,
          escalateDays: 30,
        })
      ).status,
    ).toBe(403);
  });
});

describe('the clock (a certificate that expires at midnight, China time)', () => {
  it('is valid through its expiry day at 23:59 and red at 00:00, though UTC still shows the same day', async () => {
    const { personId } = await newPerson();
    expect(
      (
        await hr.post(`/people/${personId}/certificates`, {
          scheme: 'SAMR',
          category: 'N1',
          number: `TS-MIDNIGHT-${Date.now()}`,
          issuedOn: '2023-03-02',
          expiresOn: '2027-03-01',
        })
      ).status,
    ).toBe(201);
    const { allAdapters } = await import('../../functions/composition-root.ts');
    const { currentStatus } = await import('../../functions/certificates/certificates.ts');
    const { fixedClock } = await import('../../functions/shared/clock.ts');
    const principal = { subject: 'clock-test', tenantId: 'acme', role: 'hr' as const, siteIds: [] };
    const at = (instant: string) =>
      currentStatus({ ...allAdapters(), clock: fixedClock(instant) }, principal, personId, 'clock-test');
    const lastMinute = await at('2027-03-01T23:59:00+08:00');
    expect(lastMinute.color).not.toBe('red');
    expect(lastMinute.gateAccess).toBe('allowed');
    // 00:00 in Shanghai is 16:00 UTC on 1 March: a UTC day count would still say valid.
    const midnight = await at('2027-03-02T00:00:00+08:00');
    expect(midnight).toMatchObject({ color: 'red', gateAccess: 'frozen' });
    expect(midnight.reasons.map((r) => r.code)).toContain('expired');
  });
});
