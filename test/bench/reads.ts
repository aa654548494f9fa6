// Reads that must not grow with the tenant (issue 10): two tenants in one emulator, 1,000
// and 10,000 people (certificates, badges; a few hundred checked in through the real gate
// code), and the reads HQ and site managers make, timed over the local API: p50/p99, and
// DynamoDB requests and items per call, with the ratio 10k / 1k. READS_PEOPLE=1000,10000.
import { randomBytes } from 'node:crypto';
import { allAdapters } from '../../functions/composition-root.ts';
import { handleScan } from '../../functions/gates/scans.ts';
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { meterReads } from '../../functions/shared/dynamo/read-meter.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import { loadPeople } from '../../infra/local/bulk-people.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startGateway } from '../../infra/local/gateway.ts';
import { adminCaller, percentile, provisionBench, type SizedRow, sizeTable } from './bench-stack.ts';

const idNumber = (n: number) => {
  const first17 = `330106199${String(n % 10)}0101${String(100 + (n % 800)).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

const certificate = (daysLeft: number, category: string) => {
  const today = todayInShanghai();
  return {
    scheme: 'SAMR',
    category,
    number: `TS-${category}-${randomBytes(4).toString('hex')}`,
    issuedOn: addDays(addYears(addDays(today, daysLeft), -4), 1),
    expiresOn: addDays(today, daysLeft),
  };
};

export async function benchReads(): Promise<string[]> {
  const sizes = (process.env.READS_PEOPLE ?? '1000,10000').split(',').map(Number);
  const samples = Number(process.env.READS_SAMPLES ?? 25);
  const onSitePerTenant = Number(process.env.READS_ON_SITE ?? 300);
  const emulator = await startMoto();
  const lines: string[] = [];
  try {
    await provisionBench(emulator.endpoint, 'bench-reads');
    const key = new Uint8Array(randomBytes(32));
    const gateway = await startGateway({ port: 0, jwtKey: key });
    const adapters = allAdapters();
    const meter = meterReads(adapters.db);
    const rows: SizedRow[] = [];
    try {
      for (const size of sizes) {
        const tenantId = `reads-${size}`;
        const call = await adminCaller(gateway.url, key, tenantId);
        const sites: string[] = [];
        for (let s = 0; s < 5; s++)
          sites.push(
            String(
              (
                await call('POST', '/sites', {
                  name: `site ${s}`,
                  code: `S${s}`,
                  location: { lat: 30 + s, lng: 120 + s },
                })
              ).siteId,
            ),
          );
        const t0 = performance.now();
        const people = await loadPeople({
          db: adapters.db,
          table: adapters.table,
          call,
          count: size,
          templates: [
            { name: '张伟', daysLeft: 300, category: 'N1', homeSiteId: sites[0] as string },
            { name: '李娜', daysLeft: 40, category: 'Q2', homeSiteId: sites[1] as string },
            { name: '王强', daysLeft: -5, category: 'N1', homeSiteId: sites[2] as string },
          ].map((t, i) => ({
            ...t,
            idNumber: idNumber(size + i),
            certificate: certificate(t.daysLeft, t.category),
          })),
        });
        const loadMs = performance.now() - t0;
        // Check in through the real gate code: presence, check-ins and the site counters.
        const t1 = performance.now();
        for (let i = 0; i < Math.min(onSitePerTenant, people.length); i++) {
          const p = people[i] as (typeof people)[number];
          const siteId = sites[i % sites.length] as string;
          await handleScan(adapters, `${tenantId}:${siteId}:g1`, {
            scanId: `bench-${size}-${i}`,
            badgeUid: p.badgeUid,
            direction: 'in',
            at: new Date().toISOString(),
          });
        }
        lines.push(
          `${size} people loaded in ${(loadMs / 1000).toFixed(1)} s; ${onSitePerTenant} checked in in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
        );
        const someone = (people[0] as (typeof people)[number]).personId;
        const calls: [string, string][] = [
          ['GET /sites', '/sites'],
          ['GET /heatmap', '/heatmap'],
          ['GET /heatmap?color=red&category=N1', '/heatmap?color=red&category=N1'],
          ['GET /heatmap/people/{id}', `/heatmap/people/${someone}`],
          ['GET /people/{id}/status', `/people/${someone}/status`],
          ['GET /people?color=red (page)', '/people?color=red'],
          ['GET /people?onSite=true&siteId= (page)', `/people?onSite=true&siteId=${sites[0]}`],
        ];
        for (const [name, path] of calls) {
          await call('GET', path); // warm: the first call may store a recomputed status
          const ms: number[] = [];
          Object.assign(meter, { calls: 0, items: 0 });
          for (let i = 0; i < samples; i++) {
            const start = performance.now();
            await call('GET', path);
            ms.push(performance.now() - start);
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
    lines.push(...sizeTable(rows, sizes, 42));
    return lines;
  } finally {
    await emulator.stop();
  }
}
