// What the code under test writes while a capture lasts: log lines at a chosen level, EMF
// metric lines. The process has one stdout, so one capture at a time; `stop` restores the
// streams and the level (SILENT, the tests' default).
import { logger } from '../../functions/shared/logger.ts';

type Level = Parameters<typeof logger.setLogLevel>[0];

export interface OutputCapture {
  /** The lines captured so far (one entry per line, chunks split). */
  readonly lines: string[];
  stop(): void;
}

export function captureOutput(
  options: {
    /** The log level while capturing (unchanged when absent). */
    logLevel?: Level;
    /** stderr too (the fuzz run reads every line). */
    stderr?: boolean;
    /** Which lines are captured; the others go to the terminal as usual. Default: all. */
    keep?: (line: string) => boolean;
    /** Captured lines are also written through (default: swallowed). */
    echo?: boolean;
  } = {},
): OutputCapture {
  const lines: string[] = [];
  const streams = [process.stdout, ...(options.stderr ? [process.stderr] : [])];
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((stream, i) => {
    const real = originals[i] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const kept = text.split('\n').filter((l) => l && (options.keep ?? (() => true))(l));
      lines.push(...kept);
      return kept.length && !options.echo ? true : real(chunk as never, ...(rest as []));
    }) as typeof stream.write;
  });
  if (options.logLevel) logger.setLogLevel(options.logLevel);
  return {
    lines,
    stop() {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
      if (options.logLevel) logger.setLogLevel('SILENT');
    },
  };
}
