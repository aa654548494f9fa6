// Uploaded CSV (ledgers, verification batches) read record by record with the line each ends
// on: a line csv-parse cannot read is reported and the rest still read — also after a quote
// opened and never closed, which csv-parse would otherwise read to the end as one field.
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../functions/batches/parse-upload.ts';
import { type CsvRecord, csvRecords, UnreadableCsv } from '../../functions/shared/csv-records.ts';

async function all(text: string, max?: number): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(text, max)) out.push(r);
  return out;
}

describe('the records of a CSV', () => {
  it('gives each record with the line it ends on, blank lines included', async () => {
    expect(await all('a,b\n\n"x\ny",z\n')).toEqual([
      { n: 1, cells: ['a', 'b'] },
      { n: 2, cells: [''] },
      { n: 4, cells: ['x\ny', 'z'] },
    ]);
  });

  it('reports the line of a quote never closed and reads on from the next', async () => {
    expect(await all('a,b\nc,"d\ne,f\r\ng,h')).toEqual([
      { n: 1, cells: ['a', 'b'] },
      { n: 2, unreadable: true },
      { n: 3, cells: ['e', 'f'] },
      { n: 4, cells: ['g', 'h'] },
    ]);
  });

  it('stops recovering past its limit, refusing the file', async () => {
    expect(await all('a\n"b\nc', 1)).toHaveLength(3);
    await expect(all('a\n"b\nc', 0)).rejects.toBeInstanceOf(UnreadableCsv);
    // Line 2's quote closes on line 3, whose next field opens one never closed: two recoveries.
    const twice = 'x\n"\na","\ny';
    expect(await all(twice)).toEqual([
      { n: 1, cells: ['x'] },
      { n: 2, unreadable: true },
      { n: 3, unreadable: true },
      { n: 4, cells: ['y'] },
    ]);
    await expect(all(twice, 1)).rejects.toThrow('too many lines open a quote they never close');
  });

  it('drops a byte-order mark', async () => {
    expect(await all('\uFEFF证书编号,姓名\nTS-1,张三')).toEqual([
      { n: 1, cells: ['证书编号', '姓名'] },
      { n: 2, cells: ['TS-1', '张三'] },
    ]);
  });

  // Quotes out of place are read as they stand (relax_quotes): the one record csv-parse skips
  // is a quote never closed, which is all the reader recovers from.
  it.each([
    ['"a" ,b\nc', [['"a" ', 'b'], ['c']]],
    ['"a"x"\nc', [['"a"x"'], ['c']]],
    ['a,"b"c\nd', [['a', '"b"c'], ['d']]],
    ['"a""b"c\nd', [['"a"b"c'], ['d']]],
    ['""a\nb', [['""a'], ['b']]],
    ['"a" "b"\nc', [['"a" "b"'], ['c']]],
  ])('reads %j as it stands', async (text, cells) => {
    expect((await all(text)).map((r) => ('cells' in r ? r.cells : 'unreadable'))).toEqual(cells);
  });

  it('can be left early (a file past the row limit) without reading the rest', async () => {
    const big = Array.from({ length: 50_000 }, (_, i) => `r${i},x`).join('\n');
    const first: CsvRecord[] = [];
    for await (const r of csvRecords(big)) {
      first.push(r);
      if (first.length === 3) break;
    }
    expect(first.map((r) => r.n)).toEqual([1, 2, 3]);
  });
});

describe('a verification batch in CSV', () => {
  it('keeps the rows after a quote opened and never closed', async () => {
    const rows = await parseCsvText('证书编号,姓名\nTS-1,张三\n"TS-2,李四\nTS-3,王五\n');
    expect(rows.map((r) => [r.row, r.kind])).toEqual([
      [2, 'certificate'],
      [3, 'malformed'],
      [4, 'certificate'],
    ]);
  });

  it('refuses a file with more such lines than it recovers from, as a problem naming the field', async () => {
    await expect(parseCsvText('证书编号\n"TS-1\nTS-2\n', 0)).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field: 'content', code: 'csv_unreadable' }],
    });
  });
});
