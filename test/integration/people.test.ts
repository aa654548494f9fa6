import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, allItems, auditTrail, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, newSubcontractor, today } from '../support/fixtures.ts';

let api: TestApi;
let admin: ApiClient;
let siteId: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: 'acme', role: 'group_admin' });
  siteId = (await admin.post('/sites', { name: '一号工地', code: 'S1', location: { lat: 30.2, lng: 120.1 } }))
    .body.siteId;
});
afterAll(() => api.close());

describe('registering people', () => {
  it('returns the person with the ID number masked, never raw, and starts them red until a certificate is entered', async () => {
    const idNumber = newIdNumber();
    const res = await admin.post('/people', {
      name: '张三',
      idNumber,
      phone: '13812345678',
      homeSiteId: siteId,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/people/${res.body.personId}`);
    expect(res.body).toMatchObject({
      name: '张三',
      idNumberMasked: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`,
      phoneMasked: '138****5678',
      employer: { type: 'own' },
      color: 'red',
      gateAccess: 'frozen',
    });
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
    const fetched = await admin.get(`/people/${res.body.personId}`);
    expect(fetched.body).toEqual(res.body);
    // Not in storage either: only the keyed hash and the masked form.
    expect(JSON.stringify(await allItems())).not.toContain(idNumber.slice(4, 14));
  });

  it('refuses the same ID number twice in a tenant with 409 and writes nothing', async () => {
    const idNumber = newIdNumber();
    expect((await admin.post('/people', { name: '李四', idNumber })).status).toBe(201);
    const before = await allItems();
    const again = await admin.post('/people', { name: '李四', idNumber: idNumber.toLowerCase() });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, code: 'id_number_taken' });
    expect(await allItems()).toHaveLength(before.length);
  });

  it('lets another tenant register the same ID number', async () => {
    const idNumber = newIdNumber();
    const other = await api.as({ tenantId: 'globex', role: 'hr' });
    expect((await admin.post('/people', { name: '王五', idNumber })).status).toBe(201);
    expect((await other.post('/people', { name: '王五', idNumber })).status).toBe(201);
  });

  it.each([
    ['a wrong check digit', { idNumber: '110105194912310021' }, 'idNumber', 'id_number_check_digit'],
    ['an impossible birth date', { idNumber: '11010519491331002X' }, 'idNumber', 'id_number_birth_date'],
    ['a 15-digit number', { idNumber: '110105491231002' }, 'idNumber', 'id_number_format'],
    ['a number for a name', { name: 42 }, 'name', 'invalid_type'],
    ['an unknown field', { nickname: 'x' }, 'nickname', 'unrecognized_key'],
    [
      'a subcontractor without id',
      { employer: { type: 'subcontractor' } },
      'employer.subcontractorId',
      'subcontractor_id_required',
    ],
  ])('answers 400 naming the field for %s', async (_, patch, field, code) => {
    const before = await allItems();
    const res = await admin.post('/people', { name: '赵六', idNumber: newIdNumber(), ...patch });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await allItems()).toHaveLength(before.length);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await admin.raw('POST', '/people', '{"name": "x",', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_json', title: '请求无效' });
  });

  it('speaks English when the caller prefers it', async () => {
    const res = await admin.post(
      '/people',
      { name: '赵六', idNumber: '110105194912310021' },
      { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' },
    );
    expect(res.body.title).toBe('Invalid request');
    expect(res.body.errors[0].message).toBe('The check digit of the ID number is wrong.');
  });

  it('refuses a home site that does not exist, writing nothing', async () => {
    const before = await allItems();
    const res = await admin.post('/people', {
      name: '孙七',
      idNumber: newIdNumber(),
      homeSiteId: 'site_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field: 'homeSiteId', code: 'home_site_not_found' }),
    );
    expect(await allItems()).toHaveLength(before.length);
  });

  it('never lets anyone see a refused registration, not even while it is being refused', async () => {
    const reader = await api.as({ tenantId: 'acme-iso', role: 'group_admin' });
    // Each is refused on its last step (the home site does not exist), after its person was put.
    const refused = () =>
      reader.post('/people', {
        name: '半成品',
        idNumber: newIdNumber(),
        homeSiteId: 'site_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      });
    const seen = new Set<string>();
    let stop = false;
    const watch = (async () => {
      while (!stop)
        for (const p of (await reader.get('/people?color=red')).body.items ?? []) seen.add(p.personId);
    })();
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(Array.from({ length: 4 }, refused));
      expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    }
    stop = true;
    await watch;
    expect([...seen]).toEqual([]);
  });

  it('leaves an audit record of who registered whom', async () => {
    const hr = await api.as({ tenantId: 'acme', role: 'hr', subject: 'hr-user-7' });
    const res = await hr.post('/people', { name: '周八', idNumber: newIdNumber() });
    const trail = await auditTrail('acme', today());
    expect(trail).toContainEqual(
      expect.objectContaining({
        action: 'person.create',
        entityId: res.body.personId,
        actor: { subject: 'hr-user-7', role: 'hr' },
      }),
    );
  });
});

describe('who may see and do what', () => {
  it('answers 401 without a token, with a bad one, or with one signed by someone else', async () => {
    const none = await api.anonymous().get('/people');
    // As API Gateway's JWT authorizer answers it, before any function runs.
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Unauthorized' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const noRoute = await api.anonymous().get('/nowhere');
    expect([noRoute.status, noRoute.body]).toEqual([404, { message: 'Not Found' }]);
    expect((await api.anonymous().get('/people', { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    const { mintToken } = await import('../../infra/local/dev-tokens.ts');
    const forged = await mintToken(new TextEncoder().encode('someone-elses-key-0123456789abcdef'), {
      tenantId: 'acme',
      role: 'group_admin',
    });
    expect((await api.anonymous().get('/people', { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('answers 403 to a role that may not register people', async () => {
    const auditor = await api.as({ tenantId: 'acme', role: 'auditor' });
    const res = await auditor.post('/people', { name: '吴九', idNumber: newIdNumber() });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('role_not_allowed');
  });

  it('answers 404 for another tenant’s person, as if it did not exist', async () => {
    const person = (await admin.post('/people', { name: '郑十', idNumber: newIdNumber() })).body;
    const other = await api.as({ tenantId: 'globex', role: 'group_admin' });
    for (const path of [
      `/people/${person.personId}`,
      `/people/${person.personId}/certificates`,
      `/people/${person.personId}/status`,
    ]) {
      expect((await other.get(path)).status).toBe(404);
    }
    expect(
      (await other.get('/people')).body.items.map((p: { personId: string }) => p.personId),
    ).not.toContain(person.personId);
  });

  it('shows a site manager only the people of their sites', async () => {
    const otherSite = (
      await admin.post('/sites', { name: '二号工地', code: 'S2', location: { lat: 31, lng: 121 } })
    ).body.siteId;
    const mine = (await admin.post('/people', { name: '甲', idNumber: newIdNumber(), homeSiteId: siteId }))
      .body;
    const theirs = (
      await admin.post('/people', { name: '乙', idNumber: newIdNumber(), homeSiteId: otherSite })
    ).body;
    const manager = await api.as({ tenantId: 'acme', role: 'site_manager', siteIds: [siteId] });
    expect((await manager.get(`/people/${mine.personId}`)).status).toBe(200);
    expect((await manager.get(`/people/${theirs.personId}`)).status).toBe(404);
    const list = await manager.get('/people?limit=100');
    expect(list.body.items.every((p: { homeSiteId: string }) => p.homeSiteId === siteId)).toBe(true);
    expect((await manager.get(`/people?siteId=${otherSite}`)).status).toBe(403);
    const sites = await manager.get('/sites');
    expect(sites.body.items.map((s: { siteId: string }) => s.siteId)).toEqual([siteId]);
  });

  it('lets a subcontractor admin register and see only its own workers', async () => {
    const huaxin = await newSubcontractor(admin);
    const sub = await api.as({ tenantId: 'acme', role: 'subcontractor', subcontractorId: huaxin });
    const own = await sub.post('/people', { name: '丙', idNumber: newIdNumber() });
    expect(own.body.employer).toEqual({ type: 'subcontractor', subcontractorId: huaxin });
    const stranger = (await admin.post('/people', { name: '丁', idNumber: newIdNumber() })).body;
    expect((await sub.get(`/people/${stranger.personId}`)).status).toBe(404);
    expect((await sub.get('/people')).body.items.map((p: { personId: string }) => p.personId)).toEqual([
      own.body.personId,
    ]);
    const spoof = await sub.post('/people', {
      name: '戊',
      idNumber: newIdNumber(),
      employer: { type: 'subcontractor', subcontractorId: 'rival' },
    });
    expect(spoof.status).toBe(403);
  });

  it('registers a subcontractor’s worker only for a subcontractor the tenant registered', async () => {
    const hr = await api.as({ tenantId: 'acme', role: 'hr' });
    const idNumber = newIdNumber();
    const unknown = await hr.post('/people', {
      name: '己',
      idNumber,
      employer: { type: 'subcontractor', subcontractorId: 'sub_nobody' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: 'employer.subcontractorId', code: 'subcontractor_not_found' }),
    ]);
    // Nothing was written: the same ID number registers once the subcontractor is right.
    const other = await api.as({ tenantId: 'acme-other', role: 'group_admin' });
    const foreign = await newSubcontractor(other);
    const elsewhere = await hr.post('/people', {
      name: '己',
      idNumber,
      employer: { type: 'subcontractor', subcontractorId: foreign },
    });
    expect(elsewhere.status).toBe(400); // another tenant's subcontractor is not this tenant's
    const real = await newSubcontractor(admin, '宏达劳务');
    const ok = await hr.post('/people', {
      name: '己',
      idNumber,
      employer: { type: 'subcontractor', subcontractorId: real },
    });
    expect(ok.status).toBe(201);
    // A subcontractor account whose subcontractor the tenant never registered registers nobody.
    const ghost = await api.as({ tenantId: 'acme', role: 'subcontractor', subcontractorId: 'sub_ghost' });
    expect((await ghost.post('/people', { name: '庚', idNumber: newIdNumber() })).status).toBe(400);
  });
});

describe('sites', () => {
  it('refuses a second site with the same code (409) and non-admin creation (403)', async () => {
    expect(
      (await admin.post('/sites', { name: 'dup', code: 'S1', location: { lat: 1, lng: 1 } })).status,
    ).toBe(409);
    const hr = await api.as({ tenantId: 'acme', role: 'hr' });
    expect((await hr.post('/sites', { name: 'x', code: 'S9', location: { lat: 1, lng: 1 } })).status).toBe(
      403,
    );
  });

  it('validates the location', async () => {
    const res = await admin.post('/sites', { name: 'x', code: 'S8', location: { lat: 91, lng: 0 } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('location.lat');
  });
});
