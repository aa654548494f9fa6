// A ledger file (CSV or XLSX) as a header and rows of cell values, read with the same
// hardening as verification batches: XLSX opened only when it is a ZIP, its first sheet
// streamed and given up after a time bound (a damaged or expanding archive), and reading
// stopped one row past the limit, so a small file that expands to a million rows is
// refused without being held.
import { Readable } from 'node:stream';
import { parse as csvParser } from 'csv-parse';
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

const blank = (cells: unknown[]) =>
  cells.every((c) => c === null || c === undefined || String(c).trim() === '');

function collect(table: LedgerTable, n: number, cells: unknown[]): boolean {
  if (blank(cells)) return true;
  if (table.header.length === 0) {
    table.header = cells.map((c) => (c === null || c === undefined ? '' : String(c)));
    return true;
  }
  if (table.rows.length >= MAX_LEDGER_ROWS) {
    table.tooMany = true;
    return false;
  }
  table.rows.push({ n, cells });
  return true;
}

/**
 * Lines opening a quote they never close that one CSV file may hold before it is refused whole:
 * each costs a read of the rest of the file (quotes pair up, so a real file has at most one).
 */
export const MAX_UNCLOSED_QUOTES = 20;

/**
 * A CSV file's rows. A field opening a quote it never closes would make everything after it
 * one field, silently dropping every later row: that line is refused and reading resumes on
 * the next (`recoveries` times at most, then the file is refused).
 */
async function readCsv(
  table: LedgerTable,
  content: string,
  offset: number,
  /** Unclosed quotes it may still recover from. */
  recoveries: number,
): Promise<void> {
  const parser = csvParser({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    info: true,
  });
  let unclosed = false;
  parser.on('skip', (error: { code?: string; lines?: number }) => {
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') unclosed = true;
    else table.unreadable.push(offset + (error.lines ?? 0));
  });
  Readable.from([content]).pipe(parser);
  let lastLine = 0;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    lastLine = info.lines;
    if (!collect(table, offset + info.lines, record)) {
      parser.destroy();
      return;
    }
  }
  if (!unclosed) return;
  // Only found at the end of the input: the quote opened on the line after the last record read.
  if (!table.header.length) throw new UnreadableLedger('the header line opens a quote it never closes');
  if (recoveries === 0) throw new UnreadableLedger('too many lines open a quote they never close');
  const opened = lastLine + 1;
  table.unreadable.push(offset + opened);
  const rest = content
    .split(/\r\n|\n|\r/)
    .slice(opened)
    .join('\n');
  await readCsv(table, rest, offset + opened, recoveries - 1);
}

export async function readLedger(
  format: 'csv' | 'xlsx',
  content: string,
  maxUnclosedQuotes = MAX_UNCLOSED_QUOTES,
): Promise<LedgerTable> {
  const table: LedgerTable = { header: [], rows: [], tooMany: false, unreadable: [] };
  if (format === 'csv') {
    await readCsv(table, content, 0, maxUnclosedQuotes);
    return table;
  }
  const data = Buffer.from(content, 'base64');
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50)
    throw new UnreadableLedger('not an XLSX (ZIP) file');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnreadableLedger('XLSX not read in time')), XLSX_READ_TIMEOUT_MS);
  });
  const read = async () => {
    for await (const row of firstWorksheetRows(data)) {
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
