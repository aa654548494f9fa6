// Turning an upload (pasted text, CSV or XLSX) into rows to check (SPEC L6). Each row is a
// certificate number or a resident ID number, optionally with the holder's name. A bad
// row is reported as malformed and never stops the batch. csv-parse and exceljs are
// maintained parsers; CSV quoting and XLSX cell types are not worth hand-rolling.
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { normalizeIdNumber, residentIdProblem } from '../shared/identity-numbers.ts';

export const MAX_ROWS = 10_000;

export type RowInput =
  | { row: number; kind: 'certificate'; value: string; name?: string }
  | { row: number; kind: 'id'; value: string; name?: string }
  | {
      row: number;
      kind: 'malformed';
      reason: 'empty' | 'too_long' | 'bad_characters' | 'id_check_digit';
      raw: string;
    };

const NUMBER_HEADERS = ['certificatenumber', 'number', '证书编号', '证号', '操作证号'];
const ID_HEADERS = ['idnumber', '身份证号', '身份证号码', '证件号码'];
const NAME_HEADERS = ['name', '姓名'];

/** One cell value → a row: an 18-character value that looks like an ID number is one. */
export function classify(row: number, raw: string, name?: string): RowInput {
  const value = raw.trim().replace(/\s+/g, '');
  const withName = name?.trim() ? { name: name.trim() } : {};
  if (!value) return { row, kind: 'malformed', reason: 'empty', raw };
  if (value.length > 40) return { row, kind: 'malformed', reason: 'too_long', raw: raw.slice(0, 40) };
  if (/^\d{17}[\dXx]$/.test(value)) {
    return residentIdProblem(value)
      ? { row, kind: 'malformed', reason: 'id_check_digit', raw: `${value.slice(0, 4)}…` }
      : { row, kind: 'id', value: normalizeIdNumber(value), ...withName };
  }
  if (!/^[\p{L}\p{N}\-_/()（）]+$/u.test(value))
    return { row, kind: 'malformed', reason: 'bad_characters', raw: value };
  return { row, kind: 'certificate', value: value.toUpperCase(), ...withName };
}

function fromTable(cells: string[][]): RowInput[] {
  const header = (cells[0] ?? []).map((h) => h.trim().toLowerCase().replace(/[\s_]/g, ''));
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const numberCol = col(NUMBER_HEADERS);
  const idCol = col(ID_HEADERS);
  const nameCol = col(NAME_HEADERS);
  const hasHeader = numberCol >= 0 || idCol >= 0;
  const body = hasHeader ? cells.slice(1) : cells;
  const offset = hasHeader ? 2 : 1; // row numbers as the user sees them in the sheet
  return body
    .map((r, i) => ({ r, n: i + offset }))
    .filter(({ r }) => r.some((c) => c.trim() !== ''))
    .map(({ r, n }) => {
      const name = nameCol >= 0 ? r[nameCol] : undefined;
      if (numberCol >= 0 && r[numberCol]?.trim()) return classify(n, r[numberCol] as string, name);
      if (idCol >= 0 && r[idCol]?.trim()) return classify(n, r[idCol] as string, name);
      return classify(n, hasHeader ? '' : (r[0] ?? ''), name);
    });
}

export function parseText(text: string): RowInput[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, n }) => classify(n, line));
}

export function parseCsvText(text: string): RowInput[] {
  const cells = parseCsv(text.replace(/^\uFEFF/, ''), {
    relax_column_count: true,
    skip_empty_lines: false,
  }) as string[][];
  return fromTable(cells);
}

export async function parseXlsx(base64: string): Promise<RowInput[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const cells: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values = (row.values as unknown[]).slice(1).map((v) => {
      if (v === null || v === undefined) return '';
      if (typeof v === 'object' && v && 'text' in v) return String((v as { text: unknown }).text);
      if (typeof v === 'object' && v && 'result' in v) return String((v as { result: unknown }).result);
      return String(v);
    });
    cells.push(values);
  });
  return fromTable(cells);
}
