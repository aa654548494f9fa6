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
});
