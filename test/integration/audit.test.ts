// GET /audit over HTTP: what the product's own writes recorded is readable by the auditor
// and the group's admins — named, masked, filtered, paged, as CSV — and by nobody else,
// never across tenants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, today, yearsFromToday } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;
let auditor: ApiClient;
let personId: string;
let idNumber: string;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: 'audited', role: 'hr' });
  auditor = await api.as({ tenantId: 'audited', role: 'auditor' });
  idNumber = newIdNumber();
  const person = await hr.post('/people', { name: '张伟', idNumber, phone: '13812345678' });
  personId = person.body.personId;
  await hr.post(`/people/${personId}/certificates`, {
    scheme: 'MEM',
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn: yearsFromToday(-1),
    expiresOn: yearsFromToday(5, -2),
  });
});
afterAll(() => api.close());

describe('the audit trail (GET /audit)', () => {
  it('shows the auditor who did what today, newest first, named in the caller’s language', async () => {
    const res = await auditor.get('/audit');
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(today());
    const actions = res.body.items.map((r: { action: string }) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['person.create', 'certificate.create', 'person.status.change']),
    );
    const created = res.body.items.find((r: { action: string }) => r.action === 'person.create');
    expect(created).toMatchObject({
      entityType: 'person',
      entityId: personId,
      actionName: '登记人员',
      actor: { role: 'hr' },
    });
    const ats = res.body.items.map((r: { at: string }) => r.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const english = await auditor.get('/audit?action=person.create', { 'accept-language': 'en' });
    expect(english.body.items[0].actionName).toBe('Person registered');
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
    expect(JSON.stringify(res.body)).not.toContain('13812345678');
  });

  it('filters by entity and entity id, and pages with a cursor that only fits its own query', async () => {
    const mine = await auditor.get(`/audit?entity=person&entityId=${personId}&limit=1`);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0].entityId).toBe(personId);
    expect(mine.body.nextCursor).toEqual(expect.any(String));
    const next = await auditor.get(
      `/audit?entity=person&entityId=${personId}&limit=1&cursor=${mine.body.nextCursor}`,
    );
    expect(next.body.items[0].auditId).not.toBe(mine.body.items[0].auditId);
    const other = await auditor.get(`/audit?from=${yearsFromToday(0, -30)}&cursor=${mine.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ field: 'query.cursor', code: 'invalid_cursor' });
  });

  it('downloads the page as CSV', async () => {
    const res = await auditor.fetch('/audit?format=csv&action=person.create');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text).toContain('person.create');
    expect(text).toContain(personId);
  });

  it('answers another tenant’s auditor with its own (empty) trail, and refuses other roles', async () => {
    const stranger = await api.as({ tenantId: 'audited-other', role: 'auditor' });
    expect((await stranger.get('/audit')).body.items).toEqual([]);
    expect((await hr.get('/audit')).status).toBe(403);
    const manager = await api.as({ tenantId: 'audited', role: 'site_manager', siteIds: ['site_x'] });
    expect((await manager.get('/audit')).status).toBe(403);
    const admin = await api.as({ tenantId: 'audited', role: 'group_admin' });
    expect((await admin.get('/audit')).status).toBe(200);
  });

  it('refuses malformed queries with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['from=2026-13-01', 'from'],
      ['entity=spaceship', 'entity'],
      ['limit=0', 'limit'],
      ['action=DROP%20TABLE', 'action'],
      [`from=${today()}&to=${yearsFromToday(0, -1)}`, 'query.from'],
      [`from=${yearsFromToday(-1)}`, 'query.from'],
    ] as const) {
      const res = await auditor.get(`/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors[0].field, query).toContain(field);
    }
  });
});
