// Reading an item as an entity: parsed against its definition (functions/domain/entities.ts),
// never cast. A malformed item is a fault of the data, not of the caller: it throws, and the
// request answers 500 with the entity and the failing fields in the log — no values, which
// may be personal data.
import type * as z from 'zod';

export class MalformedItem extends Error {
  constructor(
    readonly entity: string,
    readonly fields: string[],
  ) {
    super(`malformed ${entity} item: ${fields.join(', ')}`);
    this.name = 'MalformedItem';
  }
}

/**
 * The item as `T` once it holds what `schema` requires (unknown fields pass through). `T` is
 * the entity's full type; the schema checks its identity and the fields rules decide with.
 */
export function parseItem<T>(schema: z.ZodType, entity: string, item: unknown): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data as T;
  throw new MalformedItem(
    entity,
    parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(item)'} ${i.code}`),
  );
}

export const parseItems = <T>(schema: z.ZodType, entity: string, items: readonly unknown[]): T[] =>
  items.map((item) => parseItem<T>(schema, entity, item));

export const parseOptionalItem = <T>(schema: z.ZodType, entity: string, item: unknown): T | undefined =>
  item === undefined ? undefined : parseItem<T>(schema, entity, item);
