// Site geofences (issue 28, X5): the fence rules, table-driven, and the site use cases
// against an in-memory site repository — a fence checked around the location whenever
// either changes, and a position answered with the open sites around it (a worker's entry
// opening the induction).
import { describe, expect, it } from 'vitest';
import type { SiteChanges, SiteRepository, VersionedSite } from '../../functions/domain/sites.ts';
import { type Geofence, geofenceProblems, insideFence } from '../../functions/sites/geofence.ts';
import { correctSite, createSite, type SiteDeps, sitesHere } from '../../functions/sites/sites.ts';
import type { Site } from '../../schemas/sites.ts';
import { callerIn, TestClock } from '../support/fakes.ts';

/** A square fence of half-side `d` degrees around (lng, lat). */
const square = (lng: number, lat: number, d: number): Geofence => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng - d, lat - d],
      [lng + d, lat - d],
      [lng + d, lat + d],
      [lng - d, lat + d],
      [lng - d, lat - d],
    ],
  ],
});
const NINGBO = { lat: 29.9, lng: 121.8 };

describe('geofence rules', () => {
  it.each<[string, Geofence, { lat: number; lng: number }, string[]]>([
    ['a square of ~1 km around the site', square(121.8, 29.9, 0.005), NINGBO, []],
    [
      'an open ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [121.79, 29.89],
            [121.81, 29.89],
            [121.81, 29.91],
            [121.79, 29.91],
          ],
        ],
      },
      NINGBO,
      ['geofence_not_closed'],
    ],
    [
      'three positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [121.79, 29.89],
            [121.81, 29.89],
            [121.79, 29.89],
          ],
        ],
      },
      NINGBO,
      ['geofence_not_closed'],
    ],
    [
      'a bow tie',
      {
        type: 'Polygon',
        coordinates: [
          [
            [121.79, 29.89],
            [121.81, 29.91],
            [121.81, 29.89],
            [121.79, 29.91],
            [121.79, 29.89],
          ],
        ],
      },
      NINGBO,
      ['geofence_self_intersecting'],
    ],
    ['a few square metres', square(121.8, 29.9, 0.00001), NINGBO, ['geofence_too_small']],
    ['a province', square(121.8, 29.9, 1), NINGBO, ['geofence_too_large']],
    ['around somewhere else', square(120.2, 30.3, 0.005), NINGBO, ['geofence_excludes_site']],
    // Latitude first by mistake: the fence lands far from the site.
    [
      'latitude first (a site at 30° N, 60° E)',
      square(30, 60, 0.005),
      { lat: 30, lng: 60 },
      ['geofence_excludes_site'],
    ],
  ])('%s', (_, fence, location, problems) => {
    expect(geofenceProblems(fence, location)).toEqual(problems);
  });

  it.each<[string, { lat: number; lng: number }, boolean]>([
    ['the centre', NINGBO, true],
    ['just inside a corner', { lat: 29.8951, lng: 121.7951 }, true],
    ['on the edge', { lat: 29.9, lng: 121.8 + 0.005 }, true],
    ['just outside', { lat: 29.9, lng: 121.8051 }, false],
    ['across town', { lat: 29.95, lng: 121.8 }, false],
  ])('a position at %s is inside: %s', (_, at, inside) => {
    expect(insideFence(square(121.8, 29.9, 0.005), at)).toBe(inside);
  });
});

class InMemorySites implements SiteRepository {
  readonly sites = new Map<string, VersionedSite>();
  async create(_p: unknown, site: Site) {
    this.sites.set(site.siteId, { site, version: 1 });
  }
  async list() {
    return [...this.sites.values()].map((s) => s.site);
  }
  async get(_t: string, siteId: string) {
    return this.sites.get(siteId);
  }
  async update(_p: unknown, current: VersionedSite, expected: number, changes: SiteChanges) {
    const { closed, geofence, ...rest } = changes;
    const site: Site = { ...current.site, ...rest };
    if (geofence) site.geofence = geofence;
    if (geofence === null) delete site.geofence;
    if (closed) site.closed = closed;
    const next = { site, version: expected + 1 };
    this.sites.set(site.siteId, next);
    return next;
  }
}

