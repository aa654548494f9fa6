import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../functions/domain/status-rules.ts';
import {
  buildHealthReport,
  healthMetrics,
  lastDayOfMonth,
  type PersonForReport,
  type ReportCertificate,
} from '../../functions/reports/health-metrics.ts';
import { renderCsv, renderHtml } from '../../functions/reports/render.ts';

const cert = (
  id: string,
  issuedOn: string,
  expiresOn: string,
  extra: Partial<CertificateFacts> = {},
): CertificateFacts => ({
  certificateId: id,
  scheme: 'SAMR',
  category: 'N1',
  issuedOn,
  expiresOn,
  reviewDueOn: null,
  ...extra,
});

const person = (
  personId: string,
  certificates: ReportCertificate[],
  idProvince = '33',
  homeSiteId = 's1',
): PersonForReport => ({
  personId,
  homeSiteId,
  idProvince,
  certificates,
});

const sites = new Map([
  ['s1', { siteId: 's1', name: '杭州', regionCode: '330109' }],
  ['s2', { siteId: 's2', name: '上海', regionCode: '310115' }],
]);

describe('health metrics for a month', () => {
  it.each([
    ['2026-11', '2026-11-30'],
    ['2028-02', '2028-02-29'],
    ['2026-12', '2026-12-31'],
  ])('the month %s ends on %s', (month, day) => expect(lastDayOfMonth(month)).toBe(day));

  it('counts certificates expired on the last day of the month, vacuum periods included', () => {
    const people = [
      person('valid', [cert('a', '2024-01-01', '2027-12-31')]),
      person('expired', [cert('b', '2022-12-01', '2026-11-29')]),
      person('vacuum', [
        cert('c', '2022-12-01', '2026-11-20'),
        cert('d', '2026-12-03', '2030-12-02', { replacesCertificateId: 'c' }),
      ]),
      person('renewed', [
        cert('e', '2022-11-01', '2026-11-10'),
        cert('f', '2026-11-11', '2030-11-10', { replacesCertificateId: 'e' }),
      ]),
    ];
    const m = healthMetrics(people, sites, '2026-11');
    expect(m).toMatchObject({ certificates: 4, expired: 2, expiryRate: 0.5 });
  });

  it('counts deadlines in the month renewed without a gap as on time', () => {
    const people = [
      person('renewed', [
        cert('e', '2022-11-01', '2026-11-10'),
        cert('f', '2026-11-11', '2030-11-10', { replacesCertificateId: 'e' }),
      ]),
      person('gap', [
        cert('c', '2022-12-01', '2026-11-20'),
        cert('d', '2026-12-03', '2030-12-02', { replacesCertificateId: 'c' }),
      ]),
      person('lapsed', [cert('b', '2022-12-01', '2026-11-29')]),
      person('later', [cert('a', '2024-01-01', '2027-12-31')]),
    ];
    expect(healthMetrics(people, sites, '2026-11')).toMatchObject({
      deadlinesInMonth: 3,
      onTime: 1,
      onTimeReviewRate: 0.3333,
    });
    expect(healthMetrics(people, sites, '2026-10').onTimeReviewRate).toBeNull();
  });

  it('counts a review or extension stamped on the card as a deadline met on time, in the month it was due', () => {
    const people = [
      person('reviewed', [
        {
          ...cert('m', '2023-11-20', '2029-11-19', { scheme: 'MEM', category: 'welding', reviewDueOn: null }),
          metDeadlines: [{ deadline: '2026-11-20', metOn: '2026-10-15' }],
        },
      ]),
      person('lapsed', [cert('b', '2022-12-01', '2026-11-29')]),
    ];
    expect(healthMetrics(people, sites, '2026-11')).toMatchObject({ deadlinesInMonth: 2, onTime: 1 });
    expect(healthMetrics(people, sites, '2026-10')).toMatchObject({ deadlinesInMonth: 0 });
  });

  it('counts people whose ID province differs from their home site’s as cross-region', () => {
    const people = [
      person('local', [], '33', 's1'),
      person('from-anhui', [], '34', 's1'),
      person('shanghai-local', [], '31', 's2'),
      { personId: 'no-site', idProvince: '41', certificates: [] },
    ];
    expect(healthMetrics(people, sites, '2026-11')).toMatchObject({
      peopleWithRegion: 3,
      crossRegion: 1,
      crossRegionRate: 0.3333,
    });
  });

  it('builds a six-month trend and a per-site breakdown, rendered as HTML with SVG charts and as CSV', () => {
    const report = buildHealthReport(
      'acme',
      '2026-11',
      [person('x', [cert('b', '2022-12-01', '2026-09-15')])],
      [...sites.values()],
    );
    expect(report.trend.map((t) => t.month)).toEqual([
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(report.trend.map((t) => t.expiryRate)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(report.sites.map((s) => [s.siteId, s.certificates])).toEqual([
      ['s1', 1],
      ['s2', 0],
    ]);
    const html = renderHtml(report, 'zh');
    expect(html).toContain('<svg');
    expect(html).toContain('过期率');
    expect(renderHtml(report, 'en')).toContain('Expiry rate');
    const csv = renderCsv(report).split('\n');
    expect(csv[0]).toContain('month,siteId,site,certificates');
    expect(csv[1]).toBe('2026-11,,ALL,1,1,1,0,0,,1,0,0');
  });
});

describe('health metrics at the month’s edges (what mutation testing found unpinned)', () => {
  it('counts certificates issued by the month’s last day, and renewals entered for later', () => {
    const people = [
      person('on-last-day', [cert('a', '2026-11-30', '2030-11-29')]),
      person('next-month', [cert('b', '2026-12-01', '2030-11-30')]),
    ];
    expect(healthMetrics(people, sites, '2026-11').certificates).toBe(1);
  });

  it('counts as expired only the expired or lapsed: not a revoked card, not one expiring that day, not a renewal past its gap', () => {
    const people = [
      person('revoked', [cert('r', '2024-01-01', '2028-01-01', { revokedOn: '2026-11-05' })]),
      person('last-day', [cert('l', '2022-12-01', '2026-11-30')]),
      person('renewed-after-gap', [
        cert('o', '2022-10-01', '2026-10-01'),
        cert('n', '2026-10-10', '2030-10-09', { replacesCertificateId: 'o' }),
      ]),
      person('expired', [cert('x', '2022-11-01', '2026-11-29')]),
    ];
    expect(healthMetrics(people, sites, '2026-11')).toMatchObject({ certificates: 4, expired: 1 });
  });

  it('takes deadlines on the first and last day of the month, not the days around it', () => {
    const met = (deadline: string) => ({
      ...cert(`m${deadline}`, '2023-01-01', '2029-01-01', { scheme: 'MEM', category: 'welding' }),
      metDeadlines: [{ deadline, metOn: '2026-10-01' }],
    });
    const people = [
      person('stamped', [met('2026-10-31'), met('2026-11-01'), met('2026-11-30'), met('2026-12-01')]),
      person('first', [cert('f', '2022-11-02', '2026-11-01')]),
      person('last', [cert('l', '2022-12-01', '2026-11-30')]),
      person('before', [cert('b', '2022-11-01', '2026-10-31')]),
      person('after', [cert('a', '2022-12-02', '2026-12-01')]),
    ];
    expect(healthMetrics(people, sites, '2026-11')).toMatchObject({ deadlinesInMonth: 4, onTime: 2 });
  });

  it('takes a review due before expiry as the deadline', () => {
    const people = [
      person('review-due', [cert('r', '2023-11-15', '2029-11-14', { reviewDueOn: '2026-11-15' })]),
      person('review-later', [cert('s', '2023-11-15', '2026-11-14', { reviewDueOn: '2026-12-15' })]),
    ];
    // The first is due in November by its review; the second by its expiry.
    expect(healthMetrics(people, sites, '2026-11').deadlinesInMonth).toBe(2);
    expect(healthMetrics(people, sites, '2026-12').deadlinesInMonth).toBe(0);
  });

  it('counts renewals without a gap as on time and those with one as late', () => {
    const renewed = (id: string) =>
      person(id, [
        cert(`${id}-old`, '2022-11-01', '2026-11-10'),
        cert(`${id}-new`, '2026-11-11', '2030-11-10', { replacesCertificateId: `${id}-old` }),
      ]);
    const people = [
      renewed('p1'),
      renewed('p2'),
      person('gap', [
        cert('g-old', '2022-11-01', '2026-11-10'),
        cert('g-new', '2026-11-20', '2030-11-19', { replacesCertificateId: 'g-old' }),
      ]),
    ];
    expect(healthMetrics(people, sites, '2026-11')).toMatchObject({ deadlinesInMonth: 3, onTime: 2 });
  });

  it('trends earlier months from their snapshots as reported then, and recomputes the report month', () => {
    const people = [person('p', [cert('a', '2024-01-01', '2027-12-31')])];
    const snapshot = { month: '2026-10', expiryRate: 0.25, onTimeReviewRate: 0.5, crossRegionRate: 0.1 };
    const report = buildHealthReport(
      't',
      '2026-11',
      people,
      [],
      new Map([
        ['2026-10', snapshot],
        ['2026-11', { ...snapshot, month: '2026-11' }],
      ]),
    );
    expect(report.trend.find((p) => p.month === '2026-10')).toEqual({ ...snapshot, source: 'snapshot' });
    expect(report.trend.find((p) => p.month === '2026-11')).toMatchObject({
      expiryRate: 0,
      source: 'recomputed',
    });
    expect(report.trend.find((p) => p.month === '2026-09')?.source).toBe('recomputed');
  });
});
