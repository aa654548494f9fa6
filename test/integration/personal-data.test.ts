// A person's data rights over the API (issue 28, PIPL Art. 44–47): a copy that opens and
// holds their records and images; a deletion request answered by what the law lets go
// (nothing of the records while they work here; channels and face images once they left);
// the retention erasure that anonymises a leaver and frees their ID and certificate for a
// later registration; and who may ask.
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyDeps } from '../../functions/composition-root.ts';
import { eraseExpiredLeavers } from '../../functions/privacy/personal-data.ts';
import { addYears } from '../../functions/shared/calendar.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate, storedEvidence } from '../support/fixtures.ts';

const TENANT = 'rights';
let api: TestApi;
let hr: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  // A tenant with a site is one the scheduled jobs visit.
  await admin.post('/sites', { name: '宁波', code: 'NB', location: { lat: 29.9, lng: 121.6 } });
});
afterAll(() => api.close());

async function person(name = '陈静') {
  const idNumber = newIdNumber();
  const personId = (await hr.post('/people', { name, idNumber, phone: '13900139000' })).body
    .personId as string;
  const certificate = samrCertificate(300);
  expect((await hr.post(`/people/${personId}/certificates`, certificate)).status).toBe(201);
  await hr.raw('PUT', `/people/${personId}/bindings`, JSON.stringify({ wecomUserId: `cj-${personId}` }), {
    'content-type': 'application/json',
  });
  await storedEvidence(TENANT, personId, 'face', 'onb_1/id_card.jpg');
  await storedEvidence(TENANT, personId, 'documents', 'onb_1/certificate.jpg');
  return { personId, idNumber, certificate };
}

const depart = async (personId: string, leftOn: string) => {
  const etag = (await hr.get(`/people/${personId}`)).headers.get('etag') as string;
  const r = await hr.raw(
    'POST',
    `/people/${personId}/departure`,
    JSON.stringify({ leftOn, reason: '离职' }),
    {
      'content-type': 'application/json',
      'if-match': etag,
    },
  );
  expect(r.status).toBe(200);
};

describe('a copy of a person’s data', () => {
  it('opens as a ZIP holding their records (no hashes, no keys) and their images', async () => {
    const { personId } = await person();
    const made = await hr.post(`/people/${personId}/data-export`, {});
    expect(made.status).toBe(201);
    expect(made.body.records).toMatchObject({ profile: 1, certificates: 1, bindings: 1 });
    expect(Date.parse(made.body.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    const zip = unzipSync(new Uint8Array(await (await fetch(made.body.url)).arrayBuffer()));
    const names = Object.keys(zip).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'README.txt',
        'records/profile.json',
        'records/certificates.json',
        'records/status_history.json',
        'images/face/onb_1_id_card.jpg',
        'images/documents/onb_1_certificate.jpg',
      ]),
    );
    const json = (name: string) => JSON.parse(new TextDecoder().decode(zip[name]));
    expect(json('records/profile.json')[0]).toMatchObject({ personId, name: '陈静', phone: '13900139000' });
    const text = names.filter((n) => n.endsWith('.json')).map((n) => new TextDecoder().decode(zip[n]));
    for (const t of text)
      expect(t).not.toMatch(/"(pk|sk|gsi\d(pk|sk)|idHash|numberHash|numberCipher|pseudonym)"/);
    expect(zip['images/face/onb_1_id_card.jpg']).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    const trail = await admin.get(`/audit?entityId=${personId}&action=person.data_export&limit=10`);
    expect(trail.body.items).toHaveLength(1);
  });

  it('is the person’s own from their account; another person’s, another tenant’s and a site manager are refused', async () => {
    const { personId } = await person();
    const other = await person('王刚');
    const worker = await api.as({ tenantId: TENANT, role: 'worker', personId });
    expect((await worker.post(`/people/${personId}/data-export`, {})).status).toBe(201);
    expect((await worker.post(`/people/${other.personId}/data-export`, {})).status).toBe(404);
    expect((await worker.post(`/people/${other.personId}/data-deletion`, {})).status).toBe(404);
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: ['site_x'] });
    expect((await manager.post(`/people/${personId}/data-export`, {})).status).toBe(403);
    const elsewhere = await api.as({ tenantId: `${TENANT}-x`, role: 'hr' });
    expect((await elsewhere.post(`/people/${personId}/data-export`, {})).status).toBe(404);
  });
});

