// Reading a ledger's rows (issue 28): which header is which field, dates as ledgers write
// them, the schemes by their Chinese names, a continuation row (merged cells), and each
// fault refused with the column the user sees.
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { chunksOf, ROWS_PER_CHUNK, samePersonTogether } from '../../functions/imports/imports.ts';
import { mapColumns } from '../../functions/imports/ledger-columns.ts';
import { MAX_LEDGER_ROWS, readLedger, UnreadableLedger } from '../../functions/imports/ledger-file.ts';
import { type LedgerRow, ledgerDate, parseLedgerRow, schemeOf } from '../../functions/imports/ledger-row.ts';
import { MAX_UNCLOSED_QUOTES } from '../../functions/shared/csv-records.ts';
import { newIdNumber } from '../support/fixtures.ts';

describe('the columns of a ledger', () => {
  it('knows the template’s headers, the synonyms ledgers use and English ones', () => {
    expect(mapColumns(['姓名', '身份证号码', '证号', '有效期', '门禁卡号']).columns).toEqual({
      name: 0,
      idNumber: 1,
      certificateNumber: 2,
      expiresOn: 3,
      badgeUid: 4,
    });
    expect(mapColumns(['Name', 'ID Number', 'Expiry Date', 'Staff No.']).columns).toEqual({
      name: 0,
      idNumber: 1,
      expiresOn: 2,
      employeeId: 3,
    });
  });

  it('lets a mapping name a header it does not know, and takes the first of two columns', () => {
    expect(mapColumns(['员工', '身份证', '身份证号'], { 员工: 'name' }).columns).toEqual({
      name: 0,
      idNumber: 1,
    });
  });
});

describe('dates as ledgers write them', () => {
  it.each([
    ['2024-03-01', '2024-03-01'],
    ['2024/3/1', '2024-03-01'],
    ['2024.03.01', '2024-03-01'],
    ['2024年3月1日', '2024-03-01'],
    ['20240301', '2024-03-01'],
    ['２０２４－０３－０１', '2024-03-01'],
    [45352, '2024-03-01'],
    ['45352', '2024-03-01'],
    [new Date('2024-03-01T00:00:00Z'), '2024-03-01'],
    ['2024-02-30', undefined],
    ['2024-13-01', undefined],
    ['下个月', undefined],
    [12, undefined],
  ])('%s → %s', (raw, date) => {
    expect(ledgerDate(raw)).toBe(date);
  });
});

describe('schemes by the names ledgers give them', () => {
  it.each([
    ['特种作业', 'MEM'],
    ['应急管理部', 'MEM'],
    ['MEM', 'MEM'],
    ['特种设备', 'SAMR'],
    ['市场监管', 'SAMR'],
    ['建筑施工', 'MOHURD'],
    ['住建', 'MOHURD'],
    ['消防', undefined],
  ])('%s → %s', (raw, scheme) => {
    expect(schemeOf(raw)).toBe(scheme);
  });
});

