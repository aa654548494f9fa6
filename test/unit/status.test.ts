import { describe, expect, it } from 'vitest';
import {
  type CertificateFacts,
  computePersonStatus,
  DEFAULT_THRESHOLDS,
  defaultReviewDueOn,
  evaluateCertificate,
  maxExpiresOn,
  REASON_COLOR,
  renewalChains,
  vacuumPeriodBetween,
} from '../../functions/domain/status-rules.ts';

const TODAY = '2026-11-28';

function cert(overrides: Partial<CertificateFacts> & { certificateId?: string } = {}): CertificateFacts {
  return {
    certificateId: 'c1',
    scheme: 'SAMR',
    category: 'N1',
    issuedOn: '2024-01-10',
    expiresOn: '2028-01-09',
    reviewDueOn: null,
    ...overrides,
  };
}

describe('one certificate on its own', () => {
  it.each([
    // expiresOn, reviewDueOn, colour, daysLeft, reason
    ['2027-01-28', null, 'green', 61, 'reminder_window'],
    ['2027-01-27', null, 'yellow', 60, 'expiring'],
    ['2026-12-29', null, 'yellow', 31, 'expiring'],
    ['2026-12-28', null, 'yellow', 30, 'expiring_urgent'],
    ['2026-11-28', null, 'yellow', 0, 'expiring_urgent'], // valid through its expiry day
    ['2026-11-27', null, 'red', -1, 'expired'],
    ['2027-02-26', null, 'green', 90, 'reminder_window'],
    ['2027-02-27', null, 'green', 91, undefined],
    ['2029-01-01', '2027-01-27', 'yellow', 60, 'review_due'],
    ['2029-01-01', '2026-12-01', 'yellow', 3, 'review_due_urgent'],
    ['2029-01-01', '2026-11-27', 'red', -1, 'review_missed'],
  ] as const)(
    'expires %s, review %s → %s (%i days left, %s)',
    (expiresOn, reviewDueOn, color, daysLeft, reason) => {
      const result = evaluateCertificate(cert({ expiresOn, reviewDueOn }), TODAY, DEFAULT_THRESHOLDS);
      expect(result.color).toBe(color);
      expect(result.daysLeft).toBe(daysLeft);
      expect(result.reasons[0]?.code).toBe(reason);
    },
  );

  it('is red from the day it is revoked', () => {
    expect(evaluateCertificate(cert({ revokedOn: TODAY }), TODAY, DEFAULT_THRESHOLDS).reasons[0]?.code).toBe(
      'revoked',
    );
    expect(evaluateCertificate(cert({ revokedOn: '2026-11-29' }), TODAY, DEFAULT_THRESHOLDS).color).toBe(
      'green',
    );
  });

  it('is red before its issue date', () => {
    expect(
      evaluateCertificate(cert({ issuedOn: '2026-11-29' }), TODAY, DEFAULT_THRESHOLDS).reasons[0]?.code,
    ).toBe('not_yet_valid');
  });

  it('follows tenant thresholds', () => {
    const t = { reminderDays: 120, yellowDays: 90, escalateDays: 45 };
    expect(evaluateCertificate(cert({ expiresOn: '2027-02-26' }), TODAY, t).color).toBe('yellow');
    expect(evaluateCertificate(cert({ expiresOn: '2027-01-12' }), TODAY, t).reasons[0]?.code).toBe(
      'expiring_urgent',
    );
  });
});

describe('scheme rules', () => {
  it.each([
    ['MEM', '2024-03-01', '2030-02-28', false, '2027-03-01'],
    ['MEM', '2024-03-01', '2030-02-28', true, null], // extended interval: the renewal is the review
    ['SAMR', '2024-03-01', '2028-02-29', false, null],
    ['MOHURD', '2024-03-01', '2026-02-28', false, null],
  ] as const)(
    '%s issued %s expiring %s (extended %s) is reviewed by %s',
    (scheme, issuedOn, expiresOn, ext, due) => {
      expect(defaultReviewDueOn(scheme, issuedOn, expiresOn, ext)).toBe(due);
    },
  );

  it.each([
    ['MEM', '2024-03-01', '2030-03-01'],
    ['SAMR', '2024-02-29', '2028-02-29'],
    ['MOHURD', '2024-03-01', null],
  ] as const)('%s issued %s may expire by %s at the latest', (scheme, issuedOn, max) => {
    expect(maxExpiresOn(scheme, issuedOn)).toBe(max);
  });
});

