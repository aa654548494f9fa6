import { describe, expect, it } from 'vitest';
import {
  checkUscc,
  hashIdNumber,
  maskIdLikeRuns,
  maskIdNumber,
  maskName,
  maskPhone,
  residentIdCheckChar,
  residentIdProblem,
  usccCheckChar,
} from '../../functions/shared/identity-numbers.ts';

describe('resident ID numbers (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', undefined],
    ['11010519491231002x', undefined],
    ['440524188001010014', 'birth_date'], // valid checksum, but born before 1900
    ['110105194912310021', 'check_digit'],
    ['11010519491331002X', 'birth_date'],
    ['11010519490229002X', 'birth_date'], // 1949 is not a leap year
    ['1101051949123100', 'format'],
    ['01010519491231002X', 'format'],
    ['1101051949123100XX', 'format'],
    [' 11010519491231002X ', undefined], // pasted with spaces around: trimmed
    ['11010519491231002X1', 'format'], // a 19th character
    ['A11010519491231002X', 'format'], // something before it
    ['110105 19491231002X', 'format'], // a space inside
    ['11010519000101001X', undefined], // born on the first day accepted: 1 January 1900
  ])('%s → %s', (id, problem) => {
    expect(residentIdProblem(id)).toBe(problem);
  });

  it('computes the check character with the standard weights', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });

  it('masks all but the first and last four characters', () => {
    expect(maskIdNumber('33010619900101123x')).toBe('3301**********123X');
  });

  it('hashes the canonical form with a key, so case does not matter and the key does', () => {
    expect(hashIdNumber('11010519491231002x', 'k1')).toBe(hashIdNumber('11010519491231002X', 'k1'));
    expect(hashIdNumber('11010519491231002X', 'k1')).not.toBe(hashIdNumber('11010519491231002X', 'k2'));
    expect(hashIdNumber('11010519491231002X', 'k1')).not.toContain('1101');
  });
});

describe('unified social credit codes (GB 32100-2015)', () => {
  it.each([
    ['91350100M000100Y43', 'valid'],
    ['91350100M000100Y44', 'bad_check_char'],
    ['91350100M000100Y4', 'format'],
    ['91350100M000100YI3', 'format'], // I is not in the alphabet
  ])('%s → %s', (code, verdict) => {
    expect(checkUscc(code)).toBe(verdict);
  });

  it('has no check value for a code with a character outside its alphabet, and reads codes trimmed and in any case', () => {
    expect(usccCheckChar('91350100M000100YI')).toBeUndefined();
    expect(checkUscc(' 91350100m000100y43 ')).toBe('valid');
    // Only the first 17 characters are weighed: the 18th is what is checked.
    expect(checkUscc('91350100M000100Y40')).toBe('bad_check_char');
  });

  it('gives check value 0 when the weighted sum is a multiple of 31', () => {
    // 17 zeros: Σ = 0, so (31 − 0) mod 31 = 0, not 31.
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });
});

describe('masking personal data', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+86 138 1234 5678', '**********5678'],
    ['123', '***'],
    ['1234', '****'], // four or fewer: nothing shown
    ['12345', '*2345'],
  ])('phone %s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it.each([
    ['张三丰', '张**'],
    ['Li', 'L*'],
    ['王', '王'],
    [' 张三 ', '张*'], // trimmed first
    ['', ''],
  ])('name %s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
});

describe('masking ID-like digit runs anywhere in a text', () => {
  it.each([
    ['T330106197007072536', 'T3301**********2536'],
    ['ID:330106197007072536', 'ID:3301**********2536'],
    ['身份证330106197007072536', '身份证3301**********2536'],
    ['330106-19700707-2536', '3301**********2536'],
    ['330106 19700707 2536', '3301**********2536'],
    ['３３０１０６１９７００７０７２５３６', '3301**********2536'],
    ['11010519491231002x', '1101**********002X'],
    ['330106197007072536 张三 焊工 2026年复审', '3301**********2536 张三 焊工 2026年复审'],
    ['a 15-digit old ID 330106700707253', 'a 15-digit old ID 3301*******7253'],
    ['TS-N1-2023-0458', 'TS-N1-2023-0458'],
    ['浙A042020000123', '浙A042020000123'],
    ['phone 13812345678', 'phone 13812345678'],
  ])('%s → %s', (text, masked) => {
    expect(maskIdLikeRuns(text)).toBe(masked);
  });
});
