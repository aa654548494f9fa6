// The one guard for every URL the product calls on someone's say-so (a partner's delivery
// address today; insurers and webhooks next): parsed by the WHATWG URL parser, which also
// turns decimal, hex and octal IPv4 forms (0x7f000001, 2130706433) into dotted quads, so
// they are judged as the addresses they are. Checked twice: when the URL is registered
// (its text) and when it is called (every address its name resolves to, on the connection
// itself, so a name that resolves to a public address at registration and to 169.254.169.254
// later — DNS rebinding — is refused too).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses no outbound call may reach: private, loopback, link-local, metadata, reserved.
 * Two lists: a BlockList checks an IPv4 address against its IPv6 rules as ::ffff:a.b.c.d too.
 */
const BLOCKED_V4 = new BlockList();
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT; Alibaba Cloud's metadata is 100.100.100.200
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local: AWS, GCP and Azure metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  BLOCKED_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped: ::ffff:127.0.0.1
  ['64:ff9b::', 96], // NAT64 of any IPv4, private ones included
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local; AWS's IPv6 metadata fd00:ec2::254
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED_V6.addSubnet(net, prefix, 'ipv6');

/**
 * A private network a deployment may name a host in (its registry gateway over a VPN or
 * Direct Connect): RFC 1918 only. Loopback, link-local (metadata), carrier-grade NAT
 * (Alibaba Cloud's metadata) and the rest stay refused whatever the deployment says.
 */
const PRIVATE_NETWORK = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE_NETWORK.addSubnet(net, prefix, 'ipv4');

/** Names that are internal by definition, whatever they resolve to. */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;

export type UrlRefusal =
  | 'url_invalid'
  | 'url_scheme'
  | 'url_userinfo'
  | 'url_private_address'
  | 'url_internal_name'
  | 'url_unresolvable';

/** Whether an address (v4 or v6, as text) is one no outbound call may reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? BLOCKED_V4.check(address, 'ipv4') : BLOCKED_V6.check(address, 'ipv6');
}

export interface OutboundPolicy {
  /**
   * Plain http to this machine's loopback (127.0.0.1 or localhost, nothing else): the local
   * runtime's simulators only. Never set in a deployment (a template test checks).
   */
  allowLocalHttp?: boolean;
  /**
   * Hosts (exact names or IPv4 addresses, lower case) the deployment reaches over its own
   * private network: they may be internal names and resolve to RFC 1918 addresses. Set for
   * the registry only (`REGISTRY_PRIVATE_HOSTS`), never for URLs a tenant or partner gives.
   */
  privateNetworkHosts?: readonly string[];
  /** The resolver (tests give one that answers a private address for a public-looking name). */
  resolver?: typeof dnsLookup;
}

/** A host name as compared: lower case, no trailing dot, no IPv6 brackets. */
const normalHost = (host: string) =>
  host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

/** A comma-separated host list from the environment, normalised (empty entries dropped). */
export const hostList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((h) => normalHost(h.trim()))
    .filter(Boolean);

const onPrivateNetwork = (address: string) => isIP(address) === 4 && PRIVATE_NETWORK.check(address, 'ipv4');

/** The policy the environment asks for: `OUTBOUND_ALLOW_LOCAL_HTTP=1` is set by `npm start` and the tests. */
export const outboundPolicy = (): OutboundPolicy => ({
  allowLocalHttp: process.env.OUTBOUND_ALLOW_LOCAL_HTTP === '1',
});

const isLocalHttp = (url: URL) =>
  url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');

/** The URL's text: https, no userinfo, a public name or address. Null when acceptable. */
export function refuseOutboundUrl(raw: string, policy: OutboundPolicy = {}): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url_invalid';
  }
  // http://localhost:@169.254.169.254/ has a host of 169.254.169.254 and a username of localhost.
  if (url.username || url.password) return 'url_userinfo';
  if (policy.allowLocalHttp && isLocalHttp(url)) return null;
  if (url.protocol !== 'https:') return 'url_scheme';
  const host = normalHost(url.hostname);
  if (!host) return 'url_invalid';
  if (policy.privateNetworkHosts?.includes(host))
    return isIP(host) && !onPrivateNetwork(host) && isBlockedAddress(host) ? 'url_private_address' : null;
  if (isIP(host)) return isBlockedAddress(host) ? 'url_private_address' : null;
  // A single label (http://metadata/, http://intranet/) is resolved by a search domain: internal.
  if (!host.includes('.') || INTERNAL_NAME.test(host)) return 'url_internal_name';
  return null;
}

export class OutboundUrlRefused extends Error {
  override readonly name = 'OutboundUrlRefused';
  constructor(readonly reason: UrlRefusal) {
    super(`outbound URL refused: ${reason}`);
  }
}

/**
 * A DNS lookup for the connection itself that refuses any private address a name resolves
 * to: passed to http(s).request, so the address checked is the address connected to.
 */
export function publicOnlyLookup(policy: OutboundPolicy = {}): LookupFunction {
  return (hostname, options, callback) => {
    (policy.resolver ?? dnsLookup)(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const local = policy.allowLocalHttp && (hostname === 'localhost' || hostname === '127.0.0.1');
      const privateHost = policy.privateNetworkHosts?.includes(normalHost(hostname));
      const blocked = (address: string) =>
        isBlockedAddress(address) && !(privateHost && onPrivateNetwork(address));
      const refused = !local && (!list.length || list.some((a) => blocked(a.address)));
      if (refused) return callback(new OutboundUrlRefused('url_private_address'), '', 4);
      if ((options as { all?: boolean }).all)
        return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * The URL checked as text and as it resolves now: a name that resolves to a private,
 * loopback, link-local or metadata address is refused when it is set (and again by
 * `publicOnlyLookup` on every connection, for a name that changes its answer later).
 * A name that does not resolve at all is refused too: nothing could be delivered to it.
 */
export async function refuseOutboundUrlNow(
  raw: string,
  policy: OutboundPolicy = {},
): Promise<UrlRefusal | null> {
  const text = refuseOutboundUrl(raw, policy);
  if (text) return text;
  const host = normalHost(new URL(raw).hostname);
  if (isIP(host)) return null;
  return new Promise((resolve) => {
    publicOnlyLookup(policy)(host, { all: true }, (error) => {
      if (!error) return resolve(null);
      resolve(error instanceof OutboundUrlRefused ? error.reason : 'url_unresolvable');
    });
  });
}
