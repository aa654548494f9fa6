// Pagination cursors are the LastEvaluatedKey, base64url-encoded. A cursor is checked on
// the way back in: it must belong to the same partition the query reads, so a forged
// cursor can neither reach another tenant nor provoke a 500.
import { InvalidRequest } from '../errors.ts';

export type DynamoKey = Record<string, string>;

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  expected: { attribute: string; value: string; allowedAttributes: string[] },
): DynamoKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new InvalidRequest('invalid_cursor', [
      { field: 'query.cursor', code: 'invalid_cursor', message: 'invalid_cursor' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed as Record<string, unknown>);
  const wellFormed = entries.every(
    ([k, v]) => expected.allowedAttributes.includes(k) && typeof v === 'string',
  );
  if (!wellFormed || (parsed as DynamoKey)[expected.attribute] !== expected.value) throw invalid();
  return parsed as DynamoKey;
}
