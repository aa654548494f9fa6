// Correcting and voiding certificates over the API (issue 28): the ETag of one certificate,
// PATCH with If-Match (428/412), the holder's status following in the same transaction, the
// number's guard moved (the old number free, another certificate's refused), voiding kept in
// the history and audited — against the emulator's DynamoDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../functions/shared/calendar.ts';
import { type ApiClient, allItems, auditTrail, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate, yearsFromToday } from '../support/fixtures.ts';

const TENANT = 'cert-fixes';
let api: TestApi;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
});
afterAll(() => api.close());

async function personWith(cert: Record<string, unknown>) {
  const personId = (await hr.post('/people', { name: '李强', idNumber: newIdNumber() })).body
    .personId as string;
  const created = await hr.post(`/people/${personId}/certificates`, cert);
  expect(created.status).toBe(201);
  return { personId, certificateId: created.body.certificateId as string };
}
const send = (method: string, path: string, body: unknown, etag?: string) =>
  hr.raw(method, path, JSON.stringify(body), {
    'content-type': 'application/json',
    ...(etag ? { 'if-match': etag } : {}),
  });
const colour = async (personId: string) => (await hr.get(`/people/${personId}`)).body.color as string;

describe('correcting a certificate', () => {
  it('corrects a mistyped expiry with the ETag read: the holder turns green at once', async () => {
    const { personId, certificateId } = await personWith(
      samrCertificate(-3, { issuedOn: daysFromToday(-400) }),
    );
    expect(await colour(personId)).toBe('red');
    const path = `/people/${personId}/certificates/${certificateId}`;
    const read = await hr.get(path);
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag') as string;
    expect(etag).toBe('"v1"');
    expect((await send('PATCH', path, { expiresOn: yearsFromToday(2) })).status).toBe(428);
    const fixed = await send('PATCH', path, { expiresOn: yearsFromToday(2), reason: '有效期录错' }, etag);
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('etag')).toBe('"v2"');
    expect(fixed.body).toMatchObject({ certificateId, expiresOn: yearsFromToday(2), verification: null });
    expect(await colour(personId)).toBe('green');
    // Audited with what moved and why.
    const audited = (await auditTrail(TENANT, todayInShanghai())).find(
      (a) => a.action === 'certificate.correct' && a.entityId === certificateId,
    );
    expect(audited?.details).toMatchObject({ reason: '有效期录错', after: { expiresOn: yearsFromToday(2) } });
    const stale = await send('PATCH', path, { authority: '宁波市' }, etag);
    expect(stale.status).toBe(412);
  });

  it('moves the number: the old one may be entered again, another certificate’s is refused (409)', async () => {
    const first = samrCertificate(400);
    const { personId, certificateId } = await personWith(first);
    const other = samrCertificate(400);
    await hr.post(`/people/${personId}/certificates`, other);
    const path = `/people/${personId}/certificates/${certificateId}`;
    const taken = await send('PATCH', path, { number: other.number }, '"v1"');
    expect(taken.status).toBe(409);
    const moved = await send('PATCH', path, { number: `${first.number}-A` }, '"v1"');
    expect(moved.status).toBe(200);
    expect((await hr.post(`/people/${personId}/certificates`, first)).status).toBe(201);
  });

  it('refuses corrections that break the certificate’s rules (400), writing nothing', async () => {
    const { personId, certificateId } = await personWith(samrCertificate(400));
    const path = `/people/${personId}/certificates/${certificateId}`;
    const before = await allItems();
    for (const body of [
      {},
      { reason: '只有理由' },
      { category: 'welding' },
      { expiresOn: daysFromToday(-4000) },
      { expiresOn: yearsFromToday(12) },
      { scheme: 'MEM', category: 'welding' },
      { issuedOn: '2025-02-30' },
      { numberMasked: 'x' },
    ]) {
      expect((await send('PATCH', path, body, '"v1"')).status, JSON.stringify(body)).toBe(400);
    }
    expect(await allItems()).toEqual(before);
  });
});

describe('voiding a certificate entered in error', () => {
  it('keeps it in the history, stops counting it, frees its number and audits why', async () => {
    const cert = samrCertificate(400);
    const { personId, certificateId } = await personWith(cert);
    expect(await colour(personId)).toBe('green');
    const path = `/people/${personId}/certificates/${certificateId}`;
    const subAdmin = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: ['site_x00000000'] });
    expect(
      (
        await subAdmin.raw('POST', `${path}/void`, JSON.stringify({ reason: '录错' }), {
          'content-type': 'application/json',
          'if-match': '"v1"',
        })
      ).status,
    ).toBe(403);
    expect((await send('POST', `${path}/void`, { reason: '录入错误，非本人证书' })).status).toBe(428);
    const voided = await send('POST', `${path}/void`, { reason: '录入错误，非本人证书' }, '"v1"');
    expect(voided.status).toBe(200);
    expect(voided.body.voided).toMatchObject({ reason: '录入错误，非本人证书' });
    expect(await colour(personId)).toBe('red');
    const listed = (await hr.get(`/people/${personId}/certificates`)).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0].voided.reason).toBe('录入错误，非本人证书');
    expect((await send('POST', `${path}/void`, { reason: '再次' }, '"v2"')).status).toBe(409);
    expect((await hr.post(`/people/${personId}/certificates`, cert)).status).toBe(201);
    expect(await colour(personId)).toBe('green');
    const auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
    const trail = await auditor.get(`/audit?action=certificate.void&entityId=${certificateId}`);
    expect(trail.body.items[0]).toMatchObject({
      actionName: '作废误录证书',
      details: { reason: '录入错误，非本人证书' },
    });
    const other = await api.as({ tenantId: `${TENANT}-other`, role: 'group_admin' });
    expect((await other.get(path)).status).toBe(404);
  });
});
