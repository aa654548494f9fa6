import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAllowlist } from '../../functions/gates/allowlist.ts';
import type { GateView } from '../../functions/gates/decision.ts';
import { derToJose } from '../../functions/shared/allowlist-signer.ts';

const view = (personId: string, over: Partial<GateView> = {}): GateView => ({
  personId,
  nameMasked: '张*',
  color: 'green',
  gateAccess: 'allowed',
  reasons: [],
  ...over,
});

describe('building a site allowlist', () => {
  const views = new Map([
    ['p1', view('p1')],
    ['p2', view('p2', { color: 'red', gateAccess: 'frozen' })],
    ['p3', view('p3', { quiz_site_A: 'passed', accessLapsesOn: '2026-12-31' })],
    ['p4', view('p4', { accessLapsesOn: '2026-11-29' })],
  ]);
  const badges = [
    { badgeUid: 'CC', personId: 'p3', active: true },
    { badgeUid: 'AA', personId: 'p1', active: true },
    { badgeUid: 'BB', personId: 'p2', active: true },
    { badgeUid: 'DD', personId: 'p1', active: false },
    { badgeUid: 'EE', personId: 'gone', active: true },
    { badgeUid: 'FF', personId: 'p4', active: true },
  ];
  const now = new Date('2026-11-29T02:00:00Z');
  it.each([
    [
      'no site policy',
      undefined,
      ['AA', 'CC'],
      { BB: 'person_frozen', EE: 'person_unknown', FF: 'person_frozen' },
    ],
    [
      'a site requiring its quiz',
      { siteId: 'site_A', quizRequired: true },
      ['CC'],
      { AA: 'quiz_required', BB: 'person_frozen', EE: 'person_unknown', FF: 'person_frozen' },
    ],
  ] as const)(
    'with %s: the decision a gate would give online, revoked badges left out',
    (_, site, allow, deny) => {
      const list = buildAllowlist({ tenantId: 't', siteId: 'site_A', version: 3, now, badges, views, site });
      expect(list).toEqual([
        {
          typ: 'gate-allowlist',
          tenantId: 't',
          siteId: 'site_A',
          version: 3,
          issuedAt: '2026-11-29T02:00:00.000Z',
          expiresAt: '2026-11-30T02:00:00.000Z',
          allow,
          deny,
          // Allowed now, refused from the day access lapses (p4 lapsed today: denied already).
          until: { CC: '2026-12-31T00:00:00+08:00' },
          part: 0,
          parts: 1,
        },
      ]);
    },
  );
});

describe('an allowlist where the induction runs out', () => {
  it('refuses from the earlier of the certificate lapse and the induction lapse', () => {
    const site = { siteId: 'site_A', quizRequired: true, quizValidDays: 30 };
    const views = new Map([
      [
        'early',
        view('early', {
          quiz_site_A: 'passed',
          quizPassedOn_site_A: '2026-11-10',
          accessLapsesOn: '2027-05-01',
        }),
      ],
      [
        'late',
        view('late', {
          quiz_site_A: 'passed',
          quizPassedOn_site_A: '2026-11-10',
          accessLapsesOn: '2026-12-01',
        }),
      ],
    ]);
    const [list] = buildAllowlist({
      tenantId: 't',
      siteId: 'site_A',
      version: 1,
      now: new Date('2026-11-29T02:00:00Z'),
      badges: [
        { badgeUid: 'E1', personId: 'early', active: true },
        { badgeUid: 'L1', personId: 'late', active: true },
      ],
      views,
      site,
    });
    expect(list?.until).toEqual({ E1: '2026-12-10T00:00:00+08:00', L1: '2026-12-01T00:00:00+08:00' });
  });
});

describe('an allowlist where an engagement ends', () => {
  it('refuses an ended one offline with its reason, and one ending later from its day', () => {
    const end = (on: string) => ({
      on,
      reason: 'subcontractor_terminated' as const,
      subcontractorId: 'sub_1',
    });
    const views = new Map([
      ['gone', view('gone', { engagementEnd: end('2026-11-29') })],
      ['going', view('going', { engagementEnd: end('2026-12-03'), accessLapsesOn: '2027-05-01' })],
    ]);
    const [list] = buildAllowlist({
      tenantId: 't',
      siteId: 'site_A',
      version: 1,
      now: new Date('2026-11-29T02:00:00Z'),
      badges: [
        { badgeUid: 'G1', personId: 'gone', active: true },
        { badgeUid: 'G2', personId: 'going', active: true },
      ],
      views,
    });
    expect(list?.deny).toEqual({ G1: 'subcontractor_terminated' });
    expect(list?.allow).toEqual(['G2']);
    expect(list?.until).toEqual({ G2: '2026-12-03T00:00:00+08:00' });
  });
});

describe('an allowlist in parts', () => {
  const views = new Map([['p', view('p')]]);
  const badges = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      badgeUid: `0A${String(n - i).padStart(6, '0')}`,
      personId: 'p',
      active: true,
    }));
  it.each([
    [0, 2, [0]],
    [2, 2, [2]],
    [5, 2, [2, 2, 1]],
    [6, 3, [3, 3]],
  ])('%i badges in parts of %i → %j', (n, size, sizes) => {
    const parts = buildAllowlist(
      {
        tenantId: 't',
        siteId: 's',
        version: 1,
        now: new Date('2026-11-29T02:00:00Z'),
        badges: badges(n),
        views,
      },
      size,
    );
    expect(parts.map((p) => p.allow.length)).toEqual(sizes);
    expect(parts.map((p) => [p.part, p.parts])).toEqual(sizes.map((_, i) => [i, sizes.length]));
    // Every badge once, in UID order across the parts.
    const all = parts.flatMap((p) => p.allow);
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(n);
  });
});

describe('KMS signature (DER) to JWS ES256 (r‖s)', () => {
  it('gives 64 bytes that verify as IEEE P1363, whatever the integer lengths', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // 200 signatures hit r or s with a leading zero (33-byte DER integer) and short ones.
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`allowlist ${i}`);
      const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
      const jose = derToJose(der);
      expect(jose).toHaveLength(64);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
    }
  });

  it('refuses what is not a DER signature', () => {
    expect(() => derToJose(Buffer.from([0x31, 0x02, 0x02, 0x00]))).toThrow();
  });
});
