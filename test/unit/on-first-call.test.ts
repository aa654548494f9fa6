// Adapters imported on their first call (functions/shared/on-first-call.ts): what a cold
// start leaves out must still behave like the adapter itself once asked.
import { describe, expect, it } from 'vitest';
import { loadedAdapter, onFirstCall } from '../../functions/shared/on-first-call.ts';

interface Vault {
  readonly bucket: string;
  hash(value: string): Promise<string>;
  count(): Promise<number>;
}

class RealVault implements Vault {
  readonly bucket = 'from-the-adapter';
  #calls = 0;
  async hash(value: string) {
    this.#calls++;
    return `h(${value})`;
  }
  async count() {
    return this.#calls;
  }
}

describe('an adapter loaded on its first call', () => {
  it('loads nothing until a method is called, then loads once and keeps the instance (private state included)', async () => {
    let loads = 0;
    const vault = onFirstCall<Vault, 'bucket'>(
      async () => {
        loads++;
        return new RealVault();
      },
      { bucket: 'evidence' },
    );
    expect(vault.bucket).toBe('evidence');
    expect(loads).toBe(0);
    expect(await vault.hash('a')).toBe('h(a)');
    expect(await Promise.all([vault.hash('b'), vault.count()])).toEqual(['h(b)', 2]);
    expect(loads).toBe(1);
    expect(await loadedAdapter(vault)).toBeInstanceOf(RealVault);
    expect(loads).toBe(1);
  });

  it('tries the import again after it failed, and passes the failure on', async () => {
    let attempt = 0;
    const vault = onFirstCall<Omit<Vault, 'bucket'>>(async () => {
      attempt++;
      if (attempt === 1) throw new Error('chunk not readable');
      return new RealVault();
    });
    await expect(vault.hash('a')).rejects.toThrow('chunk not readable');
    expect(await vault.hash('a')).toBe('h(a)');
    expect(attempt).toBe(2);
  });

  it('passes an adapter’s own error through, without loading again', async () => {
    let loads = 0;
    const vault = onFirstCall<{ fail(): Promise<void> }>(async () => {
      loads++;
      return { fail: async () => Promise.reject(new Error('KMS said no')) };
    });
    await expect(vault.fail()).rejects.toThrow('KMS said no');
    await expect(vault.fail()).rejects.toThrow('KMS said no');
    expect(loads).toBe(1);
  });

  it('is not a thenable (awaiting it gives the adapter, not a hang) and shows nothing to inspection', async () => {
    const vault = onFirstCall<Omit<Vault, 'bucket'>>(async () => new RealVault());
    expect(await vault).toBe(vault);
    expect(JSON.stringify({ vault })).toBe('{"vault":{}}');
  });

  it('accepts only ports whose members are async methods (a sync member needs `fixed`)', () => {
    // @ts-expect-error: `bucket` is a plain value, so it must be given up front (tsc checks this).
    const wrong = onFirstCall<Vault>(async () => new RealVault());
    // Why: without it, the stand-in would answer a method where the port promises a string.
    expect(typeof wrong.bucket).toBe('function');
  });
});
