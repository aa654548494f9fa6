// The compliance radar (E4): scores per area from the figures, the three actions that raise
// it most, the figures read off stored statuses, and the chart as SVG with zh-CN labels.
import { describe, expect, it } from 'vitest';
import { radarFacts } from '../../functions/diagnostics/diagnostics.ts';
import {
  computeRadar,
  type RadarFacts,
  radarSvg,
  violationsTrendScore,
} from '../../functions/diagnostics/radar.ts';
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
  violationsRecent: 0,
  violationsPrevious: 0,
  peopleWithRecentViolations: 0,
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
    ['violationMarked', 3, 'violations', 99],
    ['peopleWithRecentViolations', 30, 'violations', 90],
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
    expect(r.overall).toBe(Math.round((70 + 100 + 90 + 100 + 50 + 100 + 99) / 7));
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
        person({
          color: 'red',
          reasons: ['suspended'],
          suspension: { since: 'x', points: 12, violationIds: [], courses: [] },
        }),
        // A review-at-risk mark that has lapsed stays on the record but not in the status.
        person({ reviewAtRisk: { since: '2025-01-01', until: '2026-01-01', violationIds: [] } }),
      ],
      9,
      [
        { personId: 'a', occurredOn: '2026-05-31', status: 'confirmed' },
        { personId: 'a', occurredOn: '2026-03-04', status: 'confirmed' },
        { personId: 'b', occurredOn: '2026-03-03', status: 'confirmed' },
        { personId: 'c', occurredOn: '2026-05-01', status: 'proposed' },
        { personId: 'd', occurredOn: '2026-05-01', status: 'dismissed' },
        { personId: 'e', occurredOn: '2025-12-05', status: 'confirmed' },
        { personId: 'e', occurredOn: '2025-12-04', status: 'confirmed' },
        { personId: 'f', occurredOn: '2026-06-02', status: 'confirmed' },
      ],
      '2026-06-01',
    );
    expect(facts).toEqual({
      people: 6,
      redForCertificates: 1,
      reviewLate: 1,
      withoutHomeSite: 1,
      subcontractorWorkers: 1,
      subcontractorWorkersRed: 1,
      reachable: 6,
      certificates: 6,
      certificatesVerified: 3,
      violationMarked: 1,
      // 2026-03-04 … 2026-06-01 is the last 90 days; 2025-12-04 … 2026-03-03 the 90 before.
      violationsRecent: 2,
      violationsPrevious: 3,
      peopleWithRecentViolations: 1,
    });
  });

  it.each<[number, number, number]>([
    [0, 0, 100],
    [0, 9, 100],
    [1, 0, 25],
    [3, 3, 50],
    [1, 1, 50],
    [2, 5, 100],
    [4, 9, 100],
    [5, 9, 83],
    [9, 4, 25],
    [99, 0, 1],
  ])('scores %i violations after %i in the quarter before %i', (recent, previous, score) => {
    expect(violationsTrendScore(recent, previous)).toBe(score);
  });

  it('scores the violations area from the marks, the people involved and the direction', () => {
    const rising = computeRadar({
      ...perfect,
      violationsRecent: 8,
      violationsPrevious: 2,
      peopleWithRecentViolations: 6,
    });
    const area = rising.areas.find((a) => a.area === 'violations');
    expect(area).toEqual({
      area: 'violations',
      score: Math.round((100 + 94 + 17) / 3),
      figures: { people: 100, marked: 0, recent: 8, previous: 2, peopleWithRecent: 6, trend: 17 },
      gap: 6,
    });
    // No one marked: the crews with a recent violation are briefed; marked people come first.
    expect(rising.actions.find((a) => a.area === 'violations')).toMatchObject({
      action: 'brief_crews_on_violations',
      count: 6,
    });
    const marked = computeRadar({
      ...perfect,
      violationsRecent: 8,
      peopleWithRecentViolations: 6,
      violationMarked: 2,
    });
    expect(marked.actions.find((a) => a.area === 'violations')).toMatchObject({
      action: 'train_marked_people',
      count: 2,
    });
    // Falling: the same people involved score higher than when rising.
    const falling = computeRadar({
      ...perfect,
      violationsRecent: 2,
      violationsPrevious: 8,
      peopleWithRecentViolations: 6,
    });
    expect(falling.areas.find((a) => a.area === 'violations')?.score).toBeGreaterThan(area?.score ?? 100);
  });

  it('draws the radar as SVG with the zh-CN labels and scores, text escaped', () => {
    const svg = radarSvg(computeRadar({ ...perfect, redForCertificates: 20 }).areas, '合规雷达 <测试>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('证书有效 80');
    expect(svg).toContain('违章趋势 100');
    expect(svg).toContain('合规雷达 &#60;测试&#62;');
    expect(svg.match(/<polygon /g)).toHaveLength(5);
  });
});
