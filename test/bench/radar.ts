// The compliance radar on a large tenant (E4: "seconds, not minutes, for a 10,000-person
// tenant"): RADAR_PEOPLE people (default 1,000 and 10,000; copies of template people made
// through the API, a third of them red, a third yellow), then the radar computed by its use
// case on moto — every person's stored status read page by page, their bindings batched.
import { randomBytes } from 'node:crypto';
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import { loadPeople } from '../../infra/local/bulk-people.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startGateway } from '../../infra/local/gateway.ts';
import { adminCaller, provisionBench } from './bench-stack.ts';

const idNumber = (n: number) => {
  const first17 = `330106197${String(n % 10)}0303${String(100 + (n % 800)).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

export async function benchRadar(): Promise<string[]> {
  const sizes = (process.env.RADAR_PEOPLE ?? '1000,10000').split(',').map(Number);
  const emulator = await startMoto();
  const lines: string[] = [];
  try {
    await provisionBench(emulator.endpoint, 'bench-radar');
    const key = new Uint8Array(randomBytes(32));
    const gateway = await startGateway({ port: 0, jwtKey: key });
    const { allAdapters, diagnosticsDeps } = await import('../../functions/composition-root.ts');
    const { tenantRadar } = await import('../../functions/diagnostics/diagnostics.ts');
    const adapters = allAdapters();
    let requests = 0;
    adapters.db.middlewareStack.add((next) => async (args) => {
      requests++;
      return next(args);
    });
    try {
      for (const size of sizes) {
        const tenantId = `radar-${size}`;
        const call = await adminCaller(gateway.url, key, tenantId);
        const siteId = String(
          (await call('POST', '/sites', { name: '总部', code: 'HQ', location: { lat: 31, lng: 121 } }))
            .siteId,
        );
        const today = todayInShanghai();
        const t0 = performance.now();
        await loadPeople({
          db: adapters.db,
          table: adapters.table,
          call,
          count: size,
          templates: [
            { name: '张伟', daysLeft: 300 },
            { name: '李娜', daysLeft: 40 },
            { name: '王强', daysLeft: -5 },
          ].map((t, i) => ({
            ...t,
            homeSiteId: siteId,
            category: 'N1',
            idNumber: idNumber(size + i),
            certificate: {
              scheme: 'SAMR',
              category: 'N1',
              number: `TS-N1-${randomBytes(4).toString('hex')}`,
              issuedOn: addDays(addYears(addDays(today, t.daysLeft), -4), 1),
              expiresOn: addDays(today, t.daysLeft),
            },
          })),
        });
        const loadMs = performance.now() - t0;
        const principal = { subject: 'bench', tenantId, role: 'group_admin' as const, siteIds: [] };
        requests = 0;
        const t1 = performance.now();
        const radar = await tenantRadar(diagnosticsDeps(), principal);
        const ms = performance.now() - t1;
        lines.push(
          `${String(radar.facts.people).padStart(6)} people: radar in ${(ms / 1000).toFixed(2)} s (${requests} DynamoDB requests; loaded in ${(loadMs / 1000).toFixed(0)} s), overall ${radar.overall}`,
        );
      }
    } finally {
      await gateway.close();
    }
  } finally {
    await emulator.stop();
  }
  return lines;
}
