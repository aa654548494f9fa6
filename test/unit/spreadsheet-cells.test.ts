import { describe, expect, it } from 'vitest';
import { csvField, neutralizeFormula } from '../../functions/shared/spreadsheet-cells.ts';

describe('cells written to CSV/XLSX', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['萧山, 一号门', '"萧山, 一号门"'],
    ['plain', 'plain'],
    ['', ''],
  ])('%j → %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('leaves numbers (even negative ones) and empty values as they are', () => {
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(null)).toBe('');
    expect(neutralizeFormula('TS-N1-2023')).toBe('TS-N1-2023');
  });
});