describe('vacuum period between a certificate and its renewal (L4)', () => {
  it.each([
    ['2026-11-20', '2026-11-25', { from: '2026-11-21', to: '2026-11-24' }],
    ['2026-11-20', '2026-11-22', { from: '2026-11-21', to: '2026-11-21' }],
    ['2026-11-20', '2026-11-21', undefined], // renewal starts the day after: no gap
    ['2026-11-20', '2026-10-01', undefined], // renewed early
  ])('old expires %s, renewal issued %s → %j', (expiresOn, issuedOn, gap) => {
    expect(vacuumPeriodBetween(cert({ expiresOn }), cert({ certificateId: 'c2', issuedOn }))).toEqual(gap);
  });
});

describe('a person’s status', () => {
  it('is red with no certificate at all, and frozen', () => {
    const s = computePersonStatus([], TODAY);
    expect(s).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
      dispatch: 'frozen',
      reasons: [{ code: 'no_certificate' }],
    });
  });

  it('is the worst colour of the certificates in force', () => {
    const s = computePersonStatus(
      [
        cert({ certificateId: 'green' }),
        cert({ certificateId: 'yellow', category: 'Q2', expiresOn: '2027-01-01' }),
      ],
      TODAY,
    );
    expect(s.color).toBe('yellow');
    expect(s.gateAccess).toBe('allowed');
    expect(s.reasons).toEqual([{ code: 'expiring', certificateId: 'yellow', date: '2027-01-01', days: 34 }]);
  });

  it('is red when any certificate in force is expired', () => {
    const s = computePersonStatus(
      [cert(), cert({ certificateId: 'old', category: 'Q2', expiresOn: '2026-11-01' })],
      TODAY,
    );
    expect(s.color).toBe('red');
    expect(s.dispatch).toBe('frozen');
  });

  it('ignores a replaced certificate once its renewal is in force', () => {
    const old = cert({ certificateId: 'old', issuedOn: '2020-11-01', expiresOn: '2024-10-31' });
    const renewal = cert({
      certificateId: 'new',
      issuedOn: '2024-11-05',
      expiresOn: '2028-11-04',
      replacesCertificateId: 'old',
    });
    const s = computePersonStatus([old, renewal], TODAY);
    expect(s.color).toBe('green');
    expect(s.certificates.find((c) => c.certificateId === 'old')).toMatchObject({
      current: false,
      color: 'red',
    });
    expect(s.certificates.find((c) => c.certificateId === 'new')).toMatchObject({
      current: true,
      vacuumPeriod: { from: '2024-11-01', to: '2024-11-04' },
    });
  });

  it.each([
    ['2026-11-26', 'green'], // old still valid
    ['2026-11-27', 'red'], // first day of the gap
    ['2026-11-29', 'red'], // last day of the gap
    ['2026-11-30', 'green'], // renewal issued
  ])('inside the vacuum period is red (today %s → %s)', (today, color) => {
    const old = cert({ certificateId: 'old', issuedOn: '2022-11-27', expiresOn: '2026-11-26' });
    const renewal = cert({
      certificateId: 'new',
      issuedOn: '2026-11-30',
      expiresOn: '2030-11-29',
      replacesCertificateId: 'old',
    });
    const s = computePersonStatus([old, renewal], today);
    expect(s.color === 'red' ? 'red' : 'green').toBe(color);
    if (color === 'red')
      expect(s.reasons[0]).toMatchObject({ code: 'vacuum_period', certificateId: 'new', date: '2026-11-29' });
  });

  it('does not chase an expiring certificate whose gap-free renewal is already entered', () => {
    const old = cert({ certificateId: 'old', issuedOn: '2022-12-20', expiresOn: '2026-12-19' });
    const renewal = cert({
      certificateId: 'new',
      issuedOn: '2026-12-20',
      expiresOn: '2030-12-19',
      replacesCertificateId: 'old',
    });
    const s = computePersonStatus([old, renewal], TODAY);
    expect(s.color).toBe('green');
    expect(s.reasons).toEqual([{ code: 'renewal_entered', certificateId: 'new', date: '2026-12-20' }]);
  });

  it('tells the next day on which the colour may change by date alone', () => {
    const s = computePersonStatus([cert({ expiresOn: '2027-06-30' })], TODAY);
    expect(s.nextChangeOn).toBe('2027-04-01'); // 90 days before expiry: reminder window opens
  });
});

