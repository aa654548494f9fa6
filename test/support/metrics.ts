// The metrics (EMF lines) written while a test runs: METRICS is switched on and stdout read
// for as long as the capture lasts. Only one capture at a time (stdout is one stream).
import { metricsFlushed } from '../../functions/shared/metrics.ts';

export interface MetricPoint {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

export function captureMetrics() {
  const realWrite = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  const before = process.env.METRICS;
  process.env.METRICS = 'on';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const emf = text.split('\n').filter((l) => l.includes('"CloudWatchMetrics"'));
    lines.push(...emf);
    // EMF lines are the test's to read; anything else goes through.
    return emf.length ? true : realWrite(chunk as never, ...(rest as []));
  }) as typeof process.stdout.write;
  return {
    /** Stops capturing (after the points made so far are written) and gives them. */
    async stop(): Promise<MetricPoint[]> {
      await metricsFlushed();
      process.stdout.write = realWrite;
      process.env.METRICS = before;
      return lines.flatMap((l) => {
        const json = JSON.parse(l) as Record<string, any>;
        const meta = json._aws.CloudWatchMetrics[0];
        const dimensions = Object.fromEntries(
          (meta.Dimensions.flat() as string[]).map((d) => [d, String(json[d])]),
        );
        return meta.Metrics.map((m: { Name: string }) => ({ name: m.Name, value: json[m.Name], dimensions }));
      });
    },
  };
}
