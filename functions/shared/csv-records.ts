// The records of an uploaded CSV with the line each ends on, through csv-parse (a ledger, a
// verification batch). A field that opens a quote and never closes it is read by csv-parse to
// the end of the input, silently taking every later row with it: here that line is reported
// unreadable and reading resumes on the next, so every line is either read or reported.
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
  // With quotes and column counts relaxed, the one record csv-parse skips is the field that
  // opens a quote and never closes it (test/unit/csv-records.test.ts pins what it reads instead).
  let unclosed = false;
  parser.on('skip', () => {
    unclosed = true;
  });
  Readable.from([text]).pipe(parser);
  let lastLine = 0;
  // Leaving early (a file past its row limit) ends the iteration, which destroys the parser.
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    lastLine = info.lines;
    yield { n: offset + info.lines, cells: record };
  }
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
