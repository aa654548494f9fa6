// The tamper-evident audit chain against fakes: days sealed (numbered, linked, signed), a
// re-run and a missed day, and an archive of it checked offline — one record edited,
// deleted or inserted, a seal forged or a day's seal removed is each found.

import { strToU8, unzipSync, zipSync } from 'fflate';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { checkAuditArchive } from '../../functions/reports/audit-archive-check.ts';
import { type ChainedRecord, chainDay, GENESIS, type Seal } from '../../functions/reports/audit-chain.ts';
import {
  type AuditSealDeps,
  type AuditSealStore,
  sealAuditDay,
  sealAuditDays,
} from '../../functions/reports/audit-seal.ts';
import { recordHash } from '../../functions/shared/audit-hash.ts';
import { TestClock } from '../support/fakes.ts';

const record = (day: string, n: number, extra: Record<string, unknown> = {}): ChainedRecord => {
  const r = {
    auditId: `aud_${day.replaceAll('-', '')}${String(n).padStart(4, '0')}`,
    at: `${day}T0${n}:00:00.000Z`,
    action: 'person.update',
    entityType: 'person',
    entityId: `per_${n}`,
    actor: { subject: 'hr-1', role: 'hr' },
    requestId: `req-${n}`,
    details: { field: 'phone' },
    ...extra,
  };
  return { ...r, hash: recordHash(r) };
};

async function world() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' } as JWK & { kid: string };
  const days = new Map<string, ChainedRecord[]>([
    ['2027-01-01', [record('2027-01-01', 2), record('2027-01-01', 1), record('2027-01-01', 3)]],
    ['2027-01-02', []],
    ['2027-01-03', [record('2027-01-03', 1), record('2027-01-03', 2)]],
  ]);
  const seals = new Map<string, Seal>();
  let signatures = 0;
  const store: AuditSealStore = {
    dayRecords: async (_t, day) => structuredClone(days.get(day) ?? []),
    seal: async (_t, day) => seals.get(day),
    lastSealBefore: async (_t, day) =>
      [...seals.values()].filter((s) => s.day < day).sort((a, b) => (a.day < b.day ? 1 : -1))[0],
    stampLinks: async (_t, day, links) => {
      for (const l of links) {
        const r = days.get(day)?.find((x) => x.auditId === l.auditId);
        if (r) Object.assign(r, { seq: l.seq, prevHash: l.prevHash });
      }
    },
    putSeal: async (s) => (seals.has(s.day) ? false : (seals.set(s.day, s), true)),
    seals: async (_t, from, to) => [...seals.values()].filter((s) => s.day >= from && s.day <= to),
  };
  const deps: AuditSealDeps = {
    seals: store,
    sign: async (_t, payload) => {
      signatures += 1;
      const jws = await new SignJWT(payload as never)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'audit-seal+jws' })
        .sign(privateKey);
      return { jws, kid: 'k1' };
    },
    clock: new TestClock('2027-01-04T00:30:00+08:00'),
  };
  const archive = (mutate: (records: ChainedRecord[], seals: Seal[]) => void = () => {}) => {
    const records = [...days.values()].flat().map((r) => structuredClone(r));
    const sealList = [...seals.values()].map((s) => structuredClone(s));
    mutate(records, sealList);
    return zipSync({
      'audit/records.jsonl': strToU8(records.map((r) => JSON.stringify(r)).join('\n')),
      'audit/seals.json': strToU8(JSON.stringify(sealList)),
      'audit/jwks.json': strToU8(JSON.stringify({ keys: [jwk] })),
    });
  };
  return { deps, days, seals, archive, signatures: () => signatures };
}

