// Batch-cleaning throughput: rows checked per second by the queue worker against the
// registry simulator, with the per-tenant registry rate limit lifted so that the figure
// is the pipeline's own (the production default of 5 calls/s per tenant caps a real
// registry at 5 rows/s: 10,000 rows ≈ 33 min, by design).
import { createBatch } from '../../functions/batches/batches.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { startWorkPoller } from '../../infra/local/work-poller.ts';
import { provisionBench } from './bench-stack.ts';

export async function benchBatch(rows = 500): Promise<string[]> {
  const emulator = await startMoto();
  const registry = await startRegistrySimulator();
  try {
    await provisionBench(emulator.endpoint, 'bench-batch', {
      registryBaseUrl: registry.url,
      env: { REGISTRY_RATE_PER_SECOND: '100000' },
    });
    const { allAdapters } = await import('../../functions/composition-root.ts');
    const { handler: worker } = await import('../../functions/worker/handler.ts');
    const deps = allAdapters();
    const principal = { subject: 'bench', tenantId: 'bench', role: 'hr' as const, siteIds: [] };
    await deps.registrySettings.save(
      { ...principal, role: 'group_admin' },
      { unifiedSocialCreditCode: '91350100M000100Y43' },
      new Date().toISOString(),
      'bench',
    );
    for (let i = 0; i < rows; i += 2) {
      registry.add({
        scheme: 'SAMR',
        number: `TS-B-${i}`,
        category: 'N1',
        holderName: '王',
        holderIdNumber: '11010519491231002X',
        issuedOn: '2024-01-01',
        expiresOn: '2027-12-31',
        status: 'valid',
      });
    }
    const content = Array.from({ length: rows }, (_, i) => `TS-B-${i}`).join('\n');
    const t0 = performance.now();
    const { batch } = await createBatch(deps, principal, { format: 'text', content }, 'bench');
    const intakeMs = performance.now() - t0;
    const poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    const t1 = performance.now();
    const { getBatch } = await import('../../functions/batches/batches.ts');
    for (;;) {
      const b = await getBatch(deps, 'bench', batch.batchId);
      if (b?.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const processMs = performance.now() - t1;
    await poller.stop();
    return [
      `${rows} rows: intake ${intakeMs.toFixed(0)} ms; checked in ${(processMs / 1000).toFixed(1)} s = ${((rows / processMs) * 1000).toFixed(1)} rows/s ` +
        `(${registry.calls} registry calls; one worker, moto)`,
    ];
  } finally {
    await registry.close();
    await emulator.stop();
  }
}
