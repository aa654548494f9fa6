import { describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../functions/certificates/certificate-repository.ts';
import { applyStamp } from '../../functions/certificates/stamps.ts';
import { SCHEME_RULES } from '../../functions/domain/scheme-rules.ts';

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
    ['on the first day of its 60-day window', mem(), '2026-10-21', { ok: true }],
    [
      'with the next review falling on the expiry day: none, the renewal replaces it',
      mem({ reviewDueOn: '2026-11-20', expiresOn: '2029-11-20' }),
      '2026-11-20',
      { ok: true, reviewDueOn: null },
    ],
    [
      'with the next review the day before expiry: kept',
      mem({ reviewDueOn: '2026-11-20', expiresOn: '2029-11-21' }),
      '2026-11-20',
      { ok: true, reviewDueOn: '2029-11-20' },
    ],
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
    ['on the first day of its 90-day window', mohurd(), '2026-09-20', undefined, { ok: true }],
    [
      'the day before its window',
      mohurd(),
      '2026-09-19',
      undefined,
      { ok: false, problem: 'extension_outside_window' },
    ],
    ['dated today', mohurd(), TODAY, undefined, { ok: true }],
    ['dated tomorrow', mohurd(), '2026-11-30', undefined, { ok: false, problem: 'date_in_future' }],
    ['on its expiry day', mohurd({ expiresOn: '2026-11-25' }), '2026-11-25', undefined, { ok: true }],
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

describe('the scheme rules themselves', () => {
  it('name their scheme, title and source, with a confidence, and a renewal window that opens before expiry', () => {
    for (const [scheme, rule] of Object.entries(SCHEME_RULES)) {
      expect(rule.scheme).toBe(scheme);
      expect(rule.title.length, scheme).toBeGreaterThan(10);
      expect(rule.source, scheme).toMatch(/Art\. \d+/);
      expect(['high', 'medium', 'low']).toContain(rule.confidence);
      expect(rule.renewalWindow.opensDaysBefore, scheme).toBeGreaterThan(rule.renewalWindow.closesDaysBefore);
    }
    // What the rules say, as the sources give them (MEM Order 30 Art. 22; TSG Z6001 Art. 25).
    expect(SCHEME_RULES.MEM.renewalWindow).toEqual({ opensDaysBefore: 60, closesDaysBefore: 0 });
    expect(SCHEME_RULES.SAMR.renewalWindow).toEqual({ opensDaysBefore: 90, closesDaysBefore: 30 });
    expect(SCHEME_RULES.MOHURD.renewalWindow).toEqual({ opensDaysBefore: 90, closesDaysBefore: 0 });
  });
});
