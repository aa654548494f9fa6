// Correcting a person over the API (issue 28): GET /people/{id} gives the version as an ETag,
// PATCH /people/{id} needs If-Match with it (428 without, 412 when stale); the lists by site
// and by subcontractor follow the correction, the gate's masked name too, the ID number is
// corrected only by a group admin with a reason, and every correction is audited, masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { type ApiClient, allItems, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, newSubcontractor } from '../support/fixtures.ts';

const TENANT = 'person-fixes';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteA: string;
let siteB: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  const site = async (code: string) =>
    (await admin.post('/sites', { name: code, code, location: { lat: 30, lng: 121 } })).body.siteId as string;
  siteA = await site('PF-A');
  siteB = await site('PF-B');
});
afterAll(() => api.close());

const register = async (body: Record<string, unknown> = {}) => {
  const idNumber = newIdNumber();
  const res = await hr.post('/people', { name: '张伟', idNumber, homeSiteId: siteA, ...body });
  expect(res.status).toBe(201);
  return { personId: res.body.personId as string, idNumber };
};
const patch = (client: ApiClient, personId: string, body: unknown, etag?: string) =>
  client.raw('PATCH', `/people/${personId}`, JSON.stringify(body), {
    'content-type': 'application/json',
    ...(etag ? { 'if-match': etag } : {}),
  });
const listed = async (query: string) =>
  ((await admin.get(`/people?${query}&limit=100`)).body.items as { personId: string }[]).map(
    (p) => p.personId,
  );

describe('correcting a person', () => {
  it('reads the ETag and corrects name, phone, staff number and home site; the lists and the gate follow', async () => {
    const { personId } = await register({ phone: '13900002222' });
    const read = await hr.get(`/people/${personId}`);
    expect(read.headers.get('etag')).toBe('"v1"');
    const res = await patch(
      hr,
      personId,
      { name: '张玮', phone: '13800001111', employeeId: 'ZH-0042', homeSiteId: siteB },
      '"v1"',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"v2"');
    expect(res.body).toMatchObject({
      personId,
      name: '张玮',
      formerNamesMasked: ['张*'],
      phoneMasked: '138****1111',
      employeeId: 'ZH-0042',
      homeSiteId: siteB,
    });
    expect(res.body.updatedAt).toEqual(expect.any(String));
    expect(await listed(`siteId=${siteB}`)).toContain(personId);
    expect(await listed(`siteId=${siteA}`)).not.toContain(personId);
    const gate = keys.gateView(TENANT, personId);
    expect((await getItem(gate.pk, gate.sk))?.nameMasked).toBe('张*');
    const cleared = await patch(hr, personId, { homeSiteId: null, phone: null }, '"v2"');
    expect(cleared.status).toBe(200);
    expect(cleared.body.homeSiteId).toBeUndefined();
    expect(cleared.body.phoneMasked).toBeUndefined();
    expect(await listed(`siteId=${siteB}`)).not.toContain(personId);
    expect(await listed('color=red')).toContain(personId);
  });

  it('moves a worker to a subcontractor: the subcontractor’s list has them, its admin may now correct them', async () => {
    const subA = await newSubcontractor(admin, '甲劳务');
    const { personId } = await register();
    const moved = await patch(
      admin,
      personId,
      { employer: { type: 'subcontractor', subcontractorId: subA } },
      '"v1"',
    );
    expect(moved.status).toBe(200);
    const subAdmin = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId: subA });
    const theirs = (await subAdmin.get('/people?limit=100')).body.items.map(
      (p: { personId: string }) => p.personId,
    );
    expect(theirs).toContain(personId);
    expect((await patch(subAdmin, personId, { phone: '13700007777' }, '"v2"')).status).toBe(200);
    expect((await patch(subAdmin, personId, { employer: { type: 'own' } }, '"v3"')).status).toBe(403);
  });

  it('asks for If-Match (428), refuses a stale one (412) and bad input (400), changing nothing', async () => {
    const { personId } = await register();
    expect((await patch(hr, personId, { phone: '13800001111' })).status).toBe(428);
    expect((await patch(hr, personId, { phone: '13800001111' }, '"v1"')).status).toBe(200);
    const stale = await patch(hr, personId, { phone: '13800003333' }, '"v1"');
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('stale_version');
    const before = await allItems();
    for (const body of [
      {},
      { reason: '只有理由' },
      { name: '' },
      { phone: 'call me' },
      { idNumber: '330106199001011234', reason: '错号' },
      { idNumber: newIdNumber() },
      { homeSiteId: 'site_nowhere000' },
      { employer: { type: 'subcontractor', subcontractorId: 'sub_nowhere' } },
      { status: 'green' },
    ]) {
      const res = await patch(admin, personId, body, '"v2"');
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await allItems()).toEqual(before);
    expect((await hr.get(`/people/${personId}`)).headers.get('etag')).toBe('"v2"');
  });

  it('lets only a group admin correct the ID number, with a reason: the old number is free, the new one taken', async () => {
    const { personId, idNumber } = await register();
    const right = newIdNumber();
    expect((await patch(hr, personId, { idNumber: right, reason: '录入错误' }, '"v1"')).status).toBe(403);
    const fixed = await patch(admin, personId, { idNumber: right, reason: '身份证号录入错误' }, '"v1"');
    expect(fixed.status).toBe(200);
    expect(fixed.body.idNumberMasked).toBe(`${right.slice(0, 4)}${'*'.repeat(10)}${right.slice(14)}`);
    expect(JSON.stringify(fixed.body)).not.toContain(right);
    // Someone registering the old number now: it belonged to nobody.
    expect((await hr.post('/people', { name: '李四', idNumber })).status).toBe(201);
    const { personId: other } = await register();
    const taken = await patch(admin, other, { idNumber: right, reason: '录入错误' }, '"v1"');
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('id_number_taken');
    const trail = await (await api.as({ tenantId: TENANT, role: 'auditor' })).get(
      `/audit?action=person.update&entityId=${personId}`,
    );
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({
      actionName: '更正人员信息',
      details: { reason: '身份证号录入错误', after: { idNumber: fixed.body.idNumberMasked } },
    });
    expect(JSON.stringify(trail.body)).not.toContain(right);
    expect(JSON.stringify(trail.body)).not.toContain(idNumber);
  });

  it('keeps other roles, tenants and ids out', async () => {
    const { personId } = await register();
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteA] });
    expect((await patch(manager, personId, { phone: '13800001111' }, '"v1"')).status).toBe(403);
    const auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
    expect((await patch(auditor, personId, { phone: '13800001111' }, '"v1"')).status).toBe(403);
    const other = await api.as({ tenantId: `${TENANT}-other`, role: 'group_admin' });
    expect((await patch(other, personId, { phone: '13800001111' }, '"v1"')).status).toBe(404);
    expect((await patch(admin, 'per_doesnotexist0', { phone: '13800001111' }, '"v1"')).status).toBe(404);
    expect((await hr.get(`/people/${personId}`)).headers.get('etag')).toBe('"v1"');
  });
});
