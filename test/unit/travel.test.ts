import { describe, expect, it } from 'vitest';
import {
  distanceKm,
  MAX_RECENT_INS,
  type RecentIn,
  recentInsWith,
  travelBreaches,
  travelCandidates,
} from '../../functions/domain/travel.ts';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * 3600_000).toISOString();
const r = (siteId: string, hoursAgo: number): RecentIn => ({ siteId, at: at(hoursAgo) });

// Zhoushan, Ningbo (Beilun, ~54 km away), and a yard next door to Zhoushan.
const locations = new Map([
  ['zs', { lat: 30.0, lng: 122.1 }],
  ['nb', { lat: 29.9, lng: 121.55 }],
  ['zs2', { lat: 30.01, lng: 122.11 }],
  ['bj', { lat: 39.9, lng: 116.4 }],
]);
const RULE = { distanceKm: 50, distanceHours: 24 };

describe('great-circle distance', () => {
  it.each([
    ['the same place', 'zs', 'zs', 0, 0],
    ['Zhoushan to Ningbo', 'zs', 'nb', 50, 60],
    ['next door', 'zs', 'zs2', 0, 2],
    ['Zhoushan to Beijing', 'zs', 'bj', 1100, 1300],
  ])('%s', (_, a, b, min, max) => {
    const km = distanceKm(locations.get(a) as never, locations.get(b) as never);
    expect(km).toBeGreaterThanOrEqual(min);
    expect(km).toBeLessThanOrEqual(max);
  });

  it('is symmetric and exact on a known arc (one degree of latitude ≈ 111.19 km)', () => {
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111.19, 1);
    expect(distanceKm({ lat: 10, lng: 20 }, { lat: 11, lng: 21 })).toBeCloseTo(
      distanceKm({ lat: 11, lng: 21 }, { lat: 10, lng: 20 }),
      9,
    );
    // Antipodes: the haversine's rounding must not make asin() NaN.
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6371, 0);
  });
});

describe("the gate view's recent check-ins", () => {
  it.each([
    ['the first check-in', undefined, r('zs', 0), [r('zs', 0)]],
    ['a second site, newest first', [r('zs', 5)], r('nb', 0), [r('nb', 0), r('zs', 5)]],
    ['the same site again keeps the latest', [r('zs', 5)], r('zs', 1), [r('zs', 1)]],
    ['a redelivered older scan changes nothing', [r('zs', 1)], r('zs', 5), [r('zs', 1)]],
    ['a week and more ago falls off', [r('nb', 169), r('bj', 100)], r('zs', 0), [r('zs', 0), r('bj', 100)]],
    ['exactly a week ago stays', [r('nb', 168)], r('zs', 0), [r('zs', 0), r('nb', 168)]],
    ['an unreadable time is dropped', [{ siteId: 'x', at: 'never' }], r('zs', 0), [r('zs', 0)]],
  ])('%s', (_, previous, checkIn, expected) => {
    expect(recentInsWith(previous, checkIn)).toEqual(expected);
  });

  it('keeps at most the newest sixteen sites', () => {
    const many = Array.from({ length: 30 }, (_, i) => r(`s${i}`, i + 1));
    const list = recentInsWith(many, r('zs', 0));
    expect(list).toHaveLength(MAX_RECENT_INS);
    expect(list[0]).toEqual(r('zs', 0));
    expect(list.at(-1)).toEqual(r(`s${MAX_RECENT_INS - 2}`, MAX_RECENT_INS - 1));
  });
});

describe('the 50 km / 24 h alert', () => {
  it.each([
    ['nothing before', [], []],
    ['the same site only', [r('zs', 2)], []],
    ['another site within the week', [r('nb', 100), r('zs', 2)], ['nb']],
    ['more than a week ago', [r('nb', 169)], []],
    ['a later scan elsewhere (an offline gate catching up)', [{ siteId: 'nb', at: at(-3) }], ['nb']],
  ])('candidates: %s', (_, previous, expected) => {
    expect(travelCandidates(previous, r('zs', 0)).map((c) => c.siteId)).toEqual(expected);
  });

  it.each([
    ['Ningbo 23 h before', [r('nb', 23)], RULE, ['nb→zs 54 km 23 h']],
    ['Ningbo 25 h before', [r('nb', 25)], RULE, []],
    ['next door an hour before', [r('zs2', 1)], RULE, []],
    [
      'Ningbo 25 h before under a 48 h rule',
      [r('nb', 25)],
      { distanceKm: 50, distanceHours: 48 },
      ['nb→zs 54 km 25 h'],
    ],
    ['Ningbo under a 60 km rule', [r('nb', 2)], { distanceKm: 60, distanceHours: 24 }, []],
    ['two far sites', [r('nb', 2), r('bj', 10)], RULE, ['nb→zs 54 km 2 h', 'bj→zs 1217 km 10 h']],
    ['a site with no known location', [r('gone', 2)], RULE, []],
    ['exactly 24 h before still counts', [r('nb', 24)], RULE, ['nb→zs 54 km 24 h']],
  ])('breaches: %s', (_, candidates, rule, expected) => {
    const breaches = travelBreaches(candidates, r('zs', 0), locations, rule);
    expect(breaches.map((b) => `${b.fromSiteId}→${b.toSiteId} ${b.km} km ${b.hours} h`)).toEqual(expected);
    for (const b of breaches) expect(b.toAt).toBe(at(0));
  });

  it('names the earlier check-in and keeps hours to a tenth', () => {
    const [breach] = travelBreaches([r('nb', 1.25)], r('zs', 0), locations, RULE);
    expect(breach).toEqual({
      fromSiteId: 'nb',
      fromAt: at(1.25),
      toSiteId: 'zs',
      toAt: at(0),
      km: 54,
      hours: 1.3,
    });
  });

  it('says nothing for a site it cannot place', () => {
    expect(travelBreaches([r('nb', 1)], r('unknown', 0), locations, RULE)).toEqual([]);
  });
});
