// Changing a subcontractor over the API (issue 28): corrections with ETag/If-Match, the code
// guard moved, and ending its contract — its workers are refused at the gate with the reason
// subcontractor_terminated, put on no ticket, read red, and no new worker joins it; undoing
// it gives them back what their certificates allow. The workers follow through the work
// queue, as in AWS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, scanStore, siteInductions, travelAlertStore } from '../../functions/composition-root.ts';
import { handleScan, type ScanDeps } from '../../functions/gates/scans.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import {
  daysFromToday,
  newIdNumber,
  newSubcontractor,
  newUscc,
  samrCertificate,
} from '../support/fixtures.ts';

const TENANT = 'sub-changes';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteId: string;
let poller: WorkPoller;
let scans: ScanDeps;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '大榭', code: 'DX', location: { lat: 29.93, lng: 121.95 } }))
    .body.siteId;
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
  scans = { scans: scanStore(), inductions: siteInductions(), travel: travelAlertStore(), clock: clock() };
});
afterAll(async () => {
  await poller?.stop();
  await api.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const send = (client: ApiClient, method: string, path: string, body: unknown, etag?: string) =>
  client.raw(method, path, body === undefined ? undefined : JSON.stringify(body), {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(etag ? { 'if-match': etag } : {}),
  });

let badges = 0;
async function greenWorker(subcontractorId: string) {
  const personId = (
    await hr.post('/people', {
      name: '分包工人',
      idNumber: newIdNumber(),
      employer: { type: 'subcontractor', subcontractorId },
    })
  ).body.personId as string;
  await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
  badges += 1;
  const badgeUid = `0A${String(badges).padStart(6, '0')}`;
  expect((await hr.post(`/people/${personId}/badges`, { badgeUid })).status).toBe(201);
  return { personId, badgeUid };
}
let scanNo = 0;
const scanIn = (badgeUid: string) => {
  scanNo += 1;
  return handleScan(scans, `${TENANT}:${siteId}:east-1`, {
    scanId: `scan-sub-${String(scanNo).padStart(6, '0')}`,
    badgeUid,
    direction: 'in',
    at: new Date().toISOString(),
  });
};

describe('correcting a subcontractor', () => {
  it('corrects name and contacts with the ETag; 428 without, 412 when stale; another’s code is 409', async () => {
    const subId = await newSubcontractor(admin, '甲建设');
    const otherCode = newUscc();
    await admin.post('/subcontractors', {
      name: '乙建设',
      unifiedSocialCreditCode: otherCode,
      contacts: [{ name: '赵六', phone: '13600000000' }],
    });
    const path = `/subcontractors/${subId}`;
    expect((await admin.get(path)).headers.get('etag')).toBe('"v1"');
    expect((await send(hr, 'PATCH', path, { name: '甲建设集团' })).status).toBe(428);
    const fixed = await send(
      hr,
      'PATCH',
      path,
      { name: '甲建设集团', contacts: [{ name: '钱七', phone: '13500000000' }] },
      '"v1"',
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      name: '甲建设集团',
      contacts: [{ nameMasked: '钱*', phoneMasked: '135****0000' }],
    });
    expect(fixed.headers.get('etag')).toBe('"v2"');
    expect((await send(hr, 'PATCH', path, { name: '又改' }, '"v1"')).status).toBe(412);
    const taken = await send(hr, 'PATCH', path, { unifiedSocialCreditCode: otherCode }, '"v2"');
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('subcontractor_code_taken');
    const subAdmin = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId: subId });
    expect((await send(subAdmin, 'PATCH', path, { name: '自己改' }, '"v2"')).status).toBe(403);
  });
});

describe('ending a subcontractor’s contract', () => {
  it('refuses its workers at the gate from the day, keeps them off tickets, reads them red; undoing it lets them back', async () => {
    const subId = await newSubcontractor(admin, '丙劳务');
    const { personId, badgeUid } = await greenWorker(subId);
    expect((await scanIn(badgeUid)).decision).toBe('allow');
    const path = `/subcontractors/${subId}/termination`;
    expect(
      (await send(hr, 'PUT', path, { effectiveOn: daysFromToday(0), reason: '合同到期' }, '"v1"')).status,
    ).toBe(403);
    expect(
      (await send(admin, 'PUT', path, { effectiveOn: daysFromToday(-1), reason: '合同到期' }, '"v1"')).status,
    ).toBe(400);
    const ended = await send(
      admin,
      'PUT',
      path,
      { effectiveOn: daysFromToday(0), reason: '合同到期' },
      '"v1"',
    );
    expect(ended.status).toBe(200);
    expect(ended.body.termination).toMatchObject({ effectiveOn: daysFromToday(0), reason: '合同到期' });
    const person = await until(
      () => hr.get(`/people/${personId}`),
      (r) => r.body.engagementEnd !== undefined,
    );
    expect(person.body).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      engagementEnd: { on: daysFromToday(0), reason: 'subcontractor_terminated', subcontractorId: subId },
    });
    expect(await scanIn(badgeUid)).toMatchObject({ decision: 'deny', reason: 'subcontractor_terminated' });
    const status = (await hr.get(`/people/${personId}/status`)).body;
    expect(status.reasons[0]).toMatchObject({ code: 'subcontractor_terminated' });
    // No new worker joins a subcontractor whose contract ended.
    const joining = await hr.post('/people', {
      name: '新人',
      idNumber: newIdNumber(),
      employer: { type: 'subcontractor', subcontractorId: subId },
    });
    expect(joining.status).toBe(409);
    expect(joining.body.code).toBe('subcontractor_terminated_no_new_workers');
    // Undone: back as the certificates allow.
    const undone = await send(admin, 'DELETE', path, undefined, ended.headers.get('etag') as string);
    expect(undone.status).toBe(200);
    expect(undone.body.termination).toBeUndefined();
    const back = await until(
      () => hr.get(`/people/${personId}`),
      (r) => r.body.engagementEnd === undefined,
    );
    expect(back.body.color).toBe('green');
    expect((await scanIn(badgeUid)).decision).toBe('allow');
  });

  it('takes effect on a later day only from that day (the gate view carries the date)', async () => {
    const subId = await newSubcontractor(admin, '丁劳务');
    const { personId, badgeUid } = await greenWorker(subId);
    const later = daysFromToday(7);
    expect(
      (
        await send(
          admin,
          'PUT',
          `/subcontractors/${subId}/termination`,
          { effectiveOn: later, reason: '合同将到期' },
          '"v1"',
        )
      ).status,
    ).toBe(200);
    const person = await until(
      () => hr.get(`/people/${personId}`),
      (r) => r.body.engagementEnd !== undefined,
    );
    expect(person.body).toMatchObject({ color: 'green', engagementEnd: { on: later } });
    expect((await scanIn(badgeUid)).decision).toBe('allow');
  });
});
