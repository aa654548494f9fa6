// Correcting and voiding certificates (issue 28) against in-memory fakes of the ports: the
// corrected whole checked as a new certificate would be, the status recomputed with it, the
// registry's stale answer dropped, the version rule, who may do what, and voiding — kept in
// the history, no longer counted, its number free to be entered again.
import { describe, expect, it } from 'vitest';
import { addCertificate, listCertificates } from '../../functions/certificates/certificates.ts';
import {
  type CertificateChanges,
  correctCertificate,
  voidCertificate,
} from '../../functions/certificates/corrections.ts';
import type { CertificateRecord } from '../../functions/domain/certificate.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Principal } from '../../functions/shared/auth/principal.ts';
import { addDays, addYears } from '../../functions/shared/calendar.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'acme';
const as = callerIn(TENANT);
const hr = as('hr');

async function world() {
  const w = recordFakes('2026-06-01T02:00:00Z');
  const today = w.clock.today();
  const idNumber = newIdNumber();
  const person = await registerPerson(w, hr, { name: '张伟', idNumber }, 'req-p');
  const welding = (issuedOn = addYears(today, -1), more: Record<string, unknown> = {}) => ({
    scheme: 'MEM' as const,
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn,
    expiresOn: addDays(addYears(issuedOn, 6), -1),
    ...more,
  });
  const forklift = (more: Record<string, unknown> = {}) => ({
    scheme: 'SAMR' as const,
    category: 'N1',
    number: 'TS-N1-0001',
    issuedOn: addYears(today, -1),
    expiresOn: addYears(today, 3),
    ...more,
  });
  const add = (body: ReturnType<typeof welding> | ReturnType<typeof forklift>) =>
    addCertificate(w, hr, person.personId, body, 'req-add');
  const correct = (
    cert: CertificateRecord,
    changes: CertificateChanges,
    principal: Principal = hr,
    version = cert.version ?? 1,
  ) => correctCertificate(w, principal, person.personId, cert.certificateId, changes, version, 'req-fix');
  const voidIt = (cert: CertificateRecord, principal: Principal = hr, version = cert.version ?? 1) =>
    voidCertificate(w, principal, person.personId, cert.certificateId, '录入错误', version, 'req-void');
  const colour = async () => (await w.people.get(TENANT, person.personId))?.status.color;
  return { ...w, today, person, idNumber, welding, forklift, add, correct, voidIt, colour };
}

