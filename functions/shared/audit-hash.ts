// The hash of one audit record (the tamper-evident audit chain, issue 29): SHA-256 over the
// record's content in the JSON Canonicalization Scheme (RFC 8785, the `canonicalize`
// package), so any reader — the sealing job, `npm run verify-audit`, an auditor's own tool —
// gets the same bytes from the same record whatever order its fields come in. The chain
// fields themselves (hash, seq, prevHash) are not part of what is hashed.
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// A CommonJS module whose types say `export default`: under NodeNext the default import is
// `module.exports` itself at run time; either shape is taken.
type Serialize = (input: unknown) => string | undefined;
const canonicalize: Serialize =
  (canonicalizeModule as unknown as { default?: Serialize }).default ??
  (canonicalizeModule as unknown as Serialize);

/** Fields that carry the chain, not the record: left out of its hash. */
export const CHAIN_FIELDS = ['hash', 'seq', 'prevHash'] as const;

/** The record's own fields as hashed: what the transaction wrote, without table keys or chain fields. */
export function hashedContent(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record))
    if (v !== undefined && !['pk', 'sk', 'entity', ...CHAIN_FIELDS].includes(k)) out[k] = v;
  return out;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export function recordHash(record: Record<string, unknown>): string {
  return sha256Hex(canonicalize(hashedContent(record)) as string);
}

/** One link of a day's chain: the previous link and this record's hash. */
export const linkHash = (previous: string, hash: string) => sha256Hex(`${previous}\n${hash}`);

/** Where every tenant's chain starts (a day with no sealed day before it). */
export const GENESIS = '0'.repeat(64);
