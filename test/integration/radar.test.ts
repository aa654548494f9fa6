// The compliance radar over the API (E4): the scores follow the tenant's people, the SVG
// carries the zh-CN labels, and only the group and auditors read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

const TENANT = 'radar';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
});
afterAll(() => api.close());

describe('the compliance radar', () => {
  it('scores the tenant from its people, and draws it', async () => {
    const siteId = (
      await admin.post('/sites', { name: '舟山', code: 'ZS', location: { lat: 30, lng: 122.1 } })
    ).body.siteId;
    const ids: string[] = [];
    for (const [name, days, home] of [
      ['甲', 300, true],
      ['乙', 300, true],
      ['丙', -5, true],
      ['丁', 300, false],
    ] as const) {
      const id = (
        await hr.post('/people', { name, idNumber: newIdNumber(), ...(home ? { homeSiteId: siteId } : {}) })
      ).body.personId as string;
      ids.push(id);
      await hr.post(`/people/${id}/certificates`, samrCertificate(days as number));
    }
    // One confirmed violation in the last 90 days and one in the 90 before: a flat trend.
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    for (const days of [3, 120])
      expect(
        (
          await admin.post('/violations', {
            personId: ids[0],
            type: 'safety_rule',
            occurredAt: daysAgo(days),
            siteId,
          })
        ).status,
      ).toBe(201);
    const radar = await admin.get('/diagnostics/radar', { 'accept-language': 'en' });
    expect(radar.status).toBe(200);
    const score = (area: string) => radar.body.areas.find((a: { area: string }) => a.area === area);
    expect(score('certificate_validity')).toMatchObject({
      label: '证书有效',
      score: 75,
      figures: { people: 4, red: 1 },
    });
    expect(score('cross_site_control')).toMatchObject({ score: 75, gap: 1 });
    expect(score('notification_reach')).toMatchObject({ score: 0, gap: 4 });
    expect(score('violations')).toMatchObject({
      label: '违章趋势',
      score: Math.round((100 + 75 + 50) / 3),
      figures: { people: 4, marked: 0, recent: 1, previous: 1, peopleWithRecent: 1, trend: 50 },
    });
    expect(radar.body.actions[0]).toMatchObject({ area: 'notification_reach', count: 4 });
    expect(radar.body.actions[0].text).toContain('4');
    const svg = await admin.fetch('/diagnostics/radar.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const text = await svg.text();
    expect(text).toContain('证书有效 75');
    expect(text).toContain('合规雷达');
    // The same chart as PNG: 800 px wide, drawn (not blank), the labels in the bundled CJK font.
    const png = await admin.fetch('/diagnostics/radar.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const { PNG } = await import('pngjs');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    expect(image.width).toBe(800);
    let dark = 0;
    for (let i = 0; i < image.data.length; i += 4) if ((image.data[i] as number) < 100) dark += 1;
    expect(dark).toBeGreaterThan(2_000);
    expect((await hr.fetch('/diagnostics/radar.png')).status).toBe(403);
    expect((await hr.get('/diagnostics/radar')).status).toBe(403);
    const other = await api.as({ tenantId: `${TENANT}-x`, role: 'group_admin' });
    const theirs = (await other.get('/diagnostics/radar')).body;
    expect(theirs.areas[0].figures.people).toBe(0);
    expect(theirs.areas.find((a: { area: string }) => a.area === 'violations').figures.recent).toBe(0);
  });
});
