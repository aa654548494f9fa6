import { describe, expect, it } from 'vitest';
import { type BadgeBinding, decideScan, type GateView } from '../../functions/gates/decision.ts';

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

describe('a lapse by date not yet recomputed by the sweep', () => {
  it.each([
    ['lapses today', '2026-11-29', 'in', 'deny', 'person_frozen'],
    ['lapsed yesterday', '2026-11-28', 'in', 'deny', 'person_frozen'],
    ['lapses tomorrow', '2026-11-30', 'in', 'allow', 'ok'],
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
