import { csvRecords } from '../functions/shared/csv-records.ts';
async function all(t: string, m?: number) { const o = []; try { for await (const r of csvRecords(t, m)) o.push(r); } catch (e) { o.push(String(e)); } return o; }
for (const t of ['"\na",\n"', 'x\n"\na","\ny', 'x,"1\ny,"2\nz']) console.log(JSON.stringify(t), JSON.stringify(await all(t, 1)), JSON.stringify(await all(t)));
