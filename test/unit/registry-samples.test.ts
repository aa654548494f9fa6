import { describe, expect, it } from 'vitest';
import { judge } from '../../functions/domain/verification-outcome.ts';
import { residentIdProblem } from '../../functions/shared/identity-numbers.ts';
import { pinyinSyllables } from '../../functions/verification/pinyin.ts';
import { SAMPLE_RECORDS } from '../../infra/local/registry-simulator.ts';

describe('the registry simulator’s sample records', () => {
  it('carry valid ID numbers', () => {
    for (const r of SAMPLE_RECORDS) expect(residentIdProblem(r.holderIdNumber)).toBeUndefined();
  });

  it.each([
    ['TS-SAMPLE-VALID', '张伟', 'valid'],
    ['TS-SAMPLE-EXPIRED', '李娜', 'expired'],
    ['TS-SAMPLE-REVOKED', '王强', 'revoked'],
    ['TS-SAMPLE-PINYIN', '周芷若', 'name_review'],
    ['TS-SAMPLE-FORMER', '殷素素', 'name_review'],
    ['TS-SAMPLE-ABSENT', '无名', 'not_found'],
  ])('%s held by %s is judged %s', (number, name, outcome) => {
    const record = SAMPLE_RECORDS.find((r) => r.number === number);
    const ours = {
      scheme: record?.scheme ?? 'SAMR',
      number,
      category: record?.category ?? 'N1',
      issuedOn: record?.issuedOn ?? '2024-01-01',
      expiresOn: record?.expiresOn ?? '2028-01-01',
      holderName: name,
      holderIdNumberMasked: record
        ? `${record.holderIdNumber.slice(0, 4)}**********${record.holderIdNumber.slice(-4)}`
        : '',
    };
    const records = record
      ? [
          {
            ...record,
            holderFormerNames: record.holderFormerNames ?? [],
            holderIdNumberMasked: ours.holderIdNumberMasked,
          },
        ]
      : [];
    expect(judge(ours, records, '2026-11-29', pinyinSyllables).outcome).toBe(outcome);
  });
});
