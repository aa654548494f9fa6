// Turning an upload (pasted text, CSV or XLSX) into rows to check (SPEC L6). Each row is a
// certificate number or a resident ID number, optionally with the holder's name. A bad
// row is reported as malformed and never stops the batch. csv-parse and exceljs are
// maintained parsers; CSV quoting and XLSX cell types are not worth hand-rolling.
// Every parser stops reading one row past the limit, so a small file that expands to a
// million rows is refused without being held in memory; nothing of a row that is not
// a well-formed value is kept unmasked.
import { csvRecords, MAX_UNCLOSED_QUOTES, UnreadableCsv } from '../shared/csv-records.ts';
import { InvalidRequest } from '../shared/errors.ts';
import {
  maskIdLikeRuns,
  normalizeIdNumber,
  residentIdProblem,
  toHalfWidth,
} from '../shared/identity-numbers.ts';
import { truncateText } from '../shared/text.ts';
import { firstWorksheetRows } from '../shared/xlsx-rows.ts';

export const MAX_ROWS = 10_000;

export type RowInput =
  | { row: number; kind: 'certificate'; value: string; name?: string }
  | { row: number; kind: 'id'; value: string; name?: string }
  | {
      row: number;
      kind: 'malformed';
      reason: 'empty' | 'too_long' | 'bad_characters' | 'id_check_digit' | 'unreadable';
      raw: string;
    };

const NUMBER_HEADERS = ['certificatenumber', 'number', '证书编号', '证号', '操作证号'];
const ID_HEADERS = ['idnumber', '身份证号', '身份证号码', '证件号码'];
const NAME_HEADERS = ['name', '姓名'];

// "ID:", "身份证", "身份证号码：" … in front of an ID number, as people paste them.
const ID_LABEL = /^(?:id(?:\s*no\.?)?|身份证(?:号码?)?|证件号码?)\s*[:：]?\s*/i;

/**
 * One cell value → a row. A value that is an ID number once labels, separators and
 * full-width digits are taken away is one; anything else is a certificate number.
 */
export function classify(row: number, raw: string, name?: string): RowInput {
  const half = toHalfWidth(raw).trim();
  const withName = name?.trim() ? { name: name.trim() } : {};
  const idCandidate = half.replace(ID_LABEL, '').replace(/[\s\-.]/g, '');
  if (/^\d{17}[\dXx]$/.test(idCandidate)) {
    return residentIdProblem(idCandidate)
      ? { row, kind: 'malformed', reason: 'id_check_digit', raw: maskIdLikeRuns(idCandidate) }
      : { row, kind: 'id', value: normalizeIdNumber(idCandidate), ...withName };
  }
  const value = half.replace(/\s+/g, '');
  if (!value) return { row, kind: 'malformed', reason: 'empty', raw: '' };
  if (value.length > 40)
    return { row, kind: 'malformed', reason: 'too_long', raw: truncateText(maskIdLikeRuns(raw), 40) };
  if (!/^[\p{L}\p{N}\-_/()（）]+$/u.test(value))
    return { row, kind: 'malformed', reason: 'bad_characters', raw: maskIdLikeRuns(value) };
  return { row, kind: 'certificate', value: value.toUpperCase(), ...withName };
}

/** A table row as the user numbers it (1-based line or sheet row), with its cells. */
interface TableRow {
  n: number;
  cells: string[];
}

/** Collects table rows until one past the limit (plus the header). */
class RowCollector {
  readonly rows: TableRow[] = [];
  readonly broken: number[] = [];
  add(row: TableRow): boolean {
    if (row.cells.some((c) => c.trim() !== '')) this.rows.push(row);
    return !this.full();
  }
  full() {
    return this.rows.length + this.broken.length > MAX_ROWS + 1;
  }
}

function fromTable({ rows, broken }: RowCollector): RowInput[] {
  const header = (rows[0]?.cells ?? []).map((h) => h.trim().toLowerCase().replace(/[\s_]/g, ''));
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const numberCol = col(NUMBER_HEADERS);
  const idCol = col(ID_HEADERS);
  const nameCol = col(NAME_HEADERS);
  const hasHeader = numberCol >= 0 || idCol >= 0;
  const body = hasHeader ? rows.slice(1) : rows;
  const parsed = body.map(({ n, cells: r }): RowInput => {
    const name = nameCol >= 0 ? r[nameCol] : undefined;
    if (numberCol >= 0 && r[numberCol]?.trim()) return classify(n, r[numberCol] as string, name);
    if (idCol >= 0 && r[idCol]?.trim()) return classify(n, r[idCol] as string, name);
    return classify(n, hasHeader ? '' : (r[0] ?? ''), name);
  });
  const unreadable = broken.map(
    (n): RowInput => ({ row: n, kind: 'malformed', reason: 'unreadable', raw: '' }),
  );
  return [...parsed, ...unreadable].sort((a, b) => a.row - b.row);
}

export function parseText(text: string): RowInput[] {
  const rows: RowInput[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && rows.length <= MAX_ROWS; i++) {
    const line = lines[i] as string;
    if (line.trim() !== '') rows.push(classify(i + 1, line));
  }
  return rows;
}

/**
 * CSV through csv-parse's stream (functions/shared/csv-records.ts): a record it cannot read (a
 * stray or unclosed quote) becomes an `unreadable` row at its line and the rest is still read.
 */
export async function parseCsvText(
  text: string,
  maxUnclosedQuotes = MAX_UNCLOSED_QUOTES,
): Promise<RowInput[]> {
  const collector = new RowCollector();
  try {
    for await (const r of csvRecords(text, maxUnclosedQuotes)) {
      if ('unreadable' in r) collector.broken.push(r.n);
      else collector.add({ n: r.n, cells: r.cells.map(String) });
      if (collector.full()) break;
    }
  } catch (error) {
    if (!(error instanceof UnreadableCsv)) throw error;
    throw new InvalidRequest('validation_failed', [
      { field: 'content', code: 'csv_unreadable', message: 'csv_unreadable' },
    ]);
  }
  return fromTable(collector);
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
  if (typeof v === 'object' && 'result' in v) return String((v as { result: unknown }).result);
  if (typeof v === 'object' && 'richText' in v)
    return ((v as { richText: { text: string }[] }).richText ?? []).map((t) => t.text).join('');
  return String(v);
}

/** The first worksheet, streamed row by row (exceljs WorkbookReader). */
export async function parseXlsx(base64: string): Promise<RowInput[]> {
  const data = Buffer.from(base64, 'base64');
  // An XLSX is a ZIP: anything else (or nothing, which the stream reader would wait on
  // forever) is refused before a reader starts.
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50) throw new Error('not an XLSX (ZIP) file');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('XLSX not read in time')), XLSX_READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([readXlsx(data), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A damaged archive can leave the stream reader waiting: give up well inside the Lambda timeout. */
const XLSX_READ_TIMEOUT_MS = 15_000;

async function readXlsx(data: Buffer): Promise<RowInput[]> {
  const collector = new RowCollector();
  for await (const row of firstWorksheetRows(data)) {
    const cells = (row.values as unknown[]).slice(1).map(cellText);
    if (!collector.add({ n: row.number, cells })) break;
  }
  return fromTable(collector);
}
