import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseXlsx } from '../../functions/batches/parse-upload.ts';
import { partPath } from '../../functions/shared/xlsx-rows.ts';

async function workbook(build: (book: ExcelJS.Workbook) => void): Promise<string> {
  const book = new ExcelJS.Workbook();
  build(book);
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

describe('reading an XLSX upload', () => {
  it('reads a workbook whose archive ends with xl/workbook.xml, every time (exceljs#3064)', async () => {
    // exceljs writes the workbook part last; its one-pass stream reader lost it now and then.
    const content = await workbook((b) => {
      b.addWorksheet('名单').addRows([['证书编号'], ['TS-A-1'], ['TS-A-2']]);
    });
    const reads = await Promise.all(Array.from({ length: 60 }, () => parseXlsx(content)));
    for (const rows of reads)
      expect(rows.map((r) => r.kind === 'certificate' && r.value)).toEqual(['TS-A-1', 'TS-A-2']);
  });

  it('takes the first tab as the user sees it, not the first sheet in the archive', async () => {
    const content = await workbook((b) => {
      const later = b.addWorksheet('说明');
      later.addRow(['这不是名单']);
      const list = b.addWorksheet('名单');
      list.addRows([['证书编号'], ['TS-FIRST-TAB']]);
      // Tab order is exceljs's `orderNo` (untyped): the list tab moved in front.
      Object.assign(later, { orderNo: 2 });
      Object.assign(list, { orderNo: 1 });
    });
    const rows = await parseXlsx(content);
    expect(rows).toEqual([{ row: 2, kind: 'certificate', value: 'TS-FIRST-TAB' }]);
  });

  it('refuses an archive that is no workbook', async () => {
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip().file('readme.txt', 'hello');
    const content = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
    await expect(parseXlsx(content)).rejects.toThrow();
  });

  it.each([
    ['worksheets/sheet1.xml', 'xl/worksheets/sheet1.xml'],
    ['./worksheets/sheet2.xml', 'xl/worksheets/sheet2.xml'],
    ['/xl/worksheets/sheet3.xml', 'xl/worksheets/sheet3.xml'],
  ])('a relationship target %j is the part %j', (target, path) => {
    expect(partPath(target)).toBe(path);
  });
});
