import { describe, expect, it } from 'vitest';
import {
  type BadgeBinding,
  decideScan,
  type GateView,
  inductionLapsesOn,
  sameScan,
  scanTimeAcceptable,
} from '../../functions/gates/decision.ts';

const badge: BadgeBinding = { badgeUid: '04A1B2C3', personId: 'p1', active: true };
const view = (over: Partial<GateView> = {}): GateView => ({
  personId: 'p1',
  nameMasked: '张*',
  color: 'green',
  gateAccess: 'allowed',
  reasons: [],
  ...over,
});

describe('the gate decision', () => {
  it.each([
    ['an unknown badge', undefined, view(), 'deny', 'badge_unknown'],
    ['a revoked badge', { ...badge, active: false }, view(), 'deny', 'badge_revoked'],
    ['a badge of a deleted person', badge, undefined, 'deny', 'person_unknown'],
    [
      'a red (frozen) worker',
      badge,
      view({ color: 'red', gateAccess: 'frozen', reasons: ['expired'] }),
      'deny',
      'person_frozen',
    ],
    [
      'a worker suspended for training (E1)',
      badge,
      view({ color: 'red', gateAccess: 'frozen', reasons: ['suspended', 'expired'] }),
      'deny',
      'suspended',
    ],
    // The reason alone freezes nothing: the access the status gives decides (fail closed elsewhere).
    ['a suspension reason on an allowed view', badge, view({ reasons: ['suspended'] }), 'allow', 'ok'],
    ['a yellow worker', badge, view({ color: 'yellow' }), 'allow', 'ok'],
    ['a green worker', badge, view(), 'allow', 'ok'],
  ] as const)('%s → %s (%s)', (_, b, v, decision, reason) => {
    expect(decideScan(b, v)).toMatchObject({ decision, reason });
  });

  it('never keeps a frozen worker from leaving', () => {
    expect(decideScan(badge, view({ color: 'red', gateAccess: 'frozen' }), 'out')).toMatchObject({
      decision: 'allow',
    });
    expect(decideScan({ ...badge, active: false }, view(), 'out')).toMatchObject({
      decision: 'deny',
      reason: 'badge_revoked',
    });
  });

  it('tells the gate who it is, masked', () => {
    expect(decideScan(badge, view()).person).toEqual({ personId: 'p1', nameMasked: '张*', color: 'green' });
  });
});

describe('an alliance blacklist hold (O4)', () => {
  const hold = (expiresOn: string) => ({
    entryId: 'bl_1',
    reasonCode: 'forged_certificate' as const,
    expiresOn,
    source: { type: 'own' as const },
  });
  it.each([
    [
      'in force, a green worker',
      view({ blacklist: hold('2029-12-01') }),
      '2026-12-01',
      'in',
      'deny',
      'blacklisted',
    ],
    [
      'in force, a red worker: the blacklist is the reason',
      view({ blacklist: hold('2029-12-01'), color: 'red', gateAccess: 'frozen' }),
      '2026-12-01',
      'in',
      'deny',
      'blacklisted',
    ],
    ['its last day', view({ blacklist: hold('2026-12-02') }), '2026-12-01', 'in', 'deny', 'blacklisted'],
    ['expired today', view({ blacklist: hold('2026-12-01') }), '2026-12-01', 'in', 'allow', 'ok'],
    [
      'no date known: counted',
      view({ blacklist: hold('2020-01-01') }),
      undefined,
      'in',
      'deny',
      'blacklisted',
    ],
    ['on the way out', view({ blacklist: hold('2029-12-01') }), '2026-12-01', 'out', 'allow', 'ok'],
  ] as const)('%s → %s', (_, v, today, direction, decision, reason) => {
    expect(decideScan(badge, v, direction, undefined, today)).toMatchObject({ decision, reason });
  });
});

describe('an ended engagement (terminated subcontractor, departure)', () => {
  const ended = (
    on: string,
    reason: 'subcontractor_terminated' | 'departed' = 'subcontractor_terminated',
  ) => ({
    on,
    reason,
    subcontractorId: 'sub_1',
  });
  it.each([
    [
      'ended today',
      view({ engagementEnd: ended('2026-12-01') }),
      '2026-12-01',
      'in',
      'deny',
      'subcontractor_terminated',
    ],
    [
      'ended last month',
      view({ engagementEnd: ended('2026-11-01', 'departed') }),
      '2026-12-01',
      'in',
      'deny',
      'departed',
    ],
    ['ends tomorrow', view({ engagementEnd: ended('2026-12-02') }), '2026-12-01', 'in', 'allow', 'ok'],
    [
      'ended, and blacklisted too: the end is the reason',
      view({
        engagementEnd: ended('2026-12-01'),
        blacklist: {
          entryId: 'bl_1',
          reasonCode: 'forged_certificate',
          expiresOn: '2029-01-01',
          source: { type: 'own' },
        },
      }),
      '2026-12-01',
      'in',
      'deny',
      'subcontractor_terminated',
    ],
    [
      'no date known: counted',
      view({ engagementEnd: ended('2030-01-01') }),
      undefined,
      'in',
      'deny',
      'subcontractor_terminated',
    ],
    ['on the way out', view({ engagementEnd: ended('2026-11-01') }), '2026-12-01', 'out', 'allow', 'ok'],
  ] as const)('%s → %s', (_, v, today, direction, decision, reason) => {
    expect(decideScan(badge, v as GateView, direction, undefined, today)).toMatchObject({ decision, reason });
  });
});

