// Correcting a site (issue 28, corrections): GET /sites/{id} gives the version as an ETag,
// PATCH /sites/{id} needs If-Match with it — 428 without, 412 when someone corrected it
// first — moves the site's code (409 when another site has it), and audits before/after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let admin: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: 'corrections', role: 'group_admin' });
});
afterAll(() => api.close());

const newSite = async (code: string) =>
  (await admin.post('/sites', { name: '镇海炼化', code, location: { lat: 29.95, lng: 121.71 } })).body
    .siteId as string;
const patch = (client: ApiClient, siteId: string, body: unknown, etag?: string) =>
  client.raw('PATCH', `/sites/${siteId}`, JSON.stringify(body), {
    'content-type': 'application/json',
    ...(etag ? { 'if-match': etag } : {}),
  });

describe('correcting a site', () => {
  it('reads a site with its version as the ETag, and corrects it with that ETag', async () => {
    const siteId = await newSite('ZH1');
    const read = await admin.get(`/sites/${siteId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ siteId, name: '镇海炼化', code: 'ZH1' });
    const etag = read.headers.get('etag') as string;
    expect(etag).toBe('"v1"');
    const res = await patch(
      admin,
      siteId,
      { name: '镇海炼化一期', location: { lat: 29.96, lng: 121.7 } },
      etag,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      siteId,
      name: '镇海炼化一期',
      code: 'ZH1',
      location: { lat: 29.96, lng: 121.7 },
    });
    expect(res.headers.get('etag')).toBe('"v2"');
    expect((await admin.get(`/sites/${siteId}`)).body.name).toBe('镇海炼化一期');
    const listed = (await admin.get('/sites')).body.items.find(
      (s: { siteId: string }) => s.siteId === siteId,
    );
    expect(listed.name).toBe('镇海炼化一期');
  });

  it('asks for If-Match (428) and refuses a correction of an older version (412), changing nothing', async () => {
    const siteId = await newSite('ZH2');
    const missing = await patch(admin, siteId, { name: 'x' });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('if_match_required');
    expect((await patch(admin, siteId, { name: '第一次更正' }, '"v1"')).status).toBe(200);
    const stale = await patch(admin, siteId, { name: '第二次更正' }, '"v1"');
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('stale_version');
    expect((await patch(admin, siteId, { name: '乱写' }, 'not-an-etag')).status).toBe(412);
    expect((await admin.get(`/sites/${siteId}`)).body.name).toBe('第一次更正');
  });

  it('moves the code: the old one is free again, another site’s is refused (409)', async () => {
    const a = await newSite('ZH3');
    await newSite('ZH4');
    expect((await patch(admin, a, { code: 'ZH4' }, '"v1"')).status).toBe(409);
    const moved = await patch(admin, a, { code: 'ZH3-NEW' }, '"v1"');
    expect(moved.status).toBe(200);
    expect(moved.body.code).toBe('ZH3-NEW');
    expect(
      (await admin.post('/sites', { name: '新厂区', code: 'ZH3', location: { lat: 30, lng: 121 } })).status,
    ).toBe(201);
  });

  it('refuses bad corrections with a 400 and writes nothing; other roles, tenants and ids get 403/404', async () => {
    const siteId = await newSite('ZH5');
    for (const body of [
      {},
      { name: '' },
      { code: 'no spaces' },
      { location: { lat: 91, lng: 0 } },
      { createdAt: 'x' },
    ]) {
      const res = await patch(admin, siteId, body, '"v1"');
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin.get(`/sites/${siteId}`)).headers.get('etag')).toBe('"v1"');
    const hr = await api.as({ tenantId: 'corrections', role: 'hr' });
    expect((await patch(hr, siteId, { name: 'x' }, '"v1"')).status).toBe(403);
    const other = await api.as({ tenantId: 'corrections-other', role: 'group_admin' });
    expect((await other.get(`/sites/${siteId}`)).status).toBe(404);
    expect((await patch(other, siteId, { name: 'x' }, '"v1"')).status).toBe(404);
    const manager = await api.as({
      tenantId: 'corrections',
      role: 'site_manager',
      siteIds: ['site_elsewhere000'],
    });
    expect((await manager.get(`/sites/${siteId}`)).status).toBe(404);
  });

  it('leaves an audit record with the fields before and after', async () => {
    const siteId = await newSite('ZH6');
    await patch(admin, siteId, { name: '更正后', address: '宁波市镇海区' }, '"v1"');
    const auditor = await api.as({ tenantId: 'corrections', role: 'auditor' });
    const trail = await auditor.get(`/audit?action=site.update&entityId=${siteId}`);
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({
      actionName: '更正厂区信息',
      details: {
        before: { name: '镇海炼化', address: null },
        after: { name: '更正后', address: '宁波市镇海区' },
      },
    });
  });
});
