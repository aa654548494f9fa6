// The compliance radar (E4): scores per area from the figures, the three actions that raise
// it most, the figures read off stored statuses, and the chart as SVG with zh-CN labels.
import { describe, expect, it } from 'vitest';
import { radarFacts } from '../../functions/diagnostics/diagnostics.ts';
import { computeRadar, type RadarFacts, radarSvg } from '../../functions/diagnostics/radar.ts';
import type { PersonRecord } from '../../functions/domain/person.ts';

const perfect: RadarFacts = {
  people: 100,
  redForCertificates: 0,
  reviewLate: 0,
  withoutHomeSite: 0,
  subcontractorWorkers: 40,
  subcontractorWorkersRed: 0,
  reachable: 100,
  certificates: 150,
  certificatesVerified: 150,
  violationMarked: 0,
};

describe('the compliance radar', () => {
  it('scores a tenant with nothing wrong 100 everywhere, with nothing to do', () => {
    const r = computeRadar(perfect);
    expect(r.overall).toBe(100);
    expect(r.areas.map((a) => a.score)).toEqual([100, 100, 100, 100, 100, 100, 100]);
    expect(r.actions).toEqual([]);
  });

  it.each<[keyof RadarFacts, number, string, number]>([
    ['redForCertificates', 20, 'certificate_validity', 80],
    ['reviewLate', 5, 'review_timeliness', 95],
    ['withoutHomeSite', 50, 'cross_site_control', 50],
    ['subcontractorWorkersRed', 10, 'subcontractor_quality', 75],
    ['reachable', 60, 'notification_reach', 60],
    ['certificatesVerified', 75, 'records_completeness', 50],
    ['violationMarked', 3, 'violations', 97],
  ])('%s = %i → %s %i', (fact, value, area, score) => {
    const r = computeRadar({ ...perfect, [fact]: value });
    expect(r.areas.find((a) => a.area === area)?.score).toBe(score);
    expect(r.areas.filter((a) => a.area !== area).every((a) => a.score === 100)).toBe(true);
  });

  it('scores an empty tenant 100 (nothing to judge), and names the three biggest gains first', () => {
    expect(
      computeRadar({
        ...perfect,
        people: 0,
        reachable: 0,
        subcontractorWorkers: 0,
        certificates: 0,
        certificatesVerified: 0,
      }).overall,
    ).toBe(100);
    const r = computeRadar({
      ...perfect,
      redForCertificates: 30,
      reachable: 50,
      withoutHomeSite: 10,
      violationMarked: 2,
    });
    expect(r.actions.map((a) => [a.area, a.action, a.count])).toEqual([
      ['notification_reach', 'bind_channels', 50],
      ['certificate_validity', 'renew_red_certificates', 30],
      ['cross_site_control', 'assign_home_sites', 10],
    ]);
    expect(r.actions[0]?.raises).toBe(7.1);
    expect(r.overall).toBe(Math.round((70 + 100 + 90 + 100 + 50 + 100 + 98) / 7));
  });

  it('reads the figures off the people’s stored statuses, leaving leavers out', () => {
    const person = (
      over: Partial<PersonRecord> & { reasons?: string[]; color?: 'green' | 'yellow' | 'red' },
    ): PersonRecord =>
      ({
        tenantId: 't',
        personId: `p${Math.random()}`,
        name: 'x',
        idHash: 'h',
        idNumberMasked: 'm',
        employer: { type: 'own' },
        homeSiteId: 'site_a',
        version: 1,
        createdAt: 'x',
        createdBy: 'x',
        ...over,
        status: {
          color: over.color ?? 'green',
          gateAccess: 'allowed',
          dispatch: 'allowed',
          reasons: (over.reasons ?? []).map((code) => ({ code })),
          certificates: [
            {
              certificateId: 'c',
              current: true,
              verification: over.color === 'red' ? null : { outcome: 'valid', at: 'x' },
            },
          ],
          categories: [],
          computedOn: '2026-06-01',
          nextChangeOn: null,
        },
      }) as unknown as PersonRecord;
    const facts = radarFacts(
      [
        person({}),
        person({
          color: 'red',
          reasons: ['expired'],
          employer: { type: 'subcontractor', subcontractorId: 's' },
        }),
        person({ color: 'red', reasons: ['blacklisted'] }),
        person({ color: 'yellow', reasons: ['review_due_urgent'], homeSiteId: undefined }),
        person({ color: 'red', reasons: ['departed'] }),
        person({ suspension: { since: 'x', points: 12, violationIds: [], courses: [] } }),
      ],
      9,
    );
    expect(facts).toEqual({
      people: 5,
      redForCertificates: 1,
      reviewLate: 1,
      withoutHomeSite: 1,
      subcontractorWorkers: 1,
      subcontractorWorkersRed: 1,
      reachable: 5,
      certificates: 5,
      certificatesVerified: 3,
      violationMarked: 1,
    });
  });

  it('draws the radar as SVG with the zh-CN labels and scores, text escaped', () => {
    const svg = radarSvg(computeRadar({ ...perfect, redForCertificates: 20 }).areas, '合规雷达 <测试>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('证书有效 80');
    expect(svg).toContain('违章控制 100');
    expect(svg).toContain('合规雷达 &#60;测试&#62;');
    expect(svg.match(/<polygon /g)).toHaveLength(5);
  });
});
