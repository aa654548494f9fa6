// A leaver over the API (issue 28): recorded with If-Match, refused at the gate from the day
// (their badges given back), red with the reason; recorded ahead, it waits for its day;
// re-hiring gives the same record back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, scanStore, siteInductions, travelAlertStore } from '../../functions/composition-root.ts';
import { handleScan, type ScanDeps } from '../../functions/gates/scans.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate } from '../support/fixtures.ts';

const TENANT = 'leavers';
let api: TestApi;
let hr: ApiClient;
let siteId: string;
let scans: ScanDeps;

beforeAll(async () => {
  api = await startTestApi();
  const admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  siteId = (await admin.post('/sites', { name: '舟山', code: 'ZS', location: { lat: 30, lng: 122.1 } })).body
    .siteId;
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  scans = { scans: scanStore(), inductions: siteInductions(), travel: travelAlertStore(), clock: clock() };
});
afterAll(() => api.close());

let n = 0;
async function worker() {
  n += 1;
  const personId = (await hr.post('/people', { name: '离职', idNumber: newIdNumber() })).body
    .personId as string;
  await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
  const badgeUid = `0C${String(n).padStart(8, '0')}`;
  expect((await hr.post(`/people/${personId}/badges`, { badgeUid })).status).toBe(201);
  const etag = (await hr.get(`/people/${personId}`)).headers.get('etag') as string;
  return { personId, badgeUid, etag };
}
const scanIn = (badgeUid: string) =>
  handleScan(scans, `${TENANT}:${siteId}:east-1`, {
    scanId: `scan-leave-${String(++n).padStart(6, '0')}`,
    badgeUid,
    direction: 'in',
    at: new Date().toISOString(),
  });
async function inboxOf(personId: string) {
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const { createDocumentClient } = await import('../../functions/shared/dynamo/client.ts');
  const out = await createDocumentClient().send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `T#${TENANT}#INBOX#PERSON#${personId}` },
    }),
  );
  return out.Items ?? [];
}
const send = (method: string, path: string, body: unknown, etag?: string) =>
  hr.raw(method, path, body === undefined ? undefined : JSON.stringify(body), {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(etag ? { 'if-match': etag } : {}),
  });

describe('a leaver', () => {
  it('is refused at the gate from the day they leave, badges given back; re-hiring gives the record back', async () => {
    const { personId, badgeUid, etag } = await worker();
    expect((await scanIn(badgeUid)).decision).toBe('allow');
    const path = `/people/${personId}/departure`;
    expect((await send('POST', path, { leftOn: daysFromToday(0), reason: '合同到期离职' })).status).toBe(428);
    const left = await send('POST', path, { leftOn: daysFromToday(0), reason: '合同到期离职' }, etag);
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({
      color: 'red',
      engagementEnd: { on: daysFromToday(0), reason: 'departed' },
    });
    expect((await scanIn(badgeUid)).decision).toBe('deny');
    const status = (await hr.get(`/people/${personId}/status`)).body;
    expect(status.reasons[0]).toMatchObject({ code: 'departed' });
    expect(
      (
        await send(
          'POST',
          path,
          { leftOn: daysFromToday(0), reason: '再次' },
          left.headers.get('etag') as string,
        )
      ).status,
    ).toBe(409);
    const back = await send('DELETE', path, undefined, left.headers.get('etag') as string);
    expect(back.status).toBe(200);
    expect(back.body.color).toBe('green');
    expect(back.body.engagementEnd).toBeUndefined();
    // The badge was given back: binding it again lets them in.
    expect((await hr.post(`/people/${personId}/badges`, { badgeUid })).status).toBe(201);
    expect((await scanIn(badgeUid)).decision).toBe('allow');
  });

  it('recorded ahead, waits for its day; refuses a date too far back, other roles and tenants', async () => {
    const { personId, badgeUid, etag } = await worker();
    const path = `/people/${personId}/departure`;
    expect((await send('POST', path, { leftOn: daysFromToday(-400), reason: '补录' }, etag)).status).toBe(
      400,
    );
    const ahead = await send('POST', path, { leftOn: daysFromToday(14), reason: '提前登记' }, etag);
    expect(ahead.status).toBe(200);
    expect(ahead.body.color).toBe('green');
    expect((await scanIn(badgeUid)).decision).toBe('allow');
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    expect((await manager.raw('DELETE', path, undefined, { 'if-match': '"v1"' })).status).toBe(403);
    const other = await api.as({ tenantId: `${TENANT}-x`, role: 'hr' });
    expect((await other.raw('DELETE', path, undefined, { 'if-match': '"v1"' })).status).toBe(404);
  });

  it('takes their own account and channels with them; they leave the colour lists for the leavers’ list', async () => {
    const { personId, etag } = await worker();
    const admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
    // Their own login, through the inbox invitation, and their channels.
    const userId = (await hr.post('/users', { role: 'worker', personId })).body.userId as string;
    const notice = (await inboxOf(personId)).find((i) => i.kind === 'account_invitation');
    const own = await api.identity(`leaver-${personId}`);
    expect((await own.post('/invitations/accept', { code: notice?.invitation.code })).status).toBe(200);
    expect((await own.get(`/people/${personId}`)).status).toBe(200);
    const bound = await hr.raw(
      'PUT',
      `/people/${personId}/bindings`,
      JSON.stringify({ wecomUserId: 'lizhi', phone: '13800138000' }),
      { 'content-type': 'application/json' },
    );
    expect(bound.status).toBe(200);
    const red = (await hr.get('/people?color=red&limit=100')).body.items.length;

    const path = `/people/${personId}/departure`;
    expect((await send('POST', path, { leftOn: daysFromToday(0), reason: '辞职' }, etag)).status).toBe(200);
    // The account is disabled and refused at once (this container forgot it).
    expect((await admin.get(`/users/${userId}`)).body.state).toBe('disabled');
    expect((await own.get(`/people/${personId}`)).status).toBe(403);
    const channels = (await hr.get(`/people/${personId}/bindings`)).body;
    expect(channels).toEqual({ personId, phoneVerified: false });
    // Out of the colour lists (red included), found among the leavers.
    const ids = async (q: string) =>
      (await hr.get(`/people?${q}&limit=100`)).body.items.map((p: { personId: string }) => p.personId);
    expect(await ids('color=red')).not.toContain(personId);
    expect(await ids('color=red')).toHaveLength(red);
    expect(await ids('status=departed')).toContain(personId);
    expect((await hr.get(`/people?status=departed&siteId=${siteId}`)).status).toBe(200);
    const mixed = await hr.get('/people?status=departed&color=red');
    expect(mixed.status).toBe(400);
    expect(JSON.stringify(mixed.body)).toContain('departed_with_filter');
    const trail = await admin.get(`/audit?entityId=${personId}&limit=50`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['person.departure', 'person.bindings.drop']),
    );
  });
});
