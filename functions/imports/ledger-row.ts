// One ledger row → what it says about a person, their certificate and badge, or why it
// cannot be read — with the column the user sees. Pure. Dates come as ledgers write them
// (2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, a spreadsheet date, an Excel serial number);
// a row with neither name nor ID number continues the person above it (merged cells).
import { addDays, isCalendarDate } from '../shared/calendar.ts';
import { maskName, normalizeIdNumber, residentIdProblem, toHalfWidth } from '../shared/identity-numbers.ts';
import type { ColumnMap, LedgerField } from './ledger-columns.ts';

export type Scheme = 'MEM' | 'SAMR' | 'MOHURD';

export interface LedgerRow {
  row: number;
  person: {
    name: string;
    idNumber: string;
    employeeId?: string;
    site?: string;
    subcontractor?: string;
    phone?: string;
  };
  certificate?: {
    scheme: Scheme;
    category: string;
    subType?: string;
    number: string;
    issuedOn: string;
    expiresOn: string;
    reviewDueOn?: string;
  };
  badgeUid?: string;
}

export type RowProblemCode =
  | 'name_missing'
  | 'name_too_long'
  | 'id_number_missing'
  | 'id_number_format'
  | 'id_number_birth_date'
  | 'id_number_check_digit'
  | 'phone_invalid'
  | 'employee_id_invalid'
  | 'scheme_unknown'
  | 'certificate_incomplete'
  | 'date_unreadable'
  | 'badge_uid_invalid'
  | 'text_too_long';

export interface RowProblem {
  field: LedgerField;
  /** The header of the column as the file has it. */
  column: string;
  code: RowProblemCode;
}

export type ParsedRow =
  | { row: number; ok: LedgerRow }
  | { row: number; problems: RowProblem[]; nameMasked?: string };

const SCHEMES: [RegExp, Scheme][] = [
  [/^(mem|特种作业|应急管理|应急管理部|安监|安全生产监督管理)/i, 'MEM'],
  [/^(samr|特种设备|市场监管|市场监督管理|质监|质量技术监督)/i, 'SAMR'],
  [/^(mohurd|建筑施工|住建|住房和城乡建设|建设)/i, 'MOHURD'],
];

export function schemeOf(raw: string): Scheme | undefined {
  const text = toHalfWidth(raw).trim();
  return SCHEMES.find(([re]) => re.test(text))?.[1];
}

/** Excel's day 0 is 1899-12-30 (with its 1900 leap-year bug folded in). */
const EXCEL_EPOCH = '1899-12-30';

/** A date as ledgers write it, as YYYY-MM-DD; undefined when it is not a calendar date. */
export function ledgerDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    // Spreadsheet dates carry no zone: exceljs gives them at UTC midnight.
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value > 20_000 && value < 80_000)
    return addDays(EXCEL_EPOCH, value);
  const text = toHalfWidth(String(value ?? '')).trim();
  if (/^\d{5}$/.test(text)) return ledgerDate(Number(text));
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const date = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  return isCalendarDate(date) ? date : undefined;
}

/** A cell as text: spreadsheet values (rich text, formulas' results, hyperlinks) read as shown. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return ledgerDate(v) ?? '';
  if (typeof v === 'object') {
    if ('result' in v) return cellText((v as { result: unknown }).result);
    if ('richText' in v)
      return ((v as { richText: { text: string }[] }).richText ?? []).map((t) => t.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    return '';
  }
  return String(v);
}

/** Cell value of a date column: a formula's result, or the value itself. */
const rawValue = (v: unknown) =>
  v && typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result : v;

const MAX_TEXT = 100;

/**
 * One row of cells as the ledger has it. `previous` is the person of the row above, for a
 * row that continues it (merged name and ID cells leave the row's own empty).
 */
