// The outbound-URL guard (SSRF): every form of an internal address a field probe tried, and
// more of the same class, refused by its text; a public-looking name that resolves to an
// internal address refused on the connection itself.
import type { lookup } from 'node:dns';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { OutboundCallFailed, postOutbound } from '../../functions/shared/outbound-http.ts';
import {
  hostList,
  isBlockedAddress,
  publicOnlyLookup,
  refuseOutboundUrl,
} from '../../functions/shared/outbound-url.ts';

describe('a host the deployment reaches over its private network (a registry gateway on a VPN)', () => {
  const policy = { privateNetworkHosts: hostList(' Registry.Intranet. ,10.20.0.5,,') };

  it('reads the list as the environment gives it', () => {
    expect(hostList(' Registry.Intranet. ,10.20.0.5,,')).toEqual(['registry.intranet', '10.20.0.5']);
    expect(hostList(undefined)).toEqual([]);
  });

  it.each([
    ['https://registry.intranet/verify', null],
    ['https://10.20.0.5/verify', null],
    // Only the hosts named: another internal name or private address stays refused.
    ['https://other.intranet/verify', 'url_internal_name'],
    ['https://10.20.0.6/verify', 'url_private_address'],
    // And https only, no userinfo, as for everyone.
    ['http://registry.intranet/verify', 'url_scheme'],
    ['https://x@registry.intranet/verify', 'url_userinfo'],
  ])('%s → %s', (url, refusal) => {
    expect(refuseOutboundUrl(url, policy)).toBe(refusal);
    // Without the deployment's list, every one of them is refused.
    expect(refuseOutboundUrl(url)).not.toBeNull();
  });

  it.each([
    ['10.20.0.9', true],
    ['192.168.3.4', true],
    ['172.20.1.1', true],
    ['127.0.0.1', false], // loopback, metadata and carrier-grade NAT never
    ['169.254.169.254', false],
    ['100.100.100.200', false],
    ['fd00:ec2::254', false],
  ])('lets the named host resolve to %s: %s', async (address, allowed) => {
    const resolver = ((
      _h: string,
      _o: unknown,
      cb: (e: null, a: { address: string; family: number }[]) => void,
    ) => cb(null, [{ address, family: address.includes(':') ? 6 : 4 }])) as unknown as typeof lookup;
    const resolve = (hostname: string, hosts: readonly string[]) =>
      new Promise<string>((ok, fail) =>
        publicOnlyLookup({ privateNetworkHosts: hosts, resolver })(hostname, {}, (error, a) =>
          error ? fail(error) : ok(String(a)),
        ),
      );
    if (allowed) expect(await resolve('Registry.Intranet', ['registry.intranet'])).toBe(address);
    else
      await expect(resolve('registry.intranet', ['registry.intranet'])).rejects.toThrow(
        'url_private_address',
      );
    // Any other name resolving there is refused.
    await expect(resolve('partner.example.cn', ['registry.intranet'])).rejects.toThrow('url_private_address');
  });
});

