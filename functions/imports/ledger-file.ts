// A ledger file (CSV or XLSX) as a header and rows of cell values, read with the same
// hardening as verification batches: XLSX opened only when it is a ZIP, its first sheet
// streamed and given up after a time bound (a damaged or expanding archive), and reading
// stopped one row past the limit, so a small file that expands to a million rows is
// refused without being held.
import { csvRecords, MAX_UNCLOSED_QUOTES, UnreadableCsv } from '../shared/csv-records.ts';
import { firstWorksheetRows } from '../shared/xlsx-rows.ts';

/** Rows per import (the ceiling for an upload). */
export const MAX_LEDGER_ROWS = 50_000;
const XLSX_READ_TIMEOUT_MS = 20_000;

export interface LedgerTable {
  header: string[];
  /** Data rows as the user numbers them (sheet row, CSV line), blank rows left out. */
  rows: { n: number; cells: unknown[] }[];
  /** More rows than MAX_LEDGER_ROWS: reading stopped. */
  tooMany: boolean;
  /** CSV lines the parser could not read (a stray quote): reported as refused rows. */
  unreadable: number[];
}

export class UnreadableLedger extends Error {}

/** A cell as text: exceljs gives numbers, dates and nothing (null) besides strings. */
const cellText = (c: unknown) => String(c ?? '');
const blank = (cells: unknown[]) => cells.every((c) => cellText(c).trim() === '');

function collect(table: LedgerTable, n: number, cells: unknown[]): boolean {
  if (blank(cells)) return true;
  if (table.header.length === 0) {
    // Dense: exceljs leaves a hole for an empty header cell, which is a column named ''.
    table.header = Array.from(cells, cellText);
    return true;
  }
  if (table.rows.length >= MAX_LEDGER_ROWS) {
    table.tooMany = true;
    return false;
  }
  table.rows.push({ n, cells });
  return true;
}

/** A CSV ledger: a line opening a quote it never closes is refused, not every row after it. */
async function readCsv(table: LedgerTable, content: string, maxUnclosedQuotes: number): Promise<void> {
  try {
    for await (const r of csvRecords(content, maxUnclosedQuotes)) {
      if ('unreadable' in r) {
        // The header itself: no column can be known.
        if (!table.header.length) throw new UnreadableLedger('the header line cannot be read');
        table.unreadable.push(r.n);
      } else if (!collect(table, r.n, r.cells)) return;
    }
  } catch (error) {
    throw error instanceof UnreadableCsv ? new UnreadableLedger(error.message) : error;
  }
}

export interface LedgerReadLimits {
  /** Lines opening a quote they never close before a CSV is refused whole. */
  maxUnclosedQuotes?: number;
  /** How long an XLSX may take to read before it is refused (a damaged or expanding archive). */
  readTimeoutMs?: number;
}

export async function readLedger(
  format: 'csv' | 'xlsx',
  content: string,
  { maxUnclosedQuotes = MAX_UNCLOSED_QUOTES, readTimeoutMs = XLSX_READ_TIMEOUT_MS }: LedgerReadLimits = {},
): Promise<LedgerTable> {
  const table: LedgerTable = { header: [], rows: [], tooMany: false, unreadable: [] };
  if (format === 'csv') {
    await readCsv(table, content, maxUnclosedQuotes);
    return table;
  }
  const data = Buffer.from(content, 'base64');
  // A ZIP's local file header, and room for at least its end-of-directory record.
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50)
    throw new UnreadableLedger('not an XLSX (ZIP) file');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnreadableLedger('XLSX not read in time')), readTimeoutMs);
  });
  const read = async () => {
    for await (const row of firstWorksheetRows(data)) {
      // exceljs numbers a row's values from 1.
      const cells = (row.values as unknown[]).slice(1);
      if (!collect(table, row.number, cells)) break;
    }
    return table;
  };
  try {
    return await Promise.race([read(), timeout]);
  } catch (error) {
    throw error instanceof UnreadableLedger ? error : new UnreadableLedger(String(error));
  } finally {
    clearTimeout(timer);
  }
}
