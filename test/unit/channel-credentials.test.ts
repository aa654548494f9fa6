// Channel credentials are read on every delivery: kept a minute per container, replaced at
// once by a store in the same container, never cached when the read failed.
import { describe, expect, it } from 'vitest';
import { SecretChannelCredentials } from '../../functions/notifications/channel-credentials.ts';
import type { TenantSecrets } from '../../functions/shared/tenant-secrets.ts';

function secretsStore(initial: Record<string, string>) {
  const stored = { ...initial };
  const calls = { read: 0, store: 0 };
  let failNext = false;
  const store = {
    read: async (_tenant: string, name: string) => {
      calls.read++;
      if (failNext) {
        failNext = false;
        throw new Error('throttled');
      }
      return stored[name];
    },
    store: async (_tenant: string, name: string, value: string) => {
      calls.store++;
      stored[name] = value;
    },
  };
  return { store: store as unknown as TenantSecrets, calls, failOnce: () => (failNext = true) };
}

describe('channel credentials', () => {
  it('reads the secret once a minute per tenant', async () => {
    let now = 0;
    const s = secretsStore({ 'special-ops/channels/acme': '{"wecomSecret":"w1"}' });
    const creds = new SecretChannelCredentials(s.store, 60_000, () => now);
    expect(await creds.read('acme')).toEqual({ wecomSecret: 'w1' });
    now = 59_999;
    expect(await creds.read('acme')).toEqual({ wecomSecret: 'w1' });
    expect(s.calls.read).toBe(1);
    now = 60_000;
    await creds.read('acme');
    expect(s.calls.read).toBe(2);
    expect(await creds.read('other')).toEqual({});
    expect(s.calls.read).toBe(3);
  });

  it('serves a merge at once, from what is stored, keeping the secrets not given', async () => {
    const s = secretsStore({ 'special-ops/channels/acme': '{"wecomSecret":"w1"}' });
    const creds = new SecretChannelCredentials(s.store, 60_000, () => 0);
    await creds.read('acme');
    await creds.merge('acme', { aliyunAccessKeySecret: 'a1' });
    expect(await creds.read('acme')).toEqual({ wecomSecret: 'w1', aliyunAccessKeySecret: 'a1' });
    expect(s.calls).toEqual({ read: 2, store: 1 });
  });

  it('does not keep a failed read', async () => {
    const s = secretsStore({ 'special-ops/channels/acme': '{"wecomSecret":"w1"}' });
    const creds = new SecretChannelCredentials(s.store, 60_000, () => 0);
    s.failOnce();
    await expect(creds.read('acme')).rejects.toThrow('throttled');
    expect(await creds.read('acme')).toEqual({ wecomSecret: 'w1' });
  });

  it('treats an unreadable secret as none, without quoting it', async () => {
    const s = secretsStore({ 'special-ops/channels/acme': 'not json {' });
    expect(await new SecretChannelCredentials(s.store).read('acme')).toEqual({});
  });
});
