// The records of an uploaded CSV with the line each ends on, through csv-parse (a ledger, a
// verification batch). A record csv-parse cannot read is an unreadable line, and the rest is
// still read — including after a field that opens a quote and never closes it, which
// csv-parse reads to the end of the input as one field, silently taking every later row with
// it: that line is reported and reading resumes on the next.
import { Readable } from 'node:stream';
import { parse as csvParser } from 'csv-parse';

export type CsvRecord = { n: number; cells: string[] } | { n: number; unreadable: true };

/**
 * Lines opening a quote they never close that one file may hold before it is refused whole:
 * each costs a read of the rest of the file (quotes pair up, so a real file has at most one).
 */
export const MAX_UNCLOSED_QUOTES = 20;

export class UnreadableCsv extends Error {}

export async function* csvRecords(
  text: string,
  maxUnclosedQuotes = MAX_UNCLOSED_QUOTES,
  offset = 0,
): AsyncGenerator<CsvRecord> {
  const parser = csvParser({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    info: true,
  });
  let unclosed = false;
  const skipped: number[] = [];
  parser.on('skip', (error: { code?: string; lines?: number }) => {
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') unclosed = true;
    else skipped.push(offset + (error.lines ?? 0));
  });
  Readable.from([text]).pipe(parser);
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // Lines skipped before this record come first, in the order of the file.
      while (skipped.length) yield { n: skipped.shift() as number, unreadable: true };
      lastLine = info.lines;
      yield { n: offset + info.lines, cells: record };
    }
  } finally {
    parser.destroy();
  }
  while (skipped.length) yield { n: skipped.shift() as number, unreadable: true };
  if (!unclosed) return;
  // Only found at the end of the input: the quote opened on the line after the last record read.
  if (maxUnclosedQuotes === 0) throw new UnreadableCsv('too many lines open a quote they never close');
  const opened = lastLine + 1;
  yield { n: offset + opened, unreadable: true };
  const rest = text
    .split(/\r\n|\n|\r/)
    .slice(opened)
    .join('\n');
  yield* csvRecords(rest, maxUnclosedQuotes - 1, offset + opened);
}
