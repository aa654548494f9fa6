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
