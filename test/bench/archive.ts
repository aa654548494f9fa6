// The regulator's archive of a site (E3): ARCHIVE_PEOPLE people (default 500) of one site,
// each with a certificate and a badge (copied in bulk from template people made through the
// API), built end to end by the archive use case on moto — the people's records read, the
// PDF index rendered, the ZIP and its manifest written. Goal: ≤ 60 s for 500 people locally.
import { randomBytes } from 'node:crypto';
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import { loadPeople } from '../../infra/local/bulk-people.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startGateway } from '../../infra/local/gateway.ts';
import { adminCaller, provisionBench } from './bench-stack.ts';

const idNumber = (n: number) => {
  const first17 = `330106198${String(n % 10)}0202${String(100 + (n % 800)).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

export async function benchArchive(): Promise<string[]> {
  const sizes = (process.env.ARCHIVE_PEOPLE ?? '100,500').split(',').map(Number);
  const emulator = await startMoto();
  const lines: string[] = [];
  try {
    await provisionBench(emulator.endpoint, 'bench-archive');
    const key = new Uint8Array(randomBytes(32));
    const gateway = await startGateway({ port: 0, jwtKey: key });
    const { allAdapters, archiveDeps } = await import('../../functions/composition-root.ts');
    const { requestArchive, buildArchive } = await import('../../functions/archives/archives.ts');
    const adapters = allAdapters();
    let requests = 0;
    adapters.db.middlewareStack.add((next) => async (args) => {
      requests++;
      return next(args);
    });
    try {
      for (const size of sizes) {
        const tenantId = `archive-${size}`;
        const call = await adminCaller(gateway.url, key, tenantId);
        const siteId = String(
          (
            await call('POST', '/sites', {
              name: '宁波石化基地',
              code: 'NB',
              location: { lat: 29.9, lng: 121.6 },
            })
          ).siteId,
        );
        const today = todayInShanghai();
        await loadPeople({
          db: adapters.db,
          table: adapters.table,
          call,
          count: size,
          templates: ['张伟', '李娜'].map((name, i) => ({
            name,
            homeSiteId: siteId,
            daysLeft: 300,
            category: 'N1',
            idNumber: idNumber(size + i),
            certificate: {
              scheme: 'SAMR',
              category: 'N1',
              number: `TS-N1-${randomBytes(4).toString('hex')}`,
              issuedOn: addDays(addYears(today, -2), 1),
              expiresOn: addDays(today, 300),
            },
          })),
        });
        const principal = { subject: 'bench', tenantId, role: 'group_admin' as const, siteIds: [] };
        const deps = archiveDeps();
        const archive = await requestArchive(
          { ...deps, queueBuild: async () => {} },
          principal,
          { scope: 'site', id: siteId },
          'bench',
        );
        requests = 0;
        const t0 = performance.now();
        const built = await buildArchive(deps, tenantId, archive.archiveId);
        const ms = performance.now() - t0;
        lines.push(
          `${String(built?.total).padStart(5)} people: ${(ms / 1000).toFixed(1)} s, ${((built?.bytes ?? 0) / 1024).toFixed(0)} KB ZIP of ${built?.files} files, ${(requests / (built?.total || 1)).toFixed(1)} DynamoDB requests/person`,
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