describe('one row of a ledger', () => {
  const header = [
    '姓名',
    '身份证号',
    '手机',
    '证书体系',
    '证书类别',
    '证书编号',
    '发证日期',
    '有效期至',
    '工牌UID',
  ];
  const map = mapColumns(header);
  const id = newIdNumber();
  const good = [
    '张伟',
    id,
    '13800138000',
    '特种设备',
    'N1',
    'TS-N1-1',
    '2024/3/1',
    '2028年2月28日',
    '04a1b2c3d4',
  ];

  it('reads a person with a certificate and a badge', () => {
    expect(parseLedgerRow(2, good, map)).toEqual({
      row: 2,
      ok: {
        row: 2,
        person: { name: '张伟', idNumber: id, phone: '13800138000' },
        certificate: {
          scheme: 'SAMR',
          category: 'N1',
          number: 'TS-N1-1',
          issuedOn: '2024-03-01',
          expiresOn: '2028-02-28',
        },
        badgeUid: '04A1B2C3D4',
      },
    });
  });

  it('continues the person above on a row with neither name nor ID number (merged cells)', () => {
    const above = (parseLedgerRow(2, good, map) as { ok: LedgerRow }).ok.person;
    const next = parseLedgerRow(
      3,
      ['', '', '', '特种设备', 'Q2', 'TS-Q2-1', '2024-03-01', '2028-02-28', ''],
      map,
      above,
    );
    expect(next).toMatchObject({
      ok: { person: { name: '张伟', idNumber: id }, certificate: { category: 'Q2' } },
    });
    expect(
      parseLedgerRow(3, ['', '', '', '特种设备', 'Q2', 'TS-Q2-1', '2024-03-01', '2028-02-28', ''], map),
    ).toMatchObject({
      problems: [
        { field: 'name', column: '姓名', code: 'name_missing' },
        { field: 'idNumber', column: '身份证号', code: 'id_number_missing' },
      ],
    });
  });

  it.each<[string, number, string, string, string]>([
    [
      'a check digit typed wrong',
      1,
      `${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}`,
      '身份证号',
      'id_number_check_digit',
    ],
    ['an ID number too short', 1, '33010619900101', '身份证号', 'id_number_format'],
    ['a phone that is not one', 2, 'call me', '手机', 'phone_invalid'],
    ['a scheme nobody knows', 3, '消防', '证书体系', 'scheme_unknown'],
    ['a day that does not exist', 6, '2024-02-30', '发证日期', 'date_unreadable'],
    ['a certificate without its number', 5, '', '证书编号', 'certificate_incomplete'],
    ['a badge UID that is not hexadecimal', 8, 'ZZZZ-1', '工牌UID', 'badge_uid_invalid'],
    ['a name of 51 characters', 0, '张'.repeat(51), '姓名', 'name_too_long'],
  ])('refuses %s, naming the column', (_, index, value, column, code) => {
    const cells = [...good];
    cells[index] = value;
    const parsed = parseLedgerRow(7, cells, map);
    expect(parsed).toMatchObject({ row: 7, problems: [{ column, code }] });
    expect(JSON.stringify(parsed)).not.toContain(id);
  });

  it('reads a formula’s result and rich text as the cell shows them', () => {
    const cells = [
      { richText: [{ text: '张' }, { text: '伟' }] },
      { formula: 'A1', result: id },
      ...good.slice(2),
    ];
    expect(parseLedgerRow(2, cells, map)).toMatchObject({ ok: { person: { name: '张伟', idNumber: id } } });
  });
});

describe('chunks of rows', () => {
  const row = (n: number, idNumber: string) => ({ row: n, person: { name: 'x', idNumber } }) as LedgerRow;
  it('keeps one person’s rows together and in order, and no chunk over the limit', () => {
    const rows = [
      row(2, 'A'),
      row(3, 'B'),
      row(4, 'A'),
      ...Array.from({ length: 40 }, (_, i) => row(5 + i, `P${i}`)),
    ];
    const groups = samePersonTogether(rows);
    expect(groups[0]?.map((r) => r.row)).toEqual([2, 4]);
    const chunks = chunksOf(groups);
    expect(chunks.every((c) => c.length <= ROWS_PER_CHUNK)).toBe(true);
    expect(
      chunks
        .flat()
        .map((r) => r.row)
        .sort((a, b) => a - b),
    ).toEqual(rows.map((r) => r.row));
    expect(chunks.find((c) => c.some((r) => r.row === 2))?.some((r) => r.row === 4)).toBe(true);
  });
});

describe('a CSV ledger with a quote opened and never closed', () => {
  const lines = (...xs: string[]) => ['姓名,身份证号,证书编号', ...xs].join('\n');

  it.each([
    [
      'on one row: only that row is refused, the rows after it are read',
      lines('张三,1,A', '李四,"2,B', '王五,3,C', '赵六,4,D', ''),
      [2, 4, 5],
      [3],
    ],
    ['after a blank line', lines('张三,1,A', '', '李四,"2,B', '王五,3,C', '赵六,4,D'), [2, 5, 6], [4]],
    // Two such quotes pair up (CSV's own rule): the lines between are one field of one row,
    // which the row's rules then refuse (no valid ID number).
    ['on two rows', lines('李四,"2,B', '王五,3,C', '孙七,"5', '赵六,4,D'), [4, 5], []],
    ['on the last row', lines('张三,1,A', '李四,"2,B'), [2], [3]],
    [
      'after a field quoted over two lines (a cell with a line break)',
      lines('张三,"1\n2",A', '李四,"2,B', '王五,3,C'),
      [3, 5],
      [4],
    ],
    ['with CRLF line ends', lines('张三,1,A', '李四,"2,B', '王五,3,C').replaceAll('\n', '\r\n'), [2, 4], [3]],
    ['nowhere (a quote inside a field is kept as text)', lines('张三,1",A', '王五,3,C'), [2, 3], []],
  ])('%s', async (_, csv, read, refused) => {
    const table = await readLedger('csv', csv);
    expect(table.header).toEqual(['姓名', '身份证号', '证书编号']);
    expect(table.rows.map((r) => r.n)).toEqual(read);
    expect(table.unreadable).toEqual(refused);
  });

  it('keeps every row’s cells as written', async () => {
    const table = await readLedger('csv', lines('张三,1,A', '李四,"2,B', '王五,3,C'));
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['张三', '1', 'A'],
      ['王五', '3', 'C'],
    ]);
  });

  it('refuses the file whose header opens a quote, or past the lines it may recover', async () => {
    await expect(readLedger('csv', '"姓名,身份证号\n张三,1\n')).rejects.toBeInstanceOf(UnreadableLedger);
    const one = lines('张三,1,A', '李四,"2,B', '王五,3,C');
    expect(MAX_UNCLOSED_QUOTES).toBeGreaterThan(0);
    expect((await readLedger('csv', one, { maxUnclosedQuotes: 1 })).unreadable).toEqual([3]);
    await expect(readLedger('csv', one, { maxUnclosedQuotes: 0 })).rejects.toBeInstanceOf(UnreadableLedger);
  });
});

