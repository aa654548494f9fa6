// Ledger import throughput (issue 28): a generated ledger (1.2 certificates per person, a
// badge each, with typos, duplicates, bad check digits, unknown sites, merged cells)
// imported end to end on moto through the queue worker: rows per second, DynamoDB requests
// per row, and two sizes — the per-row cost must not grow with the file.

import { todayInShanghai } from '../../functions/shared/calendar.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startWorkPoller } from '../../infra/local/work-poller.ts';
import { generateLedger } from '../support/ledger.ts';
import { provisionBench } from './bench-stack.ts';

const SIZES = (process.env.IMPORT_PEOPLE ?? '200,1000').split(',').map(Number);

export async function benchImport(): Promise<string[]> {
  const emulator = await startMoto();
  try {
    await provisionBench(emulator.endpoint, 'bench-import');
    const { allAdapters, siteRepository } = await import('../../functions/composition-root.ts');
    const { handler: worker } = await import('../../functions/worker/handler.ts');
    const { startImport } = await import('../../functions/imports/imports.ts');
    const { importStore, importReferences, importUploads, idHashKey, personRepository, workQueue, clock } =
      await import('../../functions/composition-root.ts');
    const deps = allAdapters();
    let requests = 0;
    const byCommand = new Map<string, number>();
    deps.db.middlewareStack.add(
      (next, context) => async (args) => {
        requests++;
        const name = String(context.commandName ?? '?').replace(/Command$/, '');
        byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'benchRequestCount' },
    );
    const lines: string[] = [];
    for (const [i, people] of SIZES.entries()) {
      const tenantId = `bench-import-${i}`;
      const principal = { subject: 'bench', tenantId, role: 'group_admin' as const, siteIds: [] };
      await siteRepository().create(
        principal,
        {
          siteId: `site_bench${i}000000`,
          name: '镇海',
          code: 'ZH1',
          location: { lat: 30, lng: 121 },
          createdAt: new Date().toISOString(),
        },
        'bench',
      );
      const ledger = generateLedger(people, { siteCode: 'ZH1', today: todayInShanghai(), seed: 11 + i });
      const importDeps = {
        imports: importStore(),
        references: importReferences(),
        findByIdHash: (t: string, h: string) => personRepository().findByIdHash(t, h),
        idHashKey: idHashKey(),
        queueChunks: (chunks: import('../../functions/imports/imports.ts').Chunk[]) =>
          workQueue().send(chunks.map((c) => ({ type: 'import-rows' as const, ...c }))),
        uploads: importUploads(),
        clock: clock(),
      };
      const t0 = performance.now();
      const started = await startImport(
        importDeps,
        principal,
        { format: 'csv', content: ledger.csv },
        'bench',
      );
      const intakeMs = performance.now() - t0;
      if ('dryRun' in started) throw new Error('not a dry run');
      const before = requests;
      byCommand.clear();
      let polls = 0;
      const poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
      const t1 = performance.now();
      let done: Awaited<ReturnType<typeof importDeps.imports.get>>;
      for (;;) {
        done = await importDeps.imports.get(tenantId, started.importId);
        polls += 1; // the bench's own progress reads: not the import's
        if (done?.status === 'completed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const ms = performance.now() - t1;
      await poller.stop();
      const perRow = (requests - before - polls) / ledger.rows;
      byCommand.set('GetItem', (byCommand.get('GetItem') ?? 0) - polls);
      const mix = [...byCommand]
        .sort((x, y) => y[1] - x[1])
        .map(([name, n]) => `${name} ${(n / ledger.rows).toFixed(2)}`)
        .join(', ');
      lines.push(
        `${String(ledger.rows).padStart(6)} rows (${people} people): read in ${intakeMs.toFixed(0)} ms; written in ${(ms / 1000).toFixed(1)} s = ` +
          `${((ledger.rows / ms) * 1000).toFixed(1)} rows/s; ${perRow.toFixed(1)} DynamoDB requests/row; ` +
          `created ${done?.counts.created}, updated ${done?.counts.updated}, unchanged ${done?.counts.unchanged}, refused ${done?.counts.refused}` +
          `\n        per row: ${mix}`,
      );
    }
    return lines;
  } finally {
    await emulator.stop();
  }
}
