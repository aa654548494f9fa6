// The metrics module: each point one EMF line in the product's namespace with only the
// dimensions given; nothing at all when METRICS=off (the tests' default).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, METRIC, metricsFlushed, millis } from '../../functions/shared/metrics.ts';

afterEach(() => {
  process.env.METRICS = 'off';
  vi.restoreAllMocks();
});

async function captured(run: () => void): Promise<Record<string, any>[]> {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  run();
  await metricsFlushed();
  log.mockRestore();
  return out
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

describe('metrics', () => {
  it('writes one EMF line a point, in the SpecialOps namespace, with its dimensions', async () => {
    process.env.METRICS = 'on';
    const lines = await captured(() => {
      count(METRIC.gateDecision, { outcome: 'deny', reason: 'expired' });
      millis(METRIC.gateDecisionLatency, 41.6, { outcome: 'deny' });
    });
    expect(lines).toHaveLength(2);
    const [decision, latency] = lines as [Record<string, any>, Record<string, any>];
    expect(decision._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'SpecialOps',
      Metrics: [{ Name: 'GateDecision', Unit: 'Count' }],
    });
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'expired', GateDecision: 1 });
    expect(latency).toMatchObject({ GateDecisionLatency: 42, outcome: 'deny' });
    expect(latency._aws.CloudWatchMetrics[0].Metrics[0].Unit).toBe('Milliseconds');
  });

  it('drops points and never fails the caller when Powertools Metrics cannot be loaded', async () => {
    vi.resetModules();
    vi.doMock('@aws-lambda-powertools/metrics', () => {
      throw new Error('not in the bundle');
    });
    try {
      const fresh = await import('../../functions/shared/metrics.ts');
      process.env.METRICS = 'on';
      const lines = await captured(() => fresh.count(fresh.METRIC.importRow, { outcome: 'created' }));
      expect(lines.filter((l) => l._aws)).toEqual([]);
      await expect(fresh.metricsFlushed()).resolves.toBeUndefined();
      // Later points are dropped at once, not queued behind a module that will not come.
      fresh.count(fresh.METRIC.importRow, { outcome: 'created' });
      await expect(fresh.metricsFlushed()).resolves.toBeUndefined();
    } finally {
      vi.doUnmock('@aws-lambda-powertools/metrics');
      vi.resetModules();
    }
  });

  it('writes nothing when switched off', async () => {
    process.env.METRICS = 'off';
    expect(await captured(() => count(METRIC.importRow, { outcome: 'created' }))).toEqual([]);
  });
});
