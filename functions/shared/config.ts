// Environment, read once per container and checked: a missing variable fails the cold
// start loudly instead of a request quietly.
const cache = new Map<string, string>();

export function requiredEnv(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  cache.set(name, value);
  return value;
}

export const tableName = () => requiredEnv('TABLE_NAME');
