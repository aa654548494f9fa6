import { describe, expect, it } from 'vitest';
import {
  type CrossSitePermit,
  type Decision,
  permitCovers,
  permitIdFor,
  type Signer,
  sideToSign,
} from '../../functions/permits/permit.ts';
import { Conflict, Forbidden, NotFound } from '../../functions/shared/errors.ts';

const permit = (over: Partial<CrossSitePermit> = {}): CrossSitePermit => ({
  permitId: 'pmt_0123456789abcdef',
  personId: 'per_1',
  nameMasked: '张*',
  fromSiteId: 'site_A',
  toSiteId: 'site_B',
  from: '2026-12-02T00:00:00.000Z',
  to: '2026-12-03T00:00:00.000Z',
  reason: 'support',
  status: 'pending',
  signatures: {},
  requestedBy: 'hr',
  requestedAt: '2026-12-01T00:00:00.000Z',
  timeoutSeconds: 172800,
  ...over,
});
const manager = (subject: string, siteIds: string[]): Signer => ({ subject, role: 'site_manager', siteIds });
const signed = (by: string, decision: Decision = 'approve') => ({ decision, by, at: '2026-12-01T01:00:00Z' });

const outcome = (p: CrossSitePermit, s: Signer, d: Decision = 'approve') => {
  try {
    return sideToSign(p, s, d) ?? 'repeat';
  } catch (e) {
    return `${(e as Error).constructor.name}:${(e as Conflict).detailCode}`;
  }
};

describe('who signs which side of a cross-site permit', () => {
  it.each<[string, CrossSitePermit, Signer, Decision, string]>([
    ['the home site’s manager', permit(), manager('a', ['site_A']), 'approve', 'from'],
    ['the host site’s manager', permit(), manager('b', ['site_B']), 'reject', 'to'],
    [
      'a manager of neither site (as if it did not exist)',
      permit(),
      manager('c', ['site_C']),
      'approve',
      'NotFound:permit_not_found',
    ],
    [
      'the same signature again',
      permit({ signatures: { from: signed('a') } }),
      manager('a', ['site_A']),
      'approve',
      'repeat',
    ],
    [
      'a change of mind',
      permit({ signatures: { from: signed('a') } }),
      manager('a', ['site_A']),
      'reject',
      'Conflict:permit_already_signed',
    ],
    [
      'a second manager of an already signed side',
      permit({ signatures: { from: signed('a') } }),
      manager('a2', ['site_A']),
      'approve',
      'Conflict:permit_already_signed',
    ],
    [
      'a manager of both sites, first signature',
      permit(),
      manager('ab', ['site_A', 'site_B']),
      'approve',
      'from',
    ],
    [
      'a manager of both sites, second side',
      permit({ signatures: { from: signed('ab') } }),
      manager('ab', ['site_B', 'site_A']),
      'reject',
      'Conflict:other_site_signs_for_itself',
    ],
    [
      'a finished permit',
      permit({ status: 'expired' }),
      manager('b', ['site_B']),
      'approve',
      'Conflict:permit_finished',
    ],
    [
      'a repeat on a finished permit is still a repeat',
      permit({ status: 'approved', signatures: { to: signed('b') } }),
      manager('b', ['site_B']),
      'approve',
      'repeat',
    ],
  ])('%s', (_, p, s, d, expected) => {
    expect(outcome(p, s, d)).toBe(expected);
  });

  it('lets only site managers sign', () => {
    expect(() => sideToSign(permit(), { subject: 'x', role: 'group_admin', siteIds: [] }, 'approve')).toThrow(
      Forbidden,
    );
    expect(() => sideToSign(permit(), { subject: 'x', role: 'hr', siteIds: ['site_A'] }, 'approve')).toThrow(
      Forbidden,
    );
  });

  it('tells a manager of both sites who signs again that the other site needs its own manager (409, not a silent 200)', () => {
    const both = manager('ab', ['site_A', 'site_B']);
    for (const signedSide of ['from', 'to'] as const) {
      const p = permit({ signatures: { [signedSide]: signed('ab') } });
      const otherSite = signedSide === 'from' ? 'site_B' : 'site_A';
      for (const d of ['approve', 'reject'] as const) {
        expect(() => sideToSign(p, both, d)).toThrow(Conflict);
        try {
          sideToSign(p, both, d);
        } catch (e) {
          expect((e as Conflict).detailCode).toBe('other_site_signs_for_itself');
          expect((e as Conflict).params).toEqual({ siteId: otherSite });
        }
      }
    }
    // On a finished permit the other side is not waited for: a repeat, or finished.
    expect(outcome(permit({ status: 'expired', signatures: { from: signed('ab') } }), both)).toBe('repeat');
    // Once both sides are signed, the same signature again stays a repeat.
    expect(outcome(permit({ signatures: { from: signed('ab'), to: signed('b') } }), both)).toBe('repeat');
  });

  it('never lets one person sign both sides', () => {
    // A manager of both sites whose other side is signed by them: the open side needs someone else.
    const p = permit({ signatures: { to: signed('ab') } });
    expect(() => sideToSign(p, manager('ab', ['site_A', 'site_B']), 'reject')).toThrow(Conflict);
    const q = permit({ signatures: { to: signed('ab') } });
    expect(outcome(q, manager('other', ['site_A']))).toBe('from');
    const r = permit({ signatures: { to: signed('ab') } });
    expect(() => sideToSign(r, manager('ab', ['site_A']), 'approve')).toThrow(Forbidden);
    expect(() => sideToSign(permit(), manager('n', []), 'approve')).toThrow(NotFound);
    // The same from the other side: the home side signed by them, the host side left.
    expect(outcome(permit({ signatures: { from: signed('ab') } }), manager('ab', ['site_B']))).toBe(
      'Forbidden:one_signature_per_person',
    );
    expect(outcome(permit({ signatures: { to: signed('ab') } }), manager('ab', ['site_A']))).toBe(
      'Forbidden:one_signature_per_person',
    );
  });

  it('names the state of a finished permit', () => {
    try {
      sideToSign(permit({ status: 'rejected' }), manager('b', ['site_B']), 'approve');
    } catch (e) {
      expect((e as Conflict).params).toEqual({ status: 'rejected' });
    }
    expect.assertions(1);
  });
});

