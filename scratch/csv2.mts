import { parse } from 'csv-parse/sync';
const opts = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, skip_records_with_error: true, info: true, on_skip: (e: any) => console.log('  skip', e?.code, e?.lines) } as any;
for (const t of ['"a" ,b\nc', '"a"x"\nc', '"a\r"b\nc', 'a,"b"c\nd', '"a""b"c\nd', 'a\0b\nc', '"a"\u00a0,b\nc', '""a\nb', '"a" "b"\nc']) {
  console.log(JSON.stringify(t));
  try { console.log('  ', JSON.stringify(parse(t, opts).map((r: any) => r.record))); } catch (e) { console.log('  err', String(e)); }
}