describe('when gate access lapses by date alone (offline allowlists)', () => {
  it.each([
    ['expiry far ahead: the day after it expires', [cert({ expiresOn: '2027-06-30' })], '2027-07-01'],
    ['expiring tomorrow', [cert({ expiresOn: '2026-11-29' })], '2026-11-30'],
    ['a review due first', [cert({ expiresOn: '2030-01-01', reviewDueOn: '2027-03-01' })], '2027-03-02'],
    [
      'a renewal entered without a gap: no lapse before the renewal itself expires',
      [
        cert({ certificateId: 'old', expiresOn: '2026-12-31' }),
        cert({
          certificateId: 'new',
          issuedOn: '2027-01-01',
          expiresOn: '2033-12-31',
          replacesCertificateId: 'old',
        }),
      ],
      '2034-01-01',
    ],
    [
      'a renewal issued after a gap: lapses for the vacuum period',
      [
        cert({ certificateId: 'old', expiresOn: '2026-12-31' }),
        cert({
          certificateId: 'new',
          issuedOn: '2027-01-10',
          expiresOn: '2033-12-31',
          replacesCertificateId: 'old',
        }),
      ],
      '2027-01-01',
    ],
  ] as const)('%s → %s', (_, certs, lapses) => {
    expect(computePersonStatus([...certs], TODAY).accessLapsesOn).toBe(lapses);
  });

  it('says nothing for a person frozen already', () => {
    expect(computePersonStatus([cert({ expiresOn: '2026-11-01' })], TODAY).accessLapsesOn).toBeUndefined();
    // Frozen, with a later change day ahead (another certificate's reminder): still nothing.
    const frozen = computePersonStatus(
      [
        cert({ expiresOn: '2026-11-01' }),
        cert({ certificateId: 'c2', category: 'Q2', expiresOn: '2027-06-30' }),
      ],
      TODAY,
    );
    expect(frozen.nextChangeOn).not.toBeNull();
    expect(frozen.accessLapsesOn).toBeUndefined();
  });
});

