// The metrics (EMF lines) written while a test runs: METRICS is switched on and stdout read
// for as long as the capture lasts. Only one capture at a time (stdout is one stream).
import { metricsFlushed } from '../../functions/shared/metrics.ts';
import { captureOutput } from './output.ts';

export interface MetricPoint {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

export function captureMetrics() {
  const before = process.env.METRICS;
  process.env.METRICS = 'on';
  // EMF lines are the test's to read; anything else goes through.
  const output = captureOutput({ keep: (l) => l.includes('"CloudWatchMetrics"') });
  return {
    /** Stops capturing (after the points made so far are written) and gives them. */
    async stop(): Promise<MetricPoint[]> {
      await metricsFlushed();
      output.stop();
      process.env.METRICS = before;
      return output.lines.flatMap((l) => {
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
