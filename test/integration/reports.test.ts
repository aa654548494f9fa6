import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as jobs } from '../../functions/jobs/handler.ts';
import { addMonths, todayInShanghai } from '../../functions/shared/calendar.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';
import { emulatorState } from '../support/record-files.ts';

let api: TestApi;
let admin: ApiClient;
const month = todayInShanghai().slice(0, 7);

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: 'report', role: 'group_admin' });
  const site = (
    await admin.post('/sites', {
      name: '萧山',
      code: 'XS',
      location: { lat: 30, lng: 120 },
      regionCode: '330109',
    })
  ).body.siteId;
  for (const daysLeft of [-3, 200]) {
    const p = (await admin.post('/people', { name: '报', idNumber: newIdNumber(), homeSiteId: site })).body
      .personId;
    await admin.post(`/people/${p}/certificates`, samrCertificate(daysLeft));
  }
});
afterAll(() => api.close());

describe('the monthly health report (L7)', () => {
  it('answers JSON with rates, trend and sites, and downloads as HTML and CSV', async () => {
    const res = await admin.get(`/reports/health?month=${month}`);
    expect(res.status).toBe(200);
    expect(res.body.overall).toMatchObject({
      certificates: 2,
      expired: 1,
      expiryRate: 0.5,
      crossRegionRate: 0,
    });
    expect(res.body.trend).toHaveLength(6);
    expect(res.body.sites).toEqual([expect.objectContaining({ name: '萧山', certificates: 2 })]);
    const html = await admin.raw('GET', `/reports/health?month=${month}&format=html`, undefined);
    expect(html.status).toBe(200);
    expect(html.body).toMatch(/^<text\/html/); // not JSON: read whole below
    const token = await (await import('../../infra/local/dev-tokens.ts')).mintDevToken(api.key, {
      tenantId: 'report',
      role: 'auditor',
    });
    const file = await fetch(`${api.gateway.url}/reports/health?month=${month}&format=html`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(file.headers.get('content-disposition')).toContain(`health-${month}.html`);
    // Served as a document that may run and load nothing, and is never sniffed.
    expect(file.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toContain('<svg');
    expect((await admin.get('/reports/health?month=2026-13')).status).toBe(400);
    expect(
      (await (await api.as({ tenantId: 'report', role: 'hr' })).get(`/reports/health?month=${month}`)).status,
    ).toBe(403);
  });

  it('e-mails last month’s report to the safety heads on the 5th, readable back from the emulator', async () => {
    expect((await admin.put('/settings/report-recipients', { safetyHeads: ['not-an-email'] })).status).toBe(
      400,
    );
    expect(
      (await admin.put('/settings/report-recipients', { safetyHeads: ['safety@acme.example'] })).status,
    ).toBe(200);
    const fifth = `${addMonths(`${month}-01`, 1).slice(0, 7)}-05`;
    const result = (await jobs({ job: 'monthly-health-report', date: fifth })) as {
      month: string;
      sent: { tenantId: string }[];
    };
    expect(result.month).toBe(month);
    expect(result.sent.map((s) => s.tenantId)).toContain('report');
    const data = await emulatorState(process.env.AWS_ENDPOINT_URL as string);
    const raw = (data.ses.RawMessage as { destinations: string[]; raw_data: string }[]).find((m) =>
      m.destinations.includes('safety@acme.example'),
    );
    expect(raw?.raw_data).toContain('multipart/mixed');
    expect(raw?.raw_data).toContain(`filename=health-report-${month}.csv`);
    expect(raw?.raw_data).toContain('text/html');
    // The compliance radar (E4) goes with it: its chart and its first action, in Chinese.
    const html = htmlPartOf(raw?.raw_data ?? '');
    expect(html).toContain('<h2>合规雷达</h2>');
    expect(html).toContain('<svg');
    expect(html).toMatch(/<ol><li>[^<]+<\/li>/);
    // The emulator's state dump may be busy while other files run (test/support/record-files.ts).
  }, 120_000);

  it('keeps each month’s figures as reported: later reports show them as a snapshot, even after the records change', async () => {
    const fifth = `${addMonths(`${month}-01`, 1).slice(0, 7)}-05`;
    const next = addMonths(`${month}-01`, 1).slice(0, 7);
    // The e-mail test above ran the job for this month already; running it again keeps the first snapshot.
    expect(
      (
        (await asFunction('jobs', () => jobs({ job: 'monthly-health-report', date: fifth }))) as {
          snapshots: number;
        }
      ).snapshots,
    ).toBe(0);
    const before = (await admin.get(`/reports/health?month=${next}`)).body.trend.find(
      (t: { month: string }) => t.month === month,
    );
    expect(before).toMatchObject({ source: 'snapshot', expiryRate: 0.5 });
    // A certificate entered late for the expired worker's records would change a recomputation,
    // but not what was reported: the trend keeps the snapshot.
    const p = (await admin.post('/people', { name: '迟', idNumber: newIdNumber() })).body.personId;
    await admin.post(`/people/${p}/certificates`, samrCertificate(-5));
    const after = (await admin.get(`/reports/health?month=${next}`)).body.trend;
    expect(after.find((t: { month: string }) => t.month === month)).toEqual(before);
    expect(after.find((t: { month: string }) => t.month === next)).toMatchObject({ source: 'recomputed' });
    expect(after.filter((t: { source: string }) => t.source === 'recomputed')).toHaveLength(5);
  });
});

/** The text/html part of a MIME message, decoded (base64 or quoted-printable). */
function htmlPartOf(raw: string): string {
  const part = raw.split(/\r?\n--/).find((p) => /content-type: text\/html/i.test(p)) ?? '';
  const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding: base64/i.test(head))
    return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding: quoted-printable/i.test(head))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

describe('report downloads', () => {
  it('write a site name that looks like a formula as text, never as a live formula', async () => {
    await admin.post('/sites', {
      name: '=HYPERLINK("http://evil.example","点我")',
      code: 'EVIL',
      location: { lat: 30, lng: 120 },
    });
    const token = await (await import('../../infra/local/dev-tokens.ts')).mintDevToken(api.key, {
      tenantId: 'report',
      role: 'group_admin',
    });
    const res = await fetch(`${api.gateway.url}/reports/health?month=${month}&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example""`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