describe('what the registry said, in the status', () => {
  it.each([
    ['valid', 'green', []],
    ['revoked', 'red', ['registry_revoked']],
    ['expired', 'red', ['registry_expired']],
    ['not_found', 'red', ['registry_not_found']],
    ['mismatch', 'red', ['registry_mismatch']],
    ['name_review', 'yellow', ['registry_name_review']],
  ] as const)('a certificate the registry answered %s for is %s', (outcome, color, codes) => {
    const s = computePersonStatus([cert({ verification: { outcome, at: '2026-11-01T00:00:00Z' } })], TODAY);
    expect(s.color).toBe(color);
    expect(s.gateAccess).toBe(color === 'red' ? 'frozen' : 'allowed');
    expect(s.reasons.map((r) => r.code)).toEqual(codes);
    expect(s.certificates[0]?.color).toBe(color);
  });

  it('takes the worst colour whatever the order of the certificates', () => {
    const red = cert({ certificateId: 'red', category: 'Q1', verification: { outcome: 'revoked', at: 'x' } });
    const green = cert({ certificateId: 'green' });
    const yellow = cert({ certificateId: 'yellow', category: 'Q2', expiresOn: '2027-01-01' });
    for (const order of [
      [red, green, yellow],
      [green, red, yellow],
      [yellow, green, red],
    ])
      expect(computePersonStatus(order, TODAY).color).toBe('red');
    expect(computePersonStatus([yellow, green], TODAY).color).toBe('yellow');
    expect(computePersonStatus([green, yellow], TODAY).color).toBe('yellow');
  });

  it.each([
    ['revoked before today', { revokedOn: '2026-11-01' }, 'red', 'revoked'],
    ['not valid yet', { issuedOn: '2026-12-01' }, 'red', 'not_yet_valid'],
  ] as const)('a certificate %s is red (colour, not only the reason)', (_, patch, color, code) => {
    const s = computePersonStatus([cert(patch)], TODAY);
    expect(s.color).toBe(color);
    expect(s.certificates[0]?.color).toBe(color);
    expect(s.reasons.map((r) => r.code)).toContain(code);
  });
});

describe('the next day the colour may change by date alone (what the sweep is indexed by)', () => {
  const mem = (reviewDueOn: string, issuedOn: string, expiresOn: string) =>
    cert({ scheme: 'MEM', category: 'welding', issuedOn, expiresOn, reviewDueOn });
  it.each([
    [
      'green, reminder window reached: the day it turns yellow (60 days left)',
      cert({ issuedOn: '2023-02-12', expiresOn: '2027-02-11' }),
      'green',
      '2026-12-13',
    ],
    [
      'yellow: the day it escalates (30 days left)',
      cert({ issuedOn: '2023-01-11', expiresOn: '2027-01-10' }),
      'yellow',
      '2026-12-11',
    ],
    [
      'a review due in 12 days: the day after it, when a missed review turns red',
      mem('2026-12-10', '2023-12-11', '2029-12-10'),
      'yellow',
      '2026-12-11',
    ],
    ['a revocation dated ahead: that day', cert({ revokedOn: '2026-12-15' }), 'green', '2026-12-15'],
  ])('%s', (_, c, color, next) => {
    const s = computePersonStatus([c], TODAY);
    expect(s.color).toBe(color);
    expect(s.nextChangeOn).toBe(next);
  });

  it('keeps a review due today in force (valid through its due day) and misses one due yesterday', () => {
    expect(computePersonStatus([mem(TODAY, '2023-11-29', '2029-11-28')], TODAY)).toMatchObject({
      color: 'yellow',
      gateAccess: 'allowed',
    });
    const missed = computePersonStatus([mem('2026-11-27', '2023-11-28', '2029-11-27')], TODAY);
    expect(missed.color).toBe('red');
    expect(missed.reasons.map((r) => r.code)).toEqual(['review_missed']);
  });
});