describe('a deletion request', () => {
  it('keeps the records of someone who works here, and says why', async () => {
    const { personId } = await person();
    const answer = await hr.post(`/people/${personId}/data-deletion`, { reason: '本人申请' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ erased: false, deleted: [] });
    expect(answer.body.kept.map((k: { basis: string }) => k.basis)).toEqual([
      'mem_order_30_records',
      'accountability',
    ]);
    expect((await hr.get(`/people/${personId}`)).body.name).toBe('陈静');
  });

  it('of a leaver within retention drops their channels and face images, keeps the records until the day', async () => {
    const { personId } = await person();
    await depart(personId, daysFromToday(0));
    const answer = await hr.post(`/people/${personId}/data-deletion`, {});
    expect(answer.body.erased).toBe(false);
    // The departure dropped the channels already: the face images go now.
    expect(answer.body.deleted).toEqual([expect.objectContaining({ category: 'images', count: 1 })]);
    expect(answer.body.kept[0]).toMatchObject({
      basis: 'mem_order_30_records',
      until: addYears(daysFromToday(0), 3),
    });
    const copy = await hr.post(`/people/${personId}/data-export`, {});
    expect(copy.body.files.map((f: { name: string }) => f.name)).toContain(
      'images/documents/onb_1_certificate.jpg',
    );
    expect(copy.body.files.map((f: { name: string }) => f.name)).not.toContain(
      'images/face/onb_1_id_card.jpg',
    );
  });
});

describe('the retention erasure', () => {
  it('anonymises a leaver past retention and frees their ID number and certificate', async () => {
    const { personId, idNumber, certificate } = await person('赵磊');
    await depart(personId, daysFromToday(0));
    expect((await admin.put('/settings/record-retention', { leaverYears: 2 })).status).toBe(400);
    expect((await admin.get('/settings/record-retention')).body).toEqual({ leaverYears: 3 });
    const day = addYears(daysFromToday(0), 3);
    // The job as the jobs function runs it, over this tenant only: every tenant of the shared
    // emulator would make it a scan of the whole test table (moto reads an index by scanning).
    const run = await asFunction('jobs', () =>
      eraseExpiredLeavers({ ...privacyDeps(), tenants: async () => [TENANT] }, day),
    );
    // Both of this tenant's leavers (the one above too) are past retention that day.
    expect(run).toEqual({ erased: 2, checked: 2 });
    const erased = (await hr.get(`/people/${personId}`)).body;
    expect(erased).toMatchObject({ name: '已删除', idNumberMasked: '已删除', erasedAt: expect.any(String) });
    expect(erased.phoneMasked).toBeUndefined();
    // Still counted among the leavers, as a figure.
    const leavers = (await hr.get('/people?status=departed&limit=100')).body.items;
    expect(leavers.map((p: { personId: string }) => p.personId)).toContain(personId);
    // The same ID number and certificate may be registered again, as a new person.
    const again = await hr.post('/people', { name: '赵磊', idNumber });
    expect(again.status).toBe(201);
    expect((await hr.post(`/people/${again.body.personId}/certificates`, certificate)).status).toBe(201);
    const answer = await hr.post(`/people/${personId}/data-deletion`, {});
    expect(answer.body).toMatchObject({ erased: true, deleted: [] });
    const trail = await admin.get(`/audit?entityId=${personId}&action=person.erase&limit=10`);
    expect(trail.body.items).toHaveLength(1);
    const copy = await hr.post(`/people/${personId}/data-export`, {});
    expect(copy.body.files.some((f: { name: string }) => f.name.startsWith('images/'))).toBe(false);
  });
});
