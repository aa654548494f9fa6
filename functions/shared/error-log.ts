// What of an error may be logged: an allowlist of fields, never the whole object. Parser
// errors quote their input (a CSV line with an ID number, a secret that is not JSON), so a
// message is logged only for errors whose text this code or AWS wrote; the stack keeps
// its frames but not its first line (which repeats the message).
import { maskIdLikeRuns } from './identity-numbers.ts';
import { truncateText } from './text.ts';

const MESSAGE_SAFE = new Set(['TypeError', 'ReferenceError', 'TimeoutError', 'AbortError']);

export interface LoggableError {
  name: string;
  message?: string;
  code?: string;
  httpStatusCode?: number;
  stack?: string;
}

export function errorForLog(error: unknown): LoggableError {
  if (!(error instanceof Error)) return { name: typeof error };
  const e = error as Error & {
    $metadata?: { httpStatusCode?: number };
    code?: unknown;
    detailCode?: unknown;
  };
  const fromAws = e.$metadata !== undefined;
  const ours = typeof e.detailCode === 'string';
  const safeMessage = fromAws || ours || MESSAGE_SAFE.has(e.name);
  return {
    name: e.name,
    ...(safeMessage ? { message: truncateText(maskIdLikeRuns(e.message), 300) } : {}),
    ...(typeof e.code === 'string' ? { code: e.code.slice(0, 80) } : {}),
    ...(e.$metadata?.httpStatusCode ? { httpStatusCode: e.$metadata.httpStatusCode } : {}),
    ...(e.stack ? { stack: e.stack.split('\n').slice(1, 8).join('\n') } : {}),
  };
}
