// A ledger chunk reads each tenant setting once: the certificates it enters are judged by
// the same thresholds, and a failed read is not kept.
import { describe, expect, it } from 'vitest';
import { readOncePerChunk, STATUS_THRESHOLDS, type TenantSettings } from '../../functions/domain/settings.ts';

function counting(fail = 0) {
  const reads: string[] = [];
  let failures = fail;
  const settings: TenantSettings = {
    read: async (tenantId, setting) => {
      reads.push(`${tenantId}#${setting.name}`);
      if (failures > 0) {
        failures -= 1;
        throw new Error('table stalled');
      }
      return setting.defaults;
    },
    save: async () => undefined,
  };
  return { settings, reads };
}

describe('settings read once per chunk', () => {
  it('reads a setting of a tenant once, however many certificates ask', async () => {
    const { settings, reads } = counting();
    const once = readOncePerChunk(settings);
    const values = await Promise.all([1, 2, 3].map(() => once.read('acme', STATUS_THRESHOLDS)));
    expect(values.every((v) => v === STATUS_THRESHOLDS.defaults)).toBe(true);
    await once.read('other', STATUS_THRESHOLDS);
    expect(reads).toEqual(['acme#status-thresholds', 'other#status-thresholds']);
  });

  it('reads again after a failed read, and a new chunk reads afresh', async () => {
    const { settings, reads } = counting(1);
    const once = readOncePerChunk(settings);
    await expect(once.read('acme', STATUS_THRESHOLDS)).rejects.toThrow('table stalled');
    await expect(once.read('acme', STATUS_THRESHOLDS)).resolves.toEqual(STATUS_THRESHOLDS.defaults);
    await readOncePerChunk(settings).read('acme', STATUS_THRESHOLDS);
    expect(reads).toHaveLength(3);
  });
});
