import { describe, expect, it } from 'vitest';
import type { PersonStatus } from '../../functions/domain/status-rules.ts';
import type { PersonRecord } from '../../functions/people/person-repository.ts';
import { statusDiffers } from '../../functions/status/status-store.ts';

const status = {
  color: 'yellow',
  gateAccess: 'allowed',
  dispatch: 'allowed',
  reasons: [{ code: 'expires_soon', certificateId: 'cer_1', daysLeft: 40 }],
  certificates: [],
  nextChangeOn: '2027-01-10',
} as unknown as PersonStatus;

/** The same value with every map's keys in reverse order, as DynamoDB may return it. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reordered(v)]),
    );
  return value;
}

const stored = (s: unknown) => ({ status: s }) as unknown as PersonRecord;

describe('whether a stored status differs from a fresh one', () => {
  it.each([
    ['the same value with map keys in another order', reordered(status), false],
    ['the same value, a member undefined in the fresh one (absent when stored)', status, false],
    ['another colour', { ...status, color: 'red' }, true],
    ['another reason', { ...status, reasons: [] }, true],
    ['another change day', { ...status, nextChangeOn: '2027-01-11' }, true],
    ['nothing stored yet', undefined, true],
  ])('%s', (_, before, differs) => {
    expect(statusDiffers(stored(before), { ...status, accessLapsesOn: undefined } as PersonStatus)).toBe(
      differs,
    );
  });
});
