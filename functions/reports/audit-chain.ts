// The tamper-evident audit chain (issue 29). Every audit record carries its own hash from
// the transaction that wrote it (shared/audit.ts: appending stays one write with the change,
// no read, no hot item). Once a China day is over, the daily seal orders the tenant's
// records of that day (time, then id), numbers them (`seq`), links each to the one before
// (`prevHash`: the previous link, the first to the previous sealed day's head) and signs the
// day's head with the tenant's KMS key (ES256 JWS). One seal per tenant and day, written only
// if absent: there is one writer of the chain, so concurrent writers of records cannot fork
// it, and a re-run finds the seal and stops.
//
// Verification (here, pure; `npm run verify-audit` offline) recomputes every record's hash
// (an edit shows), walks seq and links (a deletion or insertion shows), compares the head
// and count with the seal, checks the seal's signature and that each seal names the
// previous one's head (a day removed shows).
import { GENESIS, linkHash, recordHash } from '../shared/audit-hash.ts';

export interface ChainedRecord extends Record<string, unknown> {
  auditId: string;
  at: string;
  hash?: string;
  seq?: number;
  prevHash?: string;
}

export interface SealPayload {
  tenantId: string;
  day: string;
  count: number;
  /** The last link of the day (the previous head when the day had no record). */
  head: string;
  /** The head of the sealed day before it (GENESIS for the first). */
  previousHead: string;
  previousDay: string | null;
  sealedAt: string;
}

export interface Seal extends SealPayload {
  /** Compact JWS (ES256) of the payload, by the tenant's KMS key. */
  jws: string;
  kid: string;
}

/** The order a day is chained in: time, then id (ids are time-sortable ULIDs). */
export const chainOrder = (a: ChainedRecord, b: ChainedRecord) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.auditId < b.auditId ? -1 : a.auditId > b.auditId ? 1 : 0;

/** The links of one day: each record's seq and prevHash, and the day's head. */
export function chainDay(records: ChainedRecord[], previousHead: string) {
  const ordered = [...records].sort(chainOrder);
  let previous = previousHead;
  const links = ordered.map((r, i) => {
    const link = { auditId: r.auditId, at: r.at, seq: i + 1, prevHash: previous };
    previous = linkHash(previous, recordHash(r));
    return link;
  });
  return { links, head: previous, count: ordered.length };
}

export interface ChainProblem {
  day: string;
  problem:
    | 'record_edited'
    | 'record_missing'
    | 'record_inserted'
    | 'link_broken'
    | 'seal_head_mismatch'
    | 'seal_count_mismatch'
    | 'seal_signature_invalid'
    | 'seal_missing'
    | 'seal_chain_broken';
  auditId?: string;
  detail?: string;
}

/**
 * Checks days of a tenant's chain: `records` every record of those days as exported, `seals`
 * the days' seals (oldest first), `signatureValid` the check of a seal's JWS against the
 * tenant's public key. Answers every problem found (empty: the chain holds).
 */
export async function verifyChain(
  records: ChainedRecord[],
  seals: Seal[],
  signatureValid: (seal: Seal) => Promise<boolean>,
  dayOf: (record: ChainedRecord) => string,
): Promise<{ problems: ChainProblem[]; unsealed: number }> {
  const problems: ChainProblem[] = [];
  let unsealed = 0;
  const byDay = new Map<string, ChainedRecord[]>();
  for (const r of records) byDay.set(dayOf(r), [...(byDay.get(dayOf(r)) ?? []), r]);
  const sealed = [...seals].sort((a, b) => (a.day < b.day ? -1 : 1));
  for (const day of byDay.keys())
    if (!sealed.some((s) => s.day === day)) problems.push({ day, problem: 'seal_missing' });
  for (const [i, seal] of sealed.entries()) {
    const day = seal.day;
    if (!(await signatureValid(seal))) problems.push({ day, problem: 'seal_signature_invalid' });
    const before = sealed[i - 1];
    if (before && (seal.previousHead !== before.head || seal.previousDay !== before.day))
      problems.push({ day, problem: 'seal_chain_broken', detail: `after ${before.day}` });
    const dayRecords = [...(byDay.get(day) ?? [])].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    let previous = seal.previousHead;
    let expectedSeq = 1;
    for (const r of dayRecords) {
      if (r.seq === undefined) {
        // Written after a seal made while its day was still running (a seal made after the
        // day, as the job makes them, leaves none): not covered yet, not tampering.
        if (r.at > seal.sealedAt) unsealed += 1;
        else problems.push({ day, problem: 'record_inserted', auditId: r.auditId });
        continue;
      }
      if (r.seq !== expectedSeq) {
        problems.push({
          day,
          problem: r.seq > expectedSeq ? 'record_missing' : 'record_inserted',
          auditId: r.auditId,
          detail: `seq ${r.seq}, expected ${expectedSeq}`,
        });
        expectedSeq = r.seq;
      }
      const hash = recordHash(r);
      if (r.hash !== hash) problems.push({ day, problem: 'record_edited', auditId: r.auditId });
      if (r.prevHash !== previous) problems.push({ day, problem: 'link_broken', auditId: r.auditId });
      previous = linkHash(previous, hash);
      expectedSeq += 1;
    }
    if (expectedSeq - 1 !== seal.count)
      problems.push({ day, problem: 'seal_count_mismatch', detail: `${expectedSeq - 1} of ${seal.count}` });
    if (previous !== seal.head) problems.push({ day, problem: 'seal_head_mismatch' });
  }
  return { problems, unsealed };
}

export { GENESIS };