export function parseLedgerRow(
  row: number,
  cells: unknown[],
  map: ColumnMap,
  previous?: LedgerRow['person'],
): ParsedRow {
  const problems: RowProblem[] = [];
  const col = (f: LedgerField) => map.columns[f];
  const raw = (f: LedgerField) => {
    const i = col(f);
    return i === undefined ? undefined : cells[i];
  };
  const text = (f: LedgerField) => toHalfWidth(cellText(raw(f))).trim();
  const problem = (field: LedgerField, code: RowProblemCode) =>
    problems.push({ field, column: map.headers[col(field) ?? -1] ?? field, code });

  let name = cellText(raw('name')).trim();
  let idText = text('idNumber').replace(/[\s-]/g, '');
  const continues = !name && !idText && previous;
  if (continues) {
    name = previous.name;
    idText = previous.idNumber;
  }
  if (!name) problem('name', 'name_missing');
  else if (name.length > 50) problem('name', 'name_too_long');
  let idNumber = '';
  if (!idText) problem('idNumber', 'id_number_missing');
  else {
    const p = residentIdProblem(idText);
    if (p) problem('idNumber', `id_number_${p}` as RowProblemCode);
    else idNumber = normalizeIdNumber(idText);
  }
  const optional = (f: LedgerField, test: RegExp, code: RowProblemCode) => {
    const v = continues ? (previous[f as keyof typeof previous] ?? text(f)) : text(f);
    if (!v) return undefined;
    if (v.length > MAX_TEXT) return void problem(f, 'text_too_long');
    if (!test.test(v)) return void problem(f, code);
    return v;
  };
  const phone = optional('phone', /^\+?[0-9][0-9 -]{4,19}$/, 'phone_invalid');
  const employeeId = optional('employeeId', /^[A-Za-z0-9][A-Za-z0-9_./-]{0,31}$/, 'employee_id_invalid');
  const site = optional('site', /^.{1,100}$/u, 'text_too_long');
  const subcontractor = optional('subcontractor', /^.{1,100}$/u, 'text_too_long');

  // A certificate when any of its columns has something.
  const certFields: LedgerField[] = ['scheme', 'category', 'certificateNumber', 'issuedOn', 'expiresOn'];
  let certificate: LedgerRow['certificate'];
  if (certFields.some((f) => text(f))) {
    const missing = certFields.filter((f) => !text(f));
    for (const f of missing) problem(f, 'certificate_incomplete');
    const scheme = text('scheme') ? schemeOf(text('scheme')) : undefined;
    if (text('scheme') && !scheme) problem('scheme', 'scheme_unknown');
    const date = (f: 'issuedOn' | 'expiresOn' | 'reviewDueOn') => {
      if (!text(f)) return undefined;
      const d = ledgerDate(rawValue(raw(f)));
      if (!d) problem(f, 'date_unreadable');
      return d;
    };
    const issuedOn = date('issuedOn');
    const expiresOn = date('expiresOn');
    const reviewDueOn = date('reviewDueOn');
    const number = text('certificateNumber').replace(/\s+/g, '');
    const category = text('category');
    const subType = text('subType');
    if (number.length > 40) problem('certificateNumber', 'text_too_long');
    if (category.length > 40) problem('category', 'text_too_long');
    if (scheme && issuedOn && expiresOn && number && category && number.length <= 40 && category.length <= 40)
      certificate = {
        scheme,
        category,
        ...(subType ? { subType } : {}),
        number,
        issuedOn,
        expiresOn,
        ...(reviewDueOn ? { reviewDueOn } : {}),
      };
  }
  let badgeUid: string | undefined;
  if (text('badgeUid')) {
    const uid = text('badgeUid')
      .replace(/[\s:-]/g, '')
      .toUpperCase();
    if (/^[0-9A-F]{8,20}$/.test(uid)) badgeUid = uid;
    else problem('badgeUid', 'badge_uid_invalid');
  }
  // Masked as every other row of the report is: the name itself never leaves the parser.
  if (problems.length) return { row, problems, ...(name ? { nameMasked: maskName(name) } : {}) };
  return {
    row,
    ok: {
      row,
      person: {
        name,
        idNumber,
        ...(employeeId ? { employeeId } : {}),
        ...(site ? { site } : {}),
        ...(subcontractor ? { subcontractor } : {}),
        ...(phone ? { phone } : {}),
      },
      ...(certificate ? { certificate } : {}),
      ...(badgeUid ? { badgeUid } : {}),
    },
  };
}