describe('an outbound URL by its text', () => {
  it.each([
    // The field probe's own list.
    ['http://localhost:@169.254.169.254/latest/meta-data/', 'url_userinfo'],
    ['https://10.0.0.1/', 'url_private_address'],
    ['https://[::1]/', 'url_private_address'],
    ['https://0x7f000001/', 'url_private_address'],
    ['https://169.254.169.254/latest/meta-data/', 'url_private_address'],
    ['https://metadata.google.internal/', 'url_internal_name'],
    // The same class.
    ['https://2130706433/', 'url_private_address'], // decimal 127.0.0.1
    ['https://0177.0.0.1/', 'url_private_address'], // octal
    ['https://127.1/', 'url_private_address'],
    ['https://[::ffff:127.0.0.1]/', 'url_private_address'],
    ['https://[::ffff:a9fe:a9fe]/', 'url_private_address'],
    ['https://[fd00:ec2::254]/', 'url_private_address'], // AWS metadata over IPv6
    ['https://[fe80::1]/', 'url_private_address'],
    ['https://100.100.100.200/', 'url_private_address'], // Alibaba Cloud metadata
    ['https://192.168.1.10/', 'url_private_address'],
    ['https://172.31.0.2/', 'url_private_address'],
    ['https://0.0.0.0/', 'url_private_address'],
    ['https://localhost/', 'url_internal_name'],
    ['https://LOCALHOST./', 'url_internal_name'],
    ['https://api.localhost/', 'url_internal_name'],
    ['https://metadata/', 'url_internal_name'],
    ['https://intranet/', 'url_internal_name'],
    ['https://printer.local/', 'url_internal_name'],
    ['https://user:pw@partner.example.cn/', 'url_userinfo'],
    ['http://partner.example.cn/', 'url_scheme'],
    ['ftp://partner.example.cn/', 'url_scheme'],
    ['file:///etc/passwd', 'url_scheme'],
    ['not a url', 'url_invalid'],
  ])('%s → %s', (url, reason) => {
    expect(refuseOutboundUrl(url)).toBe(reason);
    // The local runtime's allowance is for plain http to loopback only: none of these pass.
    if (!/^http:\/\/localhost:@/.test(url))
      expect(refuseOutboundUrl(url, { allowLocalHttp: true })).toBe(reason);
  });

  it.each([
    'https://partner.example.cn/federation/inbox',
    'https://hz-safety.org.cn:8443/push?x=1',
    'https://8.8.8.8/',
    'https://[2400:3200::1]/', // a public IPv6 (Alibaba DNS)
  ])('accepts %s', (url) => {
    expect(refuseOutboundUrl(url)).toBeNull();
  });

  it('lets the local runtime reach its simulators on loopback over plain http, and nothing else', () => {
    expect(refuseOutboundUrl('http://127.0.0.1:4010/inbox')).toBe('url_scheme');
    expect(refuseOutboundUrl('http://127.0.0.1:4010/inbox', { allowLocalHttp: true })).toBeNull();
    expect(refuseOutboundUrl('http://localhost:4010/inbox', { allowLocalHttp: true })).toBeNull();
    expect(refuseOutboundUrl('http://10.0.0.1:4010/', { allowLocalHttp: true })).toBe('url_scheme');
  });

  it('knows the ranges', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '::1',
      'fc00::1',
      '::ffff:10.0.0.1',
      'nonsense',
    ])
      expect(isBlockedAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '114.114.114.114', '2400:3200::1'])
      expect(isBlockedAddress(a), a).toBe(false);
  });
});

describe('an outbound call', () => {
  const resolvesTo = (address: string): typeof lookup =>
    ((
      _host: string,
      _options: unknown,
      callback: (e: null, a: { address: string; family: number }[]) => void,
    ) => callback(null, [{ address, family: address.includes(':') ? 6 : 4 }])) as unknown as typeof lookup;

  it('refuses a public-looking name that resolves to an internal address (DNS rebinding), before connecting', async () => {
    let reached = false;
    const server = createServer((_req, res) => {
      reached = true;
      res.end('metadata');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      for (const address of ['127.0.0.1', '169.254.169.254', '10.0.0.7']) {
        const call = postOutbound(
          `https://partner.example.cn:${port}/inbox`,
          { headers: {}, body: '{}', timeoutMs: 2_000 },
          { resolver: resolvesTo(address) },
        );
        await expect(call).rejects.toEqual(new OutboundCallFailed('refused_address'));
      }
      expect(reached).toBe(false);
      // The same server, named as the local runtime may name it, is reached.
      const local = await postOutbound(
        `http://127.0.0.1:${port}/inbox`,
        { headers: {}, body: '{}', timeoutMs: 2_000 },
        { allowLocalHttp: true },
      );
      expect(local.status).toBe(200);
      expect(reached).toBe(true);
    } finally {
      server.close();
    }
  });

  it('gives up on a server that never answers, within its deadline', async () => {
    const server = createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const started = Date.now();
    try {
      await expect(
        postOutbound(
          `http://127.0.0.1:${port}/`,
          { headers: {}, body: '{}', timeoutMs: 300 },
          { allowLocalHttp: true },
        ),
      ).rejects.toEqual(new OutboundCallFailed('timeout'));
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
