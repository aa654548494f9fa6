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
const perRequest = new AsyncLocalStorage<Logger>();
const current = () => perRequest.getStore() ?? base;

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
    perRequest.getStore()?.setLogLevel(level);
  },
};

/** Runs one request with its own keys: lines logged inside carry them, no other request's. */
export function withRequestLogger<T>(keys: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  const child = base.createChild({ logLevel: base.getLevelName() });
  child.appendKeys(keys);
  return perRequest.run(child, run);
}
