// The monthly subcontractor report (O5) over the API: spot checks recorded by site managers,
// then per subcontractor the lapsed-certificate rate, blacklist entries, spot-check pass
// rate, the trend as reported by the monthly job, and the settlement hold by the tenant's
// rule; a subcontractor sees its own row only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsAdapters, jobsHandler } from '../../functions/jobs/handler.ts';
import { addMonths, todayInShanghai } from '../../functions/shared/calendar.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import {
  daysFromToday,
  newIdNumber,
  newSubcontractor,
  storedEvidence,
  yearsFromToday,
} from '../support/fixtures.ts';

const TENANT = 'subrep';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteId: string;
let otherSite: string;
let subA: string;
let subB: string;
const month = todayInShanghai().slice(0, 7);

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '镇海', code: 'ZH', location: { lat: 29.95, lng: 121.7 } }))
    .body.siteId;
  otherSite = (await admin.post('/sites', { name: '北仑', code: 'BL', location: { lat: 29.9, lng: 121.85 } }))
    .body.siteId;
  subA = await newSubcontractor(admin, '甲安装公司');
  subB = await newSubcontractor(admin, '乙劳务公司');
});
afterAll(async () => {
  await api.close();
});

async function worker(subcontractorId: string, lapsed: boolean) {
  const idNumber = newIdNumber();
  const personId = (
    await hr.post('/people', {
      name: '钱师傅',
      idNumber,
      employer: { type: 'subcontractor', subcontractorId },
    })
  ).body.personId as string;
  const res = await hr.post(`/people/${personId}/certificates`, {
    scheme: 'MEM',
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn: lapsed ? yearsFromToday(-6) : daysFromToday(-30),
    expiresOn: lapsed ? daysFromToday(-1) : yearsFromToday(6, -31),
  });
  expect(res.status).toBe(201);
  return personId;
}

describe('the monthly subcontractor report (O5)', () => {
  it('scores each subcontractor, holds payment by the tenant’s rule, and shows a subcontractor only its own row', async () => {
    const a1 = await worker(subA, false);
    await worker(subA, true);
    const b1 = await worker(subB, false);
    await admin.post('/blacklist', {
      personId: b1,
      reasonCode: 'borrowed_certificate',
      evidence: await storedEvidence(TENANT, b1),
    });

    // Spot checks: the site's manager (not another site's, not an auditor).
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    const passed = await manager.post('/spot-checks', {
      personId: a1,
      siteId,
      passed: true,
      note: '持证与本人一致',
    });
    expect(passed.status).toBe(201);
    expect(passed.body).toMatchObject({ personId: a1, siteId, subcontractorId: subA, passed: true });
    expect((await manager.post('/spot-checks', { personId: b1, siteId, passed: false })).status).toBe(201);
    expect(
      (await manager.post('/spot-checks', { personId: a1, siteId: otherSite, passed: true })).status,
    ).toBe(404);
    const auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
    expect((await auditor.post('/spot-checks', { personId: a1, siteId, passed: true })).status).toBe(403);
    expect(
      (await manager.post('/spot-checks', { personId: 'per_nobody0000000', siteId, passed: true })).status,
    ).toBe(404);
    expect((await manager.post('/spot-checks', { personId: a1, siteId, passed: 'yes' })).status).toBe(400);

    const report = await auditor.get(`/reports/subcontractors?month=${month}`);
    expect(report.status).toBe(200);
    const byName = Object.fromEntries(report.body.rows.map((r: { name: string }) => [r.name, r]));
    expect(byName['甲安装公司']).toMatchObject({
      workers: 2,
      workersLapsed: 1,
      expiredRatePercent: 50,
      blacklistEntries: 0,
      spotChecks: { total: 1, passed: 1 },
      spotCheckPassPercent: 100,
      settlement: { hold: true, reasons: ['expired_rate_over_limit'] },
    });
    expect(byName['乙劳务公司']).toMatchObject({
      workers: 1,
      workersLapsed: 0,
      expiredRatePercent: 0,
      blacklistEntries: 1,
      spotChecks: { total: 1, passed: 0 },
      settlement: { hold: true, reasons: ['blacklisted_worker'] },
    });
    expect(byName['甲安装公司'].trend).toHaveLength(6);
    expect(byName['甲安装公司'].trend.at(-1)).toEqual({ month, expiredRatePercent: 50 });

    // The subcontractor sees itself only; a site manager not at all.
    const ownView = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId: subA });
    const own = (await ownView.get(`/reports/subcontractors?month=${month}`)).body.rows;
    expect(own.map((r: { subcontractorId: string }) => r.subcontractorId)).toEqual([subA]);
    expect((await manager.get(`/reports/subcontractors?month=${month}`)).status).toBe(403);
    expect((await auditor.get('/reports/subcontractors?month=2026-13')).status).toBe(400);

    // The tenant's rule decides: a looser one clears both.
    expect(
      (
        await admin.put('/settings/settlement-rule', {
          maxExpiredRatePercent: 60,
          holdOnConfirmedForgery: true,
          holdOnBlacklist: false,
          minSpotCheckPassPercent: 0,
        })
      ).status,
    ).toBe(200);
    const loose = (await auditor.get(`/reports/subcontractors?month=${month}`)).body.rows;
    expect(loose.every((r: { settlement: { hold: boolean } }) => !r.settlement.hold)).toBe(true);
    // …and a strict spot-check rule holds the one whose checks failed.
    await admin.put('/settings/settlement-rule', {
      maxExpiredRatePercent: 60,
      holdOnConfirmedForgery: true,
      holdOnBlacklist: false,
      minSpotCheckPassPercent: 80,
    });
    const strict = (await auditor.get(`/reports/subcontractors?month=${month}`)).body.rows;
    expect(strict.find((r: { name: string }) => r.name === '乙劳务公司').settlement).toEqual({
      hold: true,
      reasons: ['spot_checks_under_limit'],
    });

    // The monthly job keeps this month as reported: next month's trend shows it.
    const nextMonth = addMonths(`${month}-01`, 1).slice(0, 7);
    await asFunction('jobs', () =>
      jobsHandler(jobsAdapters())({ job: 'monthly-health-report', date: `${nextMonth}-05` }),
    );
    const next = (await auditor.get(`/reports/subcontractors?month=${nextMonth}`)).body.rows;
    const a = next.find((r: { name: string }) => r.name === '甲安装公司');
    expect(a.trend.at(-2)).toEqual({ month, expiredRatePercent: 50 });
  });
});