describe('correcting a certificate (use case, fakes)', () => {
  it('corrects an expiry typed wrongly: the holder’s status follows in the same write, the registry is asked again', async () => {
    const w = await world();
    const cert = await w.add(w.forklift({ expiresOn: addDays(w.today, -1) }));
    expect(await w.colour()).toBe('red');
    w.records.certificates.get(`${TENANT}#${w.person.personId}#${cert.certificateId}`)!.verification = {
      lastAttemptAt: '2026-05-01T00:00:00Z',
      lastAttemptResult: 'mismatch',
    };
    const { certificate, recheck } = await w.correct(
      { ...cert },
      { expiresOn: addYears(w.today, 3), reason: '有效期录错' },
    );
    expect(certificate).toMatchObject({ expiresOn: addYears(w.today, 3), version: 2 });
    expect(certificate.verification).toBeUndefined();
    expect(recheck).toBe(true);
    expect(await w.colour()).toBe('green');
    expect(w.records.history.at(-1)).toMatchObject({
      from: 'red',
      to: 'green',
      cause: 'certificate.correct',
    });
    expect(w.records.audit.at(-1)).toMatchObject({
      action: 'certificate.correct',
      entityId: cert.certificateId,
      reason: '有效期录错',
    });
  });

  it('keeps the registry’s answer when only the authority changes', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    const { certificate, recheck } = await w.correct(cert, { authority: '宁波市市场监督管理局' });
    expect(certificate.authority).toBe('宁波市市场监督管理局');
    expect(recheck).toBe(false);
    const cleared = await w.correct(certificate, { authority: null });
    expect(cleared.certificate.authority).toBeUndefined();
  });

  it('moves a review date defaulted from the issue date along with it (MEM: issue + 3 years)', async () => {
    const w = await world();
    const cert = await w.add(w.welding());
    const issuedOn = addYears(w.today, -2);
    const { certificate } = await w.correct(cert, {
      issuedOn,
      expiresOn: addDays(addYears(issuedOn, 6), -1),
    });
    expect(certificate.reviewDueOn).toBe(addYears(issuedOn, 3));
  });

  it('moves a defaulted review date when the interval is extended, and when only the expiry moves it past the review', async () => {
    const w = await world();
    const cert = await w.add(w.welding());
    const extended = await w.correct(cert, { reviewIntervalExtended: true });
    // Extended (MEM: 6 years) the review falls on the expiry: the renewal replaces it.
    expect(extended.certificate).toMatchObject({ reviewIntervalExtended: true, reviewDueOn: null });
    const back = await w.correct(extended.certificate, { reviewIntervalExtended: false });
    expect(back.certificate.reviewDueOn).toBe(addYears(cert.issuedOn, 3));
    // An expiry before the 3-year review: the review goes, as for a new card.
    const shorter = await w.correct(back.certificate, { expiresOn: addYears(cert.issuedOn, 2) });
    expect(shorter.certificate.reviewDueOn).toBeNull();
  });

  it('judges the holder by every certificate in force but never by a voided one', async () => {
    const w = await world();
    // An expired card entered in error and voided: it no longer counts.
    const voided = await w.add(w.forklift({ number: 'TS-N1-0009', expiresOn: addDays(w.today, -1) }));
    await w.voidIt(voided);
    const valid = await w.add(w.forklift());
    const expired = await w.add(w.forklift({ number: 'TS-N1-0002', expiresOn: addDays(w.today, -1) }));
    expect(await w.colour()).toBe('red');
    // Changing the valid card leaves the expired one counted: still red.
    await w.correct(valid, { authority: '宁波市' });
    expect(await w.colour()).toBe('red');
    // The expired one corrected to a valid expiry: green (the voided, expired card plays no part).
    await w.correct(expired, { expiresOn: addYears(w.today, 3) });
    expect(await w.colour()).toBe('green');
  });

  it('answers 404 for a certificate the person does not have and 412 with its code for an old version', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    await expect(w.correct({ ...cert, certificateId: 'cer_nope' }, { authority: 'x' })).rejects.toMatchObject(
      {
        status: 404,
        detailCode: 'certificate_not_found',
      },
    );
    await expect(w.correct(cert, { authority: 'x' }, hr, 7)).rejects.toMatchObject({
      status: 412,
      detailCode: 'stale_version',
    });
  });

  it('changes nothing and keeps the version when the values are the ones it has', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    const same = await w.correct(cert, { category: 'N1', expiresOn: cert.expiresOn });
    expect(same).toEqual({ certificate: cert, recheck: false });
    expect(w.records.audit.filter((a) => a.action === 'certificate.correct')).toEqual([]);
  });

  it.each<[string, (w: Awaited<ReturnType<typeof world>>) => CertificateChanges, string, string]>([
    ['a category the scheme does not have', () => ({ category: 'welding' }), 'category', 'unknown_category'],
    [
      'an expiry before the issue date',
      (w) => ({ expiresOn: addYears(w.today, -2) }),
      'expiresOn',
      'expires_before_issued',
    ],
    [
      'a validity longer than the scheme allows',
      (w) => ({ expiresOn: addYears(w.today, 10) }),
      'expiresOn',
      'validity_too_long',
    ],
    [
      'a review date outside the validity',
      (w) => ({ reviewDueOn: addYears(w.today, 9) }),
      'reviewDueOn',
      'review_outside_validity',
    ],
    [
      'a MEM scheme whose number is not T + the ID number',
      () => ({ scheme: 'MEM', category: 'welding' }),
      'number',
      'mem_number_mismatch',
    ],
  ])('refuses %s (400), changing nothing', async (_, changes, field, code) => {
    const w = await world();
    const cert = await w.add(w.forklift());
    const before = structuredClone(w.records.certificates);
    await expect(w.correct(cert, changes(w))).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field, code }],
    });
    expect(w.records.certificates).toEqual(before);
  });

  it('refuses a correction of an older version (412) and details another certificate has (409)', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    await w.add(w.forklift({ number: 'TS-N1-0002' }));
    await w.correct(cert, { authority: '宁波市' });
    await expect(w.correct(cert, { authority: '杭州市' })).rejects.toMatchObject({ status: 412 });
    const current = (await w.certificates.listForPerson(TENANT, w.person.personId)).find(
      (c) => c.certificateId === cert.certificateId,
    ) as CertificateRecord;
    await expect(w.correct(current, { number: 'TS-N1-0002' })).rejects.toMatchObject({
      status: 409,
      detailCode: 'certificate_exists',
    });
  });

  it.each<[string, Principal, number]>([
    ['a site manager', as('site_manager', { siteIds: ['site_a'] }), 403],
    ['an auditor', as('auditor'), 403],
    ['a worker', as('worker'), 403],
    ['another tenant’s admin', callerIn('other')('group_admin'), 404],
  ])('refuses %s', async (_, principal, status) => {
    const w = await world();
    const cert = await w.add(w.forklift());
    await expect(w.correct(cert, { authority: 'x' }, principal)).rejects.toMatchObject({ status });
    await expect(w.voidIt(cert, principal)).rejects.toMatchObject({ status });
  });
});

