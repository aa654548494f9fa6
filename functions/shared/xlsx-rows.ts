// The rows of a workbook's first worksheet, streamed.
//
// exceljs's streaming WorkbookReader reads the archive in one forward pass and, on
// Node ≥ 18, intermittently loses the last entry; exceljs itself writes
// `xl/workbook.xml` last, so the reader then fails on `this.model.sheets`
// (exceljs#3064, open upstream, same fix proposed in exceljs#3065). The upload is in
// memory anyway, so the archive is opened by its central directory (unzipper, the
// library exceljs already uses) and the parts a worksheet needs — relationships,
// workbook, shared strings — are read before it. Rows are still streamed, so a file
// that expands to millions of rows is never held whole. The reader's part parsers are
// exceljs internals: pinned with exceljs's version and covered by the batch tests.
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';

interface ZipPart {
  path: string;
  stream(): Readable;
}

/** The exceljs WorkbookReader internals used here (lib/stream/xlsx/workbook-reader.js). */
interface ReaderInternals {
  model?: { sheets?: { rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(
    entry: Readable,
    sheetNo: string,
  ): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

export class UnreadableWorkbook extends Error {}

/** Where a relationship target points, as a path inside the archive. */
export function partPath(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
}

export async function* firstWorksheetRows(data: Buffer): AsyncGenerator<ExcelJS.Row> {
  // Loaded on the first spreadsheet: text and CSV uploads never pay for them at cold start.
  const [{ default: Excel }, { default: unzipper }] = await Promise.all([
    import('exceljs'),
    import('unzipper'),
  ]);
  const archive = (await unzipper.Open.buffer(data)) as { files: ZipPart[] };
  const part = (path: string) => archive.files.find((f) => f.path === path);
  const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  }) as unknown as ReaderInternals;

  const rels = part('xl/_rels/workbook.xml.rels');
  const book = part('xl/workbook.xml');
  if (!rels || !book) throw new UnreadableWorkbook('no workbook part');
  await reader._parseRels(rels.stream());
  await reader._parseWorkbook(book.stream());
  const strings = part('xl/sharedStrings.xml');
  if (strings) for await (const _ of reader._parseSharedStrings(strings.stream()));

  // "The first worksheet" is the first tab as the user sees it, not the first in the archive.
  const first = reader.model?.sheets?.[0];
  const rel = first && reader.workbookRels?.find((r) => r.Id === first.rId);
  const sheet = rel && part(partPath(rel.Target));
  const sheetNo = sheet && /sheet(\d+)\.xml$/.exec(sheet.path)?.[1];
  if (!sheet || !sheetNo) throw new UnreadableWorkbook('no first worksheet');
  for (const { value } of reader._parseWorksheet(sheet.stream(), sheetNo)) yield* value;
}
