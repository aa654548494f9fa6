// Environment, read once per container and checked: a missing variable fails the cold
// start loudly instead of a request quietly.
import { NotConfigured } from './errors.ts';

const cache = new Map<string, string>();

export function requiredEnv(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const value = process.env[name];
  // A request that needs it answers 503 "not configured", naming the setting, not a 500.
  if (!value) throw new NotConfigured('service_not_configured', { setting: name });
  cache.set(name, value);
  return value;
}

export const tableName = () => requiredEnv('TABLE_NAME');