describe('rules mutation testing found unpinned', () => {
  it('gives a reason the colour it gives its certificate, for every reason a certificate can have', () => {
    const cases: [Partial<CertificateFacts>, string][] = [
      [{ revokedOn: '2026-11-01' }, 'revoked'],
      [{ issuedOn: '2026-12-01' }, 'not_yet_valid'],
      [{ expiresOn: '2026-11-27' }, 'expired'],
      [{ expiresOn: '2029-01-01', reviewDueOn: '2026-11-27' }, 'review_missed'],
      [{ expiresOn: '2027-01-27' }, 'expiring'],
      [{ expiresOn: '2026-12-01' }, 'expiring_urgent'],
      [{ expiresOn: '2029-01-01', reviewDueOn: '2027-01-27' }, 'review_due'],
      [{ expiresOn: '2029-01-01', reviewDueOn: '2026-12-01' }, 'review_due_urgent'],
      [{ expiresOn: '2027-02-20' }, 'reminder_window'],
      [{ verification: { outcome: 'revoked' } as CertificateFacts['verification'] }, 'registry_revoked'],
      [{ verification: { outcome: 'expired' } as CertificateFacts['verification'] }, 'registry_expired'],
      [{ verification: { outcome: 'not_found' } as CertificateFacts['verification'] }, 'registry_not_found'],
      [{ verification: { outcome: 'mismatch' } as CertificateFacts['verification'] }, 'registry_mismatch'],
      [
        { verification: { outcome: 'name_review' } as CertificateFacts['verification'] },
        'registry_name_review',
      ],
      [{ forgery: 'pending_review' }, 'forgery_review'],
      [
        { forgery: 'forged', verification: { outcome: 'valid' } as CertificateFacts['verification'] },
        'forgery_confirmed',
      ],
    ];
    for (const [facts, code] of cases) {
      const own = evaluateCertificate(cert(facts), TODAY, DEFAULT_THRESHOLDS);
      expect(own.reasons[0]?.code, code).toBe(code);
      expect(REASON_COLOR[code as keyof typeof REASON_COLOR], code).toBe(own.color);
    }
    // The person-level reasons: no certificate, a gap before a renewal, a renewal entered.
    expect(REASON_COLOR.no_certificate).toBe(computePersonStatus([], TODAY).color);
    const gap = computePersonStatus(
      [
        cert({ certificateId: 'old', expiresOn: '2026-11-20' }),
        cert({ certificateId: 'new', issuedOn: '2026-12-01', replacesCertificateId: 'old' }),
      ],
      TODAY,
    );
    expect(gap.reasons[0]?.code).toBe('vacuum_period');
    expect(REASON_COLOR.vacuum_period).toBe(gap.color);
    const entered = computePersonStatus(
      [
        cert({ certificateId: 'old', expiresOn: '2026-12-19' }),
        cert({ certificateId: 'new', issuedOn: '2026-12-20', replacesCertificateId: 'old' }),
      ],
      TODAY,
    );
    expect(entered.reasons[0]?.code).toBe('renewal_entered');
    expect(REASON_COLOR.renewal_entered).toBe(entered.color);
  });

  it('lists the person’s reasons worst first (red, then yellow, then green), whatever the order of certificates', () => {
    const green = cert({ certificateId: 'g', category: 'Q1', expiresOn: '2027-02-20' }); // reminder_window
    const yellow = cert({ certificateId: 'y', category: 'Q2', expiresOn: '2027-01-27' }); // expiring
    const red = cert({ certificateId: 'r', category: 'N1', expiresOn: '2026-11-01' }); // expired
    for (const order of [
      [green, yellow, red],
      [yellow, green, red],
      [red, green, yellow],
      [green, red, yellow],
    ]) {
      expect(computePersonStatus(order, TODAY).reasons.map((r) => r.certificateId)).toEqual(['r', 'y', 'g']);
    }
  });

  it('turns a review due on or after expiry into the renewal itself, and counts down to expiry then', () => {
    // MEM: review every 3 years (6 when extended); a review on the expiry day is no review.
    expect(defaultReviewDueOn('MEM', '2024-01-10', '2030-01-09')).toBe('2027-01-10');
    expect(defaultReviewDueOn('MEM', '2024-01-10', '2030-01-09', true)).toBeNull();
    expect(defaultReviewDueOn('MEM', '2024-01-10', '2027-01-10')).toBeNull();
    const due = evaluateCertificate(
      cert({ expiresOn: '2026-12-10', reviewDueOn: '2026-12-10' }),
      TODAY,
      DEFAULT_THRESHOLDS,
    );
    expect(due.reasons[0]?.code).toBe('expiring_urgent');
  });

  it('keeps a revoked certificate red although a gap-free renewal is entered, and a yellow one green', () => {
    const renewal = cert({ certificateId: 'new', issuedOn: '2026-12-20', replacesCertificateId: 'old' });
    const revoked = computePersonStatus(
      [cert({ certificateId: 'old', expiresOn: '2026-12-19', revokedOn: '2026-11-01' }), renewal],
      TODAY,
    );
    expect(revoked.color).toBe('red');
    expect(revoked.reasons[0]?.code).toBe('revoked');
    const expiring = computePersonStatus(
      [cert({ certificateId: 'old', expiresOn: '2026-12-19' }), renewal],
      TODAY,
    );
    expect(expiring.color).toBe('green');
  });

  it('carries each certificate’s registry verification into the status (null when never checked)', () => {
    const verification = { outcome: 'valid' } as CertificateFacts['verification'];
    const s = computePersonStatus(
      [cert({ verification }), cert({ certificateId: 'c2', category: 'Q2' })],
      TODAY,
    );
    expect(s.certificates[0]?.verification).toEqual(verification);
    expect(s.certificates[1]?.verification).toBeNull();
  });

  it('lists the categories of the certificates in force, once each and sorted, not those replaced', () => {
    const s = computePersonStatus(
      [
        cert({ certificateId: 'q2', category: 'Q2' }),
        cert({ certificateId: 'old', category: 'W1', expiresOn: '2026-01-01' }),
        cert({ certificateId: 'new', category: 'N1', issuedOn: '2025-12-01', replacesCertificateId: 'old' }),
        cert({ certificateId: 'n1', category: 'N1' }),
      ],
      TODAY,
    );
    expect(s.categories).toEqual(['N1', 'Q2']);
    expect(computePersonStatus([], TODAY).categories).toEqual([]);
  });

  it('follows a renewal chain that loops back on itself without hanging', () => {
    const head = cert({ certificateId: 'h', replacesCertificateId: 'a' });
    const a = cert({ certificateId: 'a', replacesCertificateId: 'b' });
    const b = cert({ certificateId: 'b', replacesCertificateId: 'a' });
    expect(renewalChains([head, a, b]).map((chain) => chain.map((c) => c.certificateId))).toEqual([
      ['b', 'a', 'h'],
    ]);
  });

  it('looks ahead at most 12 change days for a lapse of gate access', () => {
    // A certificate expiring 2027-06-30 lapses on 2027-07-01, after its reminder, yellow and
    // urgent days; each filler chain adds one change day before (its renewal's issue date).
    const lapsing = cert({ certificateId: 'x', expiresOn: '2027-06-30' });
    const fillers = (n: number) =>
      Array.from({ length: n }, (_, i) => [
        cert({ certificateId: `o${i}`, category: `F${i}`, expiresOn: '2035-01-01' }),
        cert({
          certificateId: `r${i}`,
          category: `F${i}`,
          issuedOn: `2026-12-${String(i + 1).padStart(2, '0')}`,
          expiresOn: '2040-01-01',
          replacesCertificateId: `o${i}`,
        }),
      ]).flat();
    // 3 + 8 change days before the lapse: the 12th day looked at is the lapse.
    expect(computePersonStatus([lapsing, ...fillers(8)], TODAY).accessLapsesOn).toBe('2027-07-01');
    // 3 + 9: the lapse is the 13th, beyond the look-ahead.
    expect(computePersonStatus([lapsing, ...fillers(9)], TODAY).accessLapsesOn).toBeUndefined();
  });
});

describe('a certificate locked on a forgery suspicion (O3)', () => {
  it('is red while under review, whatever its dates and the registry say, and so is its holder', () => {
    const locked = cert({
      forgery: 'pending_review',
      verification: { outcome: 'valid', at: '2026-11-01T00:00:00Z' },
    });
    expect(evaluateCertificate(locked, TODAY, DEFAULT_THRESHOLDS)).toEqual({
      color: 'red',
      daysLeft: 407,
      reasons: [{ code: 'forgery_review', certificateId: 'c1' }],
    });
    const person = computePersonStatus([locked, cert({ certificateId: 'c2', category: 'Q2' })], TODAY);
    expect(person.color).toBe('red');
    expect(person.gateAccess).toBe('frozen');
    expect(computePersonStatus([cert()], TODAY).color).toBe('green');
  });
});