describe('a ledger file read as a header and rows', () => {
  const workbook = async (rows: unknown[][]) => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('台账');
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
  };

  it('reads an XLSX sheet: an empty header cell is a column named "", blank rows are left out', async () => {
    const table = await readLedger(
      'xlsx',
      await workbook([
        ['姓名', null, '证书编号'],
        ['张三', 1, 'A'],
        ['', null, '  '],
        ['李四', null, 'B'],
      ]),
    );
    expect(table.header).toStrictEqual(['姓名', '', '证书编号']);
    expect(table.rows).toEqual([
      { n: 2, cells: ['张三', 1, 'A'] },
      { n: 4, cells: ['李四', undefined, 'B'] },
    ]);
    expect(table).toMatchObject({ tooMany: false, unreadable: [] });
  });

  it('leaves out CSV lines of blanks only', async () => {
    const table = await readLedger('csv', '姓名,身份证号\n  ,\t\n张三,1\n');
    expect(table.rows).toEqual([{ n: 3, cells: ['张三', '1'] }]);
  });

  it('refuses what is not a ZIP archive before opening it', async () => {
    const zipStart = (size: number) => {
      const data = Buffer.alloc(size);
      data.writeUInt32LE(0x04034b50, 0);
      return data.toString('base64');
    };
    for (const content of [
      Buffer.from('姓名,身份证号,证书编号\n张三,1,A\n').toString('base64'),
      zipStart(21),
    ])
      await expect(readLedger('xlsx', content)).rejects.toThrow(
        new UnreadableLedger('not an XLSX (ZIP) file'),
      );
    // Long enough to be opened: refused by the archive reader instead.
    const opened = readLedger('xlsx', zipStart(22));
    await expect(opened).rejects.toBeInstanceOf(UnreadableLedger);
    await expect(opened).rejects.not.toThrow('not an XLSX (ZIP) file');
  });

  it('gives an XLSX up after its time bound, and leaves no timer behind when read in time', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => [`工人${i}`, String(i), `C-${i}`]);
    const content = await workbook([['姓名', '身份证号', '证书编号'], ...rows]);
    await expect(readLedger('xlsx', content, { readTimeoutMs: 0 })).rejects.toThrow(
      new UnreadableLedger('XLSX not read in time'),
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      expect((await readLedger('xlsx', content)).rows).toHaveLength(2_000);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops reading one row past the limit', async () => {
    const data = Array.from({ length: MAX_LEDGER_ROWS + 1 }, (_, i) => `工人${i},${i}`);
    // A quote never closed after the limit: never reached, so never reported.
    const table = await readLedger('csv', ['姓名,身份证号', ...data, '王五,"3'].join('\n'));
    expect(table.rows).toHaveLength(MAX_LEDGER_ROWS);
    expect(table.tooMany).toBe(true);
    expect(table.unreadable).toEqual([]);
  });

  it('names why a header opening a quote refuses the file', async () => {
    await expect(readLedger('csv', '"姓名,身份证号\n张三,1\n')).rejects.toThrow(
      new UnreadableLedger('the header line cannot be read'),
    );
  });
});
