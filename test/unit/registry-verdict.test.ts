// The verdict on one of our certificates from what the registry answered (SPEC L2).
import { describe, expect, it } from 'vitest';
import type { RegistryRecord } from '../../functions/domain/registry-record.ts';
import { judge, type OurCertificate } from '../../functions/domain/verification-outcome.ts';
import { pinyinSyllables } from '../../functions/verification/pinyin.ts';

const ours: OurCertificate = {
  scheme: 'SAMR',
  number: 'TS-N1-0001',
  category: 'N1',
  issuedOn: '2024-01-10',
  expiresOn: '2028-01-09',
  holderName: '张伟',
  holderIdNumberMasked: '3301**********2536',
};

const record = (patch: Partial<RegistryRecord> = {}): RegistryRecord => ({
  scheme: 'SAMR',
  number: 'ts-n1-0001', // registries differ in case
  category: 'N1',
  subType: null,
  holderName: '张伟',
  holderFormerNames: [],
  holderIdNumberMasked: '3301**********2536',
  issuedOn: '2024-01-10',
  expiresOn: '2028-01-09',
  status: 'valid',
  revokedOn: null,
  authority: null,
  ...patch,
});

const today = '2026-12-01';

describe('judging a registry answer', () => {
  it.each([
    ['the same record', [record()], 'valid', []],
    ['no record', [], 'not_found', []],
    ['a record of another scheme only', [record({ scheme: 'MEM' })], 'not_found', []],
    ['a record of another number only', [record({ number: 'TS-N1-0002' })], 'not_found', []],
    ['a revoked record', [record({ status: 'revoked', revokedOn: '2026-10-01' })], 'revoked', []],
    ['a record the registry calls expired', [record({ status: 'expired' })], 'expired', []],
    ['a record whose expiry has passed', [record({ expiresOn: '2026-11-30' })], 'mismatch', ['expiresOn']],
    ['another issue date', [record({ issuedOn: '2024-01-11' })], 'mismatch', ['issuedOn']],
    ['another category', [record({ category: 'Q2' })], 'mismatch', ['category']],
    ['another sub-type', [record({ subType: 'x' })], 'mismatch', ['subType']],
    ['another holder', [record({ holderIdNumberMasked: '1101**********002X' })], 'mismatch', ['idNumber']],
    ['the name in pinyin', [record({ holderName: 'Zhang Wei' })], 'name_review', ['holderName']],
    ['another name altogether', [record({ holderName: '李娜' })], 'mismatch', ['holderName']],
    [
      'a former name',
      [record({ holderName: '张三', holderFormerNames: ['张伟'] })],
      'name_review',
      ['holderName'],
    ],
  ] as const)('%s → %s', (_, records, outcome, fields) => {
    const verdict = judge(ours, [...records], today, pinyinSyllables);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.mismatches.map((m) => m.field)).toEqual(fields);
  });

  it('takes the registry’s name as a former name when our record was corrected from it (name review)', () => {
    const corrected = { ...ours, holderName: '王芳', holderFormerNames: ['张伟'] };
    const verdict = judge(corrected, [record()], today, pinyinSyllables);
    expect(verdict.outcome).toBe('name_review');
    expect(verdict.mismatches).toEqual([
      { field: 'holderName', ours: '王芳', registry: '张伟', nameMatch: 'former_name' },
    ]);
    expect(judge({ ...corrected, holderFormerNames: [] }, [record()], today, pinyinSyllables).outcome).toBe(
      'mismatch',
    );
  });

  it('prefers the record of the same item when one number holds several', () => {
    const verdict = judge(ours, [record({ category: 'Q2' }), record()], today, pinyinSyllables);
    expect(verdict).toMatchObject({ outcome: 'valid', record: { category: 'N1' } });
  });

  it('tells apart items of one number by sub-type, and takes a matching sub-type as matching', () => {
    const withSub = { ...ours, subType: 'B' };
    const verdict = judge(
      withSub,
      [record({ subType: 'A' }), record({ subType: 'B' })],
      today,
      pinyinSyllables,
    );
    expect(verdict).toMatchObject({ outcome: 'valid', record: { subType: 'B' } });
    expect(judge(withSub, [record({ subType: 'B' })], today, pinyinSyllables).mismatches).toEqual([]);
  });

  it('reports both sides of a difference', () => {
    const verdict = judge(ours, [record({ issuedOn: '2024-02-01' })], today, pinyinSyllables);
    expect(verdict.mismatches).toEqual([{ field: 'issuedOn', ours: '2024-01-10', registry: '2024-02-01' }]);
  });

  it('counts a record expiring today as still valid (valid through its expiry day)', () => {
    expect(judge(ours, [record({ expiresOn: today })], today, pinyinSyllables).outcome).toBe('mismatch'); // dates differ from ours
    const sameDay = { ...ours, expiresOn: today };
    expect(judge(sameDay, [record({ expiresOn: today })], today, pinyinSyllables).outcome).toBe('valid');
    expect(judge(sameDay, [record({ expiresOn: today })], '2026-12-02', pinyinSyllables).outcome).toBe(
      'expired',
    );
  });
});