describe('what a permit covers', () => {
  const approved = permit({ status: 'approved' });
  it.each<[string, Partial<CrossSitePermit>, string, string, string, boolean]>([
    ['the window exactly', {}, 'site_B', '2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z', true],
    ['inside it', {}, 'site_B', '2026-12-02T08:00:00Z', '2026-12-02T16:00:00Z', true],
    ['starting before it', {}, 'site_B', '2026-12-01T23:59:00Z', '2026-12-02T16:00:00Z', false],
    ['ending after it', {}, 'site_B', '2026-12-02T08:00:00Z', '2026-12-03T00:01:00Z', false],
    ['another site', {}, 'site_C', '2026-12-02T08:00:00Z', '2026-12-02T16:00:00Z', false],
    [
      'a pending permit',
      { status: 'pending' },
      'site_B',
      '2026-12-02T08:00:00Z',
      '2026-12-02T16:00:00Z',
      false,
    ],
    [
      'a rejected permit',
      { status: 'rejected' },
      'site_B',
      '2026-12-02T08:00:00Z',
      '2026-12-02T16:00:00Z',
      false,
    ],
  ])('%s', (_, over, site, from, to, covers) => {
    expect(permitCovers({ ...approved, ...over }, site, from, to)).toBe(covers);
  });
});

describe('permit ids', () => {
  it('are the same for the same request and differ for any other', () => {
    const base = { personId: 'per_1', fromSiteId: 'site_A', toSiteId: 'site_B', from: 'f', to: 't' };
    const id = permitIdFor('t1', base);
    expect(id).toMatch(/^pmt_[0-9A-Za-z]{26}$/);
    expect(permitIdFor('t1', { ...base })).toBe(id);
    // Fields are kept apart: moving characters from one field to the next is another request.
    expect(permitIdFor('t1', { ...base, personId: 'per_1s', fromSiteId: 'ite_A' })).not.toBe(id);
    // Only letters and digits, whatever the digest holds.
    for (let i = 0; i < 64; i++) expect(permitIdFor(`t${i}`, base)).toMatch(/^pmt_[0-9A-Za-z]{26}$/);
    for (const other of [
      permitIdFor('t2', base),
      permitIdFor('t1', { ...base, personId: 'per_2' }),
      permitIdFor('t1', { ...base, toSiteId: 'site_C' }),
      permitIdFor('t1', { ...base, to: 't2' }),
    ])
      expect(other).not.toBe(id);
  });
});
