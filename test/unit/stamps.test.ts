import { describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../functions/certificates/certificate-repository.ts';
import { applyStamp } from '../../functions/certificates/stamps.ts';

const TODAY = '2026-11-29';
const mem = (over: Partial<CertificateRecord> = {}): CertificateRecord => ({
  tenantId: 't',
  personId: 'p',
  certificateId: 'c',
  scheme: 'MEM',
  category: 'welding',
  numberMasked: 'T1',
  numberHash: 'h',
  numberCipher: 'c',
  issuedOn: '2023-12-20',
  expiresOn: '2029-12-19',
  reviewDueOn: '2026-12-20',
  reviewIntervalExtended: false,
  createdAt: '2023-12-20T00:00:00Z',
  createdBy: 'x',
  ...over,
});
const mohurd = (over: Partial<CertificateRecord> = {}) =>
  mem({
    scheme: 'MOHURD',
    category: 'scaffolder',
    issuedOn: '2024-12-20',
    expiresOn: '2026-12-19',
    reviewDueOn: null,
    ...over,
  });

describe('a review stamped on a MEM card', () => {
  it.each([
    [
      'within the 60 days before it is due: the next one is past expiry, so none',
      mem(),
      '2026-11-28',
      { ok: true, reviewDueOn: null, expiresOn: '2029-12-19' },
    ],
    [
      'a 12-year card: the next review 3 years on',
      mem({ expiresOn: '2035-12-19' }),
      '2026-11-28',
      { ok: true, reviewDueOn: '2029-12-20', expiresOn: '2035-12-19' },
    ],
    [
      'an extended interval (Art. 21): 6 years on',
      mem({ expiresOn: '2035-12-19', reviewIntervalExtended: true }),
      '2026-11-28',
      { ok: true, reviewDueOn: '2032-12-20', expiresOn: '2035-12-19' },
    ],
    ['on the due day itself', mem({ reviewDueOn: '2026-11-29' }), '2026-11-29', { ok: true }],
    [
      'after the due day',
      mem({ reviewDueOn: '2026-11-20' }),
      '2026-11-21',
      { ok: false, problem: 'review_too_late' },
    ],
    ['more than 60 days early', mem(), '2026-10-20', { ok: false, problem: 'review_outside_window' }],
    ['in the future', mem(), '2026-12-01', { ok: false, problem: 'date_in_future' }],
    ['with no review due', mem({ reviewDueOn: null }), '2026-11-28', { ok: false, problem: 'no_review_due' }],
    [
      'on a SAMR card',
      mem({ scheme: 'SAMR', category: 'N1' }),
      '2026-11-28',
      { ok: false, problem: 'no_review_for_scheme' },
    ],
    [
      'on a replaced card',
      mem({ replacedByCertificateId: 'n' }),
      '2026-11-28',
      { ok: false, problem: 'certificate_replaced' },
    ],
    [
      'on a revoked card',
      mem({ revokedOn: '2026-01-01' }),
      '2026-11-28',
      { ok: false, problem: 'certificate_revoked' },
    ],
  ] as const)('%s', (_, cert, reviewedOn, expected) => {
    expect(applyStamp(cert, { kind: 'review', reviewedOn }, TODAY)).toMatchObject(expected);
  });
});

describe('an extension stamped on a MOHURD card', () => {
  it.each([
    [
      'within 3 months of expiry: +2 years',
      mohurd(),
      '2026-11-28',
      undefined,
      { ok: true, expiresOn: '2028-12-19' },
    ],
    [
      'with a shorter new expiry',
      mohurd(),
      '2026-11-28',
      '2027-12-19',
      { ok: true, expiresOn: '2027-12-19' },
    ],
    [
      'more than 2 years on',
      mohurd(),
      '2026-11-28',
      '2028-12-20',
      { ok: false, problem: 'extension_expiry_invalid' },
    ],
    [
      'not later than before',
      mohurd(),
      '2026-11-28',
      '2026-12-19',
      { ok: false, problem: 'extension_expiry_invalid' },
    ],
    ['too early', mohurd(), '2026-09-01', undefined, { ok: false, problem: 'extension_outside_window' }],
    [
      'after expiry',
      mohurd({ expiresOn: '2026-11-20' }),
      '2026-11-28',
      undefined,
      { ok: false, problem: 'certificate_expired' },
    ],
    ['of a MEM card', mem(), '2026-11-28', undefined, { ok: false, problem: 'not_extendable' }],
  ] as const)('%s', (_, cert, extendedOn, expiresOn, expected) => {
    expect(
      applyStamp(cert, { kind: 'extension', extendedOn, ...(expiresOn ? { expiresOn } : {}) }, TODAY),
    ).toMatchObject(expected);
  });
});
