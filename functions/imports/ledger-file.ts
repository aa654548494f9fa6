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

export async function readLedger(format: 'csv' | 'xlsx', content: string): Promise<LedgerTable> {
  const table: LedgerTable = { header: [], rows: [], tooMany: false, unreadable: [] };
  if (format === 'csv') {
    const parser = csvParser({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      skip_records_with_error: true,
      info: true,
    });
    parser.on('skip', (error: { lines?: number }) => table.unreadable.push(error.lines ?? 0));
    Readable.from([content]).pipe(parser);
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!collect(table, info.lines, record)) {
        parser.destroy();
        break;
      }
    }
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
