import { csvRecords } from '../functions/shared/csv-records.ts';
async function ok(t: string, m: number) { try { for await (const _ of csvRecords(t, m)); return true; } catch { return false; } }
const alphabet = ['"', 'a', '\n', ','];
let found = 0;
for (let len = 2; len <= 9 && found < 5; len++) {
  const total = alphabet.length ** len;
  for (let i = 0; i < total && found < 5; i++) {
    let t = ''; let x = i;
    for (let j = 0; j < len; j++) { t += alphabet[x % 4]; x = Math.floor(x / 4); }
    if (!(await ok(t, 1))) { console.log(JSON.stringify(t), await ok(t, 2)); found++; }
  }
}
