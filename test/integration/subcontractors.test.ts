import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let admin: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: 'subs', role: 'group_admin' });
});
afterAll(() => api.close());

const body = (code: string, name = '华信安装工程有限公司') => ({
  name,
  unifiedSocialCreditCode: code,
  contacts: [{ name: '王建国', phone: '138 0013 8000', role: '项目经理' }],
});

describe('subcontractors (O1)', () => {
  it('registers a subcontractor with its credit code checked, contacts masked, and lists it', async () => {
    const res = await admin.post('/subcontractors', body('91350100M000100Y43'));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/subcontractors/${res.body.subcontractorId}`);
    expect(res.body).toMatchObject({
      name: '华信安装工程有限公司',
      unifiedSocialCreditCode: '91350100M000100Y43',
      contacts: [{ nameMasked: '王**', phoneMasked: '138****8000', role: '项目经理' }],
    });
    expect(res.body).not.toHaveProperty('warnings');
    expect(JSON.stringify(res.body)).not.toContain('13800138000');
    const one = await admin.get(`/subcontractors/${res.body.subcontractorId}`);
    expect(one.body).toEqual(res.body);
    const list = await admin.get('/subcontractors');
    expect(list.body.items.map((s: { subcontractorId: string }) => s.subcontractorId)).toContain(
      res.body.subcontractorId,
    );
  });

  it('accepts an early pilot code that fails its check character, with a warning; refuses a malformed one', async () => {
    const pilot = await admin.post('/subcontractors', body('91350100M000100Y40', '试点公司'));
    expect(pilot.status).toBe(201);
    expect(pilot.body.warnings).toEqual(['uscc_check_char']);
    const bad = await admin.post('/subcontractors', body('91350100M000100YI', '格式错误'));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toMatchObject([{ field: 'unifiedSocialCreditCode', code: 'uscc_format' }]);
    for (const broken of [
      { ...body('91350100M000100Y43'), contacts: [] },
      { ...body('91350100M000100Y43'), extra: 1 },
      { ...body('91350100M000100Y43'), name: 'x'.repeat(101) },
      { ...body('91350100M000100Y43'), contacts: [{ name: '王', phone: 'call me' }] },
    ])
      expect((await admin.post('/subcontractors', broken)).status, JSON.stringify(broken)).toBe(400);
  });

  it('registers a credit code once per tenant (409), in lower case too; another tenant may register it', async () => {
    await admin.post('/subcontractors', body('91110000600037341L', '北京一号'));
    const again = await admin.post('/subcontractors', body('91110000600037341l', '北京一号重复'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('subcontractor_code_taken');
    const names = (await admin.get('/subcontractors')).body.items.map((s: { name: string }) => s.name);
    expect(names).not.toContain('北京一号重复'); // no partial write
    const other = await api.as({ tenantId: 'subs-other', role: 'hr' });
    expect((await other.post('/subcontractors', body('91110000600037341L'))).status).toBe(201);
  });

  it('lets a subcontractor admin see only their own company; other tenants and roles get 404 / 403', async () => {
    const mine = (await admin.post('/subcontractors', body('91330000MA27U0RX5C', '浙江分包'))).body;
    const theirs = (await admin.post('/subcontractors', body('911100001000013428', '别家分包'))).body;
    const sub = await api.as({
      tenantId: 'subs',
      role: 'subcontractor',
      subcontractorId: mine.subcontractorId,
    });
    expect((await sub.get('/subcontractors')).body.items.map((s: { name: string }) => s.name)).toEqual([
      '浙江分包',
    ]);
    expect((await sub.get(`/subcontractors/${mine.subcontractorId}`)).status).toBe(200);
    expect((await sub.get(`/subcontractors/${theirs.subcontractorId}`)).status).toBe(404);
    expect((await sub.post('/subcontractors', body('91310000MA1FL0CC0D'))).status).toBe(403);
    const manager = await api.as({ tenantId: 'subs', role: 'site_manager', siteIds: [] });
    expect((await manager.post('/subcontractors', body('91310000MA1FL0CC0D'))).status).toBe(403);
    const stranger = await api.as({ tenantId: 'elsewhere', role: 'group_admin' });
    expect((await stranger.get(`/subcontractors/${mine.subcontractorId}`)).status).toBe(404);
    expect((await stranger.get('/subcontractors')).body.items).toEqual([]);
  });
});