function world() {
  const sites = new InMemorySites();
  const arrivals: string[] = [];
  const deps: SiteDeps = {
    sites,
    arrive: async (_t, personId, siteId) => {
      arrivals.push(`${personId}@${siteId}`);
      return siteId !== 'inducted-already';
    },
    clock: new TestClock('2026-06-01T02:00:00Z'),
  };
  return { sites, deps, arrivals };
}
const as = callerIn('acme');
const admin = as('group_admin');

describe('site fences (use cases, fakes)', () => {
  it('stores a site with its fence, and refuses one that misses the site, naming the field', async () => {
    const w = world();
    const site = await createSite(
      w.deps,
      admin,
      { name: '北仑', code: 'BL', location: NINGBO, geofence: square(121.8, 29.9, 0.005) },
      'r',
    );
    expect(site.geofence?.coordinates[0]).toHaveLength(5);
    await expect(
      createSite(
        w.deps,
        admin,
        { name: '镇海', code: 'ZH', location: NINGBO, geofence: square(120.2, 30.3, 0.005) },
        'r',
      ),
    ).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field: 'geofence', code: 'geofence_excludes_site' }],
    });
    expect(w.sites.sites.size).toBe(1);
  });

  it('checks the fence it keeps against a moved location, and lets a fence be removed', async () => {
    const w = world();
    const site = await createSite(
      w.deps,
      admin,
      { name: '北仑', code: 'BL', location: NINGBO, geofence: square(121.8, 29.9, 0.005) },
      'r',
    );
    await expect(
      correctSite(w.deps, admin, site.siteId, { location: { lat: 30.3, lng: 120.2 } }, 1, 'r'),
    ).rejects.toMatchObject({ status: 400 });
    const moved = await correctSite(
      w.deps,
      admin,
      site.siteId,
      { location: { lat: 30.3, lng: 120.2 }, geofence: null },
      1,
      'r',
    );
    expect(moved.site.geofence).toBeUndefined();
    await expect(correctSite(w.deps, admin, site.siteId, { name: 'x' }, 1, 'r')).rejects.toMatchObject({
      status: 412,
    });
    await expect(correctSite(w.deps, as('hr'), site.siteId, { name: 'x' }, 2, 'r')).rejects.toMatchObject({
      status: 403,
    });
  });

  it('answers the open fenced sites around a position; a worker’s entry opens the induction where due', async () => {
    const w = world();
    const inside = await createSite(
      w.deps,
      admin,
      { name: '北仑', code: 'BL', location: NINGBO, geofence: square(121.8, 29.9, 0.005) },
      'r',
    );
    await createSite(
      w.deps,
      admin,
      {
        name: '镇海',
        code: 'ZH',
        location: { lat: 29.95, lng: 121.7 },
        geofence: square(121.7, 29.95, 0.005),
      },
      'r',
    );
    await createSite(w.deps, admin, { name: '无围栏', code: 'NF', location: NINGBO }, 'r');
    const staff = await sitesHere(w.deps, as('hr'), NINGBO);
    expect(staff).toEqual({
      items: [{ siteId: inside.siteId, name: '北仑', code: 'BL' }],
      inductionsOpened: [],
    });
    expect(w.arrivals).toEqual([]);
    const worker = as('worker', { personId: 'per_1' });
    expect((await sitesHere(w.deps, worker, NINGBO)).inductionsOpened).toEqual([inside.siteId]);
    expect(w.arrivals).toEqual([`per_1@${inside.siteId}`]);
    // A site manager sees only their sites; nowhere fenced: nothing.
    expect((await sitesHere(w.deps, as('site_manager', { siteIds: ['other'] }), NINGBO)).items).toEqual([]);
    expect((await sitesHere(w.deps, worker, { lat: 31, lng: 121 })).items).toEqual([]);
    // A closed site is nobody's "here".
    const current = w.sites.sites.get(inside.siteId) as VersionedSite;
    await w.sites.update(admin, current, current.version, { closed: { at: 'x', reason: 'x', by: 'x' } });
    expect((await sitesHere(w.deps, worker, NINGBO)).items).toEqual([]);
  });
});
