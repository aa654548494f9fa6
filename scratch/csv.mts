import { csvRecords } from '../functions/shared/csv-records.ts';
async function all(t: string, m?: number) { const o = []; try { for await (const r of csvRecords(t, m)) o.push(r); } catch (e) { o.push(String(e)); } return o; }
for (const t of ['x\n"a"b,c\nd', 'x\n"a"b,c', '\uFEFFa,b\nc', 'a\n"b\nc"d\n"e\nf', 'a\n"b\nc\nd"e"f\n"g\nh', 'a\n"b\nx"y\n"c\nd']) console.log(JSON.stringify(t), JSON.stringify(await all(t, 1)), JSON.stringify(await all(t)));
