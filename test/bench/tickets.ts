// The dispatch-rule check of a work ticket with 20 workers (issue 11): two tenants in one
// emulator (TICKETS_PEOPLE, default 1,000 and 10,000 people), and POST /work-tickets timed
// over the local API — a draft that breaks one rule (the full check, no write: 422) and
// one that passes (the check and the write: 201). DynamoDB requests and items are counted
// on the client the handlers use; the ratio 10k / 1k shows they do not grow with the tenant.
import { randomBytes } from 'node:crypto';
import { allAdapters } from '../../functions/composition-root.ts';
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { meterReads } from '../../functions/shared/dynamo/read-meter.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import { loadPeople } from '../../infra/local/bulk-people.ts';
import { mintDevToken } from '../../infra/local/dev-tokens.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startGateway } from '../../infra/local/gateway.ts';
import { percentile, provisionBench, type SizedRow, sizeTable } from './bench-stack.ts';

const idNumber = (n: number) => {
  const first17 = `330106198${String(n % 10)}0101${String(100 + (n % 800)).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

export async function benchTickets(): Promise<string[]> {
  const sizes = (process.env.TICKETS_PEOPLE ?? '1000,10000').split(',').map(Number);
  const samples = Number(process.env.TICKETS_SAMPLES ?? 20);
  const emulator = await startMoto();
  const lines: string[] = [];
  try {
    await provisionBench(emulator.endpoint, 'bench-tickets');
    const key = new Uint8Array(randomBytes(32));
    const gateway = await startGateway({ port: 0, jwtKey: key });
    const adapters = allAdapters();
    const meter = meterReads(adapters.db);
    const rows: SizedRow[] = [];
    try {
      for (const size of sizes) {
        const tenantId = `tickets-${size}`;
        const token = await mintDevToken(key, { tenantId, role: 'group_admin' });
        const call = async (method: string, path: string, body?: unknown) => {
          const res = await fetch(`${gateway.url}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        };
        const ok = async (method: string, path: string, body?: unknown) => {
          const res = await call(method, path, body);
          if (res.status >= 300)
            throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
          return res.body;
        };
        const siteId = String(
          (await ok('POST', '/sites', { name: 'site', code: 'S1', location: { lat: 30, lng: 121 } })).siteId,
        );
        const today = todayInShanghai();
        const people = await loadPeople({
          db: adapters.db,
          table: adapters.table,
          call: ok,
          count: size,
          templates: [0, 1].map((i) => {
            const id = idNumber(size + i);
            return {
              name: i ? '李焊' : '张焊',
              homeSiteId: siteId,
              daysLeft: 2000,
              category: 'welding',
              idNumber: id,
              certificate: {
                scheme: 'MEM',
                category: 'welding',
                number: `T${id}`,
                issuedOn: addDays(today, -30),
                expiresOn: addDays(addYears(today, 6), -31),
              },
            };
          }),
        });
        const ids = people.map((p) => p.personId);
        const workers = ids.slice(0, 20).map((personId) => ({ personId, role: 'welder' }));
        const at = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
        const draft = (n: number, guardianId: string) => ({
          siteId,
          type: 'hot_work',
          grade: '1',
          location: `unit ${n}`,
          plannedFrom: at(1),
          plannedTo: at(5),
          workers,
          leaderId: ids[20],
          guardianId,
          approverIds: [ids[21]],
        });
        const cases: [string, (i: number) => unknown, number][] = [
          // The guardian is also a worker: every rule is checked, nothing is written.
          ['POST /work-tickets, 20 workers (422: check only)', (i) => draft(i, ids[0] as string), 422],
          // A fresh guardian each time: checked and written (ticket, 22 links, gate views, audit).
          [
            'POST /work-tickets, 20 workers (201: check + write)',
            (i) => draft(i, ids[30 + i] as string),
            201,
          ],
        ];
        for (const [name, body, expected] of cases) {
          await call('POST', '/work-tickets', body(samples)); // warm
          const ms: number[] = [];
          Object.assign(meter, { calls: 0, items: 0 });
          for (let i = 0; i < samples; i++) {
            const start = performance.now();
            const res = await call('POST', '/work-tickets', body(i));
            ms.push(performance.now() - start);
            if (res.status !== expected)
              throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
          }
          rows.push({
            call: name,
            size,
            p50: percentile(ms, 50),
            p99: percentile(ms, 99),
            requests: meter.calls / samples,
            items: meter.items / samples,
          });
        }
      }
    } finally {
      await gateway.close();
    }
    lines.push(...sizeTable(rows, sizes, 51));
    return lines;
  } finally {
    await emulator.stop();
  }
}