describe('voiding a certificate entered in error (use case, fakes)', () => {
  it('keeps it in the history, stops counting it (the holder turns red), and frees its number', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    expect(await w.colour()).toBe('green');
    const voided = await w.voidIt(cert);
    expect(voided.voided).toEqual({ at: w.clock.now().toISOString(), by: 'hr-1', reason: '录入错误' });
    expect(await w.colour()).toBe('red');
    expect(w.records.history.at(-1)).toMatchObject({ to: 'red', cause: 'certificate.void' });
    expect(await w.certificates.listForPerson(TENANT, w.person.personId)).toEqual([]);
    expect((await listCertificates(w, hr, w.person.personId)).map((c) => c.voided?.reason)).toEqual([
      '录入错误',
    ]);
    await expect(w.add(w.forklift())).resolves.toMatchObject({ numberHash: cert.numberHash });
    expect(await w.colour()).toBe('green');
  });

  it('refuses to void twice or to correct a voided certificate (409), and a subcontractor admin (403)', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    const sub = as('subcontractor', { subcontractorId: 'sub_a' });
    await expect(w.voidIt(cert, sub)).rejects.toMatchObject({ status: 403 });
    const voided = await w.voidIt(cert);
    await expect(w.voidIt(voided)).rejects.toMatchObject({ status: 409, detailCode: 'certificate_voided' });
    await expect(w.correct(voided, { authority: 'x' })).rejects.toMatchObject({ status: 409 });
  });

  it('lets the card a voided renewal claimed to renew be renewed again', async () => {
    const w = await world();
    const old = await w.add(w.forklift());
    const renewal = await w.add(
      w.forklift({
        number: 'TS-N1-0009',
        replacesCertificateId: old.certificateId,
        issuedOn: w.today,
        expiresOn: addYears(w.today, 4),
      }),
    );
    await expect(
      w.add(
        w.forklift({
          number: 'TS-N1-0011',
          replacesCertificateId: old.certificateId,
          issuedOn: w.today,
          expiresOn: addYears(w.today, 4),
        }),
      ),
    ).rejects.toMatchObject({ status: 409, detailCode: 'certificate_already_renewed' });
    await w.voidIt(renewal);
    const again = await w.add(
      w.forklift({
        number: 'TS-N1-0010',
        replacesCertificateId: old.certificateId,
        issuedOn: w.today,
        expiresOn: addYears(w.today, 4),
      }),
    );
    expect(again.replacesCertificateId).toBe(old.certificateId);
  });
});