describe('a lapse by date not yet recomputed by the sweep', () => {
  it.each([
    ['lapses today', '2026-11-29', 'in', 'deny', 'person_frozen'],
    ['lapsed yesterday', '2026-11-28', 'in', 'deny', 'person_frozen'],
    ['lapses tomorrow', '2026-11-30', 'in', 'allow', 'ok'],
    ['lapses next year', '2027-11-30', 'in', 'allow', 'ok'],
    ['lapsed, on the way out', '2026-11-28', 'out', 'allow', 'ok'],
  ] as const)('%s → %s', (_, lapses, direction, decision, reason) => {
    expect(
      decideScan(badge, view({ accessLapsesOn: lapses }), direction, undefined, '2026-11-29'),
    ).toMatchObject({
      decision,
      reason,
    });
  });
});

describe('an induction that runs out (site quiz valid 365 days)', () => {
  const annual = { siteId: 'site_A', quizRequired: true, quizValidDays: 365 };
  it.each([
    ['passed 10 months ago', '2026-01-29', 'allow', 'ok'],
    ['passed exactly a year ago', '2025-11-29', 'deny', 'quiz_required'],
    ['passed a year and a day ago', '2025-11-28', 'deny', 'quiz_required'],
    ['passed before dates were kept', undefined, 'allow', 'ok'],
  ] as const)('%s → %s', (_, passedOn, decision, reason) => {
    const v = view({ quiz_site_A: 'passed', ...(passedOn ? { quizPassedOn_site_A: passedOn } : {}) });
    expect(decideScan(badge, v, 'in', annual, '2026-11-29')).toMatchObject({ decision, reason });
  });
});

describe('the site quiz requirement (X5)', () => {
  const strict = { siteId: 'site_A', quizRequired: true };
  const lax = { siteId: 'site_A', quizRequired: false };
  it.each([
    ['no quiz yet at a strict site', view(), strict, 'in', 'deny', 'quiz_required'],
    [
      'a pending quiz at a strict site',
      view({ quiz_site_A: 'pending' }),
      strict,
      'in',
      'deny',
      'quiz_required',
    ],
    [
      'a quiz passed at another site only',
      view({ quiz_site_B: 'passed' }),
      strict,
      'in',
      'deny',
      'quiz_required',
    ],
    ['a passed quiz at a strict site', view({ quiz_site_A: 'passed' }), strict, 'in', 'allow', 'ok'],
    ['a pending quiz where it is not required', view({ quiz_site_A: 'pending' }), lax, 'in', 'allow', 'ok'],
    ['a site with no policy', view(), undefined, 'in', 'allow', 'ok'],
    ['leaving a strict site without the quiz', view(), strict, 'out', 'allow', 'ok'],
    [
      'a red worker who passed the quiz',
      view({ quiz_site_A: 'passed', gateAccess: 'frozen', color: 'red' }),
      strict,
      'in',
      'deny',
      'person_frozen',
    ],
  ] as const)('%s → %s (%s)', (_, v, site, direction, decision, reason) => {
    expect(decideScan(badge, v, direction, site)).toMatchObject({ decision, reason });
  });
});

describe('scan times a gate could truthfully send', () => {
  const now = new Date('2026-12-01T08:00:00Z');
  it.each([
    ['now', '2026-12-01T08:00:00Z', true],
    ['4 min 59 s ahead (clock skew)', '2026-12-01T08:04:59Z', true],
    ['exactly 5 min ahead', '2026-12-01T08:05:00Z', true],
    ['exactly 24 h ago', '2026-11-30T08:00:00Z', true],
    ['5 min 1 s ahead', '2026-12-01T08:05:01Z', false],
    ['23 h 59 min ago (offline on its list)', '2026-11-30T08:01:00Z', true],
    ['24 h 1 min ago', '2026-11-30T07:59:00Z', false],
    ['in 2099', '2099-01-01T00:00:00Z', false],
    ['not a time', 'yesterday', false],
    ['with an offset', '2026-12-01T16:00:00+08:00', true],
  ])('%s → %s', (_, at, ok) => {
    expect(scanTimeAcceptable(at, now, 24)).toBe(ok);
  });
});

describe('a redelivered scan', () => {
  const first = { badgeUid: '04A1B2C3D4', direction: 'in', at: '2026-12-01T08:00:00Z' };
  it.each([
    ['the same message', first, true],
    ['the same instant written with an offset', { ...first, at: '2026-12-01T16:00:00+08:00' }, true],
    ['another badge', { ...first, badgeUid: '04A1B2C3D5' }, false],
    ['another direction', { ...first, direction: 'out' }, false],
    ['another time', { ...first, at: '2026-12-01T08:00:01Z' }, false],
  ])('%s → same scan: %s', (_, again, same) => {
    expect(sameScan(first, again)).toBe(same);
  });
});

describe('when a passed induction stops counting', () => {
  const passed = { quiz_site_A: 'passed', quizPassedOn_site_A: '2026-01-10' } as Partial<GateView>;
  it.each([
    [
      'a site that limits it: a year after the pass',
      { siteId: 'site_A', quizRequired: true, quizValidDays: 365 },
      passed,
      '2027-01-10',
    ],
    ['a site that does not limit it: never', { siteId: 'site_A', quizRequired: true }, passed, undefined],
    ['no site policy: never', undefined, passed, undefined],
    [
      'a quiz pending again (a stale pass date left beside it): not as passed',
      { siteId: 'site_A', quizRequired: true, quizValidDays: 365 },
      { ...passed, quiz_site_A: 'pending' } as Partial<GateView>,
      undefined,
    ],
  ] as const)('%s', (_, site, v, lapses) => {
    expect(inductionLapsesOn(view(v as Partial<GateView>), site)).toBe(lapses);
  });
});