describe('sealing a day', () => {
  it('numbers the day’s records in time order and links each to the one before', () => {
    const records = [record('2027-01-01', 2), record('2027-01-01', 1)];
    const { links, head, count } = chainDay(records, GENESIS);
    expect(count).toBe(2);
    expect(links.map((l) => [l.auditId, l.seq])).toEqual([
      ['aud_202701010001', 1],
      ['aud_202701010002', 2],
    ]);
    expect(links[0]?.prevHash).toBe(GENESIS);
    expect(links[1]?.prevHash).not.toBe(GENESIS);
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    expect(chainDay([], 'abc').head).toBe('abc');
  });

  it('seals the missed days in order, each naming the one before; a re-run signs nothing again', async () => {
    const w = await world();
    const out = await sealAuditDays({ ...w.deps, tenants: async () => ['acme'] }, '2027-01-04');
    expect(out.sealed).toBe(1);
    // A first seal starts yesterday; the next run (after two days missed) catches up from there.
    w.seals.clear();
    await sealAuditDay(w.deps, 'acme', '2027-01-01');
    await sealAuditDays({ ...w.deps, tenants: async () => ['acme'] }, '2027-01-04');
    const [d1, d2, d3] = ['2027-01-01', '2027-01-02', '2027-01-03'].map((d) => w.seals.get(d) as Seal);
    expect([d1?.count, d2?.count, d3?.count]).toEqual([3, 0, 2]);
    expect(d1?.previousHead).toBe(GENESIS);
    expect(d2).toMatchObject({ previousDay: '2027-01-01', previousHead: d1?.head, head: d1?.head });
    expect(d3).toMatchObject({ previousDay: '2027-01-02', previousHead: d2?.head });
    const signed = w.signatures();
    expect(await sealAuditDay(w.deps, 'acme', '2027-01-03')).toEqual(d3);
    expect(w.signatures()).toBe(signed);
  });
});

describe('checking an archive of the chain offline', () => {
  async function sealed() {
    const w = await world();
    for (const day of ['2027-01-01', '2027-01-02', '2027-01-03'])
      await sealAuditDay(w.deps, 'acme', day as never);
    return w;
  }

  it('holds when nothing was touched', async () => {
    const w = await sealed();
    expect(await checkAuditArchive(w.archive())).toEqual({ records: 5, days: 3, problems: [], unsealed: 0 });
  });

  it.each([
    [
      'a record edited',
      (r: ChainedRecord[]) => {
        (r[1] as ChainedRecord).details = { field: 'name' };
      },
      'record_edited',
    ],
    [
      'a record edited with its hash recomputed',
      (r: ChainedRecord[]) => {
        const x = r[1] as ChainedRecord;
        x.details = { field: 'name' };
        x.hash = recordHash(x);
      },
      'link_broken',
    ],
    ['a record deleted', (r: ChainedRecord[]) => void r.splice(1, 1), 'record_missing'],
    ['the day’s last record deleted', (r: ChainedRecord[]) => void r.splice(2, 1), 'seal_count_mismatch'],
    ['a record inserted', (r: ChainedRecord[]) => void r.push(record('2027-01-01', 5)), 'record_inserted'],
    [
      'a record inserted with a forged place in the chain',
      (r: ChainedRecord[]) => void r.push({ ...record('2027-01-01', 6), seq: 2, prevHash: r[1]?.prevHash }),
      'record_inserted',
    ],
    [
      'a seal’s count changed',
      (_: ChainedRecord[], s: Seal[]) => {
        (s[0] as Seal).count = 2;
      },
      'seal_signature_invalid',
    ],
    ['a day’s seal removed', (_: ChainedRecord[], s: Seal[]) => void s.splice(1, 1), 'seal_chain_broken'],
    [
      'a day with its seal removed',
      (r: ChainedRecord[], s: Seal[]) => {
        s.splice(2, 1);
        r.push(record('2027-01-05', 1));
      },
      'seal_missing',
    ],
  ])('finds %s', async (_, mutate, problem) => {
    const w = await sealed();
    const check = await checkAuditArchive(w.archive(mutate));
    expect(check.problems.map((p) => p.problem)).toContain(problem);
  });

  it('finds a seal signed by a key the archive does not vouch for', async () => {
    const w = await sealed();
    const zip = w.archive();
    const files = unzipSync(zip);
    const { publicKey } = await generateKeyPair('ES256');
    files['audit/jwks.json'] = strToU8(
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] }),
    );
    const check = await checkAuditArchive(zipSync(files));
    expect(check.problems.filter((p) => p.problem === 'seal_signature_invalid')).toHaveLength(3);
  });
});