describe('correcting a certificate, in detail (use case, fakes)', () => {
  it('checks the MEM number when a card becomes MEM, and gives it the new scheme’s review date', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    const expiresOn = addDays(addYears(cert.issuedOn, 6), -1);
    const { certificate, recheck } = await w.correct(cert, {
      scheme: 'MEM',
      category: 'welding',
      number: `T${w.idNumber}`,
      expiresOn,
    });
    expect(certificate).toMatchObject({
      scheme: 'MEM',
      category: 'welding',
      reviewDueOn: addYears(cert.issuedOn, 3),
    });
    expect(certificate.numberHash).not.toBe(cert.numberHash);
    expect(recheck).toBe(true);
  });

  it('moves a defaulted review date with the issue date alone', async () => {
    const w = await world();
    const cert = await w.add(w.welding());
    const later = addDays(cert.issuedOn, 30);
    const { certificate } = await w.correct(cert, { issuedOn: later });
    expect(certificate.reviewDueOn).toBe(addYears(later, 3));
  });

  it('reads a MEM card’s stored number only when its scheme or number changes, and refuses a wrong new one', async () => {
    const w = await world();
    const cert = await w.add(w.welding());
    let revealed = 0;
    const numbers = Object.create(w.numbers, {
      reveal: {
        value: (tenantId: string, cipher: string) => {
          revealed += 1;
          return w.numbers.reveal(tenantId, cipher);
        },
      },
    });
    const deps = { ...w, numbers };
    const fixed = await correctCertificate(
      deps,
      hr,
      w.person.personId,
      cert.certificateId,
      { authority: '应急管理局' },
      1,
      'r',
    );
    expect(fixed.certificate.authority).toBe('应急管理局');
    expect(revealed).toBe(0);
    await expect(
      correctCertificate(
        deps,
        hr,
        w.person.personId,
        cert.certificateId,
        { number: `T${newIdNumber()}` },
        2,
        'r',
      ),
    ).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'number', code: 'mem_number_mismatch' }] });
  });

  it('takes the number typed again as no change, and a new number as one for the registry', async () => {
    const w = await world();
    const cert = await w.add(w.forklift());
    expect(await w.correct(cert, { number: 'TS-N1-0001' })).toEqual({ certificate: cert, recheck: false });
    const { certificate, recheck } = await w.correct(cert, { number: 'TS-N1-0003' });
    expect(recheck).toBe(true);
    expect(certificate.numberHash).toBe(await w.numbers.hash('TS-N1-0003'));
    expect(certificate.numberMasked).not.toBe(cert.numberMasked);
    expect('authority' in certificate).toBe(false);
  });

  it('keeps the 2011 item code a card was entered with, and its sub-type until cleared', async () => {
    const w = await world();
    const crane = await w.add(w.forklift({ category: 'Q4', number: 'TS-Q-0001' }));
    const fixed = await w.correct(crane, { authority: '宁波市' });
    expect(fixed.certificate).toMatchObject({ category: 'Q2', categoryMappedFrom: 'Q4' });
    const welding = await w.add(w.welding(undefined, { subType: 'fusion_welding' }));
    const kept = await w.correct(welding, { authority: '宁波市' });
    expect(kept.certificate.subType).toBe('fusion_welding');
    const cleared = await w.correct(kept.certificate, { subType: null });
    expect('subType' in cleared.certificate).toBe(false);
    await expect(w.correct(cleared.certificate, { subType: 'underwater' })).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field: 'subType', code: 'unknown_sub_type' }],
    });
  });

  it('keeps the registry’s answer and the authority when a field the registry does not check changes', async () => {
    const w = await world();
    const cert = await w.add(w.forklift({ authority: '宁波市' }));
    const stored = w.records.certificates.get(`${TENANT}#${w.person.personId}#${cert.certificateId}`);
    if (stored)
      stored.verification = { lastAttemptAt: '2026-05-01T00:00:00Z', lastAttemptResult: 'match' } as never;
    const { certificate, recheck } = await w.correct({ ...cert }, { reviewDueOn: addYears(w.today, 1) });
    expect(recheck).toBe(false);
    expect(certificate).toMatchObject({ authority: '宁波市', reviewDueOn: addYears(w.today, 1) });
    expect(certificate.verification).toMatchObject({ lastAttemptResult: 'match' });
  });
});
