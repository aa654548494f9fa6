// One structured JSON logger per container. Never log ID numbers, phone numbers, names or
// face images: log ids and codes only.
//
// Keys that belong to one request (request id, route, tenant) live on a child logger held
// in AsyncLocalStorage for the duration of that request: in Lambda a container serves one
// request at a time, but the local gateway serves many at once in one process, and keys
// appended to a shared logger would label one request's lines with another's tenant.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';

const base = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'special-ops',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | 'DEBUG' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ?? 'INFO',
});
interface RequestScope {
  logger: Logger;
  /** One id from the request (or message, execution) through every line and onward message. */
  correlationId?: string;
}
const perRequest = new AsyncLocalStorage<RequestScope>();
const current = () => perRequest.getStore()?.logger ?? base;

/** The correlation id of the request being served (undefined outside one). */
export const currentCorrelationId = () => perRequest.getStore()?.correlationId;

/** A correlation id as received from outside: kept only if it is short and plain. */
export const acceptableCorrelationId = (value: string | undefined) =>
  value && /^[A-Za-z0-9._:-]{8,100}$/.test(value) ? value : undefined;

/** Lines are a message plus an object of fields (objects passed as data, never as text). */
type Fields = Record<string, unknown>;

export const logger = {
  debug: (message: string, fields: Fields = {}) => current().debug(message, fields),
  info: (message: string, fields: Fields = {}) => current().info(message, fields),
  warn: (message: string, fields: Fields = {}) => current().warn(message, fields),
  error: (message: string, fields: Fields = {}) => current().error(message, fields),
  /** Adds keys to the current request's lines (or the container's, outside a request). */
  appendKeys: (keys: Record<string, unknown>) => current().appendKeys(keys),
  /** The level of every line from now on, requests already running included. */
  setLogLevel: (level: Parameters<Logger['setLogLevel']>[0]) => {
    base.setLogLevel(level);
    perRequest.getStore()?.logger.setLogLevel(level);
  },
};

/**
 * Runs one request with its own keys: lines logged inside carry them, no other request's.
 * `correlationId` (default: the request id) is on every line and goes on with every message
 * the request queues (shared/work-queue.ts).
 */
export function withRequestLogger<T>(keys: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  const child = base.createChild({ logLevel: base.getLevelName() });
  const correlationId = String(keys.correlationId ?? keys.requestId ?? keys.messageId ?? '') || undefined;
  child.appendKeys({ ...keys, ...(correlationId ? { correlationId } : {}) });
  return perRequest.run({ logger: child, ...(correlationId ? { correlationId } : {}) }, run);
}
