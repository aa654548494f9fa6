// Checks an audit archive offline (`npm run verify-audit -- <archive.zip>`): the records,
// the seals and the tenant's public keys it carries (audit/records.jsonl, audit/seals.json,
// audit/jwks.json) — every record's hash, the links, each day's head and count against its
// seal, each seal's ES256 signature, and the seals' own chain. Needs nothing but the file.
import { unzipSync } from 'fflate';
import { compactVerify, importJWK, type JWK } from 'jose';
import { todayInShanghai } from '../shared/calendar.ts';
import { type ChainedRecord, type ChainProblem, type Seal, verifyChain } from './audit-chain.ts';

export interface ArchiveCheck {
  records: number;
  days: number;
  problems: ChainProblem[];
  /** Records written after their day's seal (a seal made during the day): not covered yet. */
  unsealed: number;
}

const text = (files: Record<string, Uint8Array>, name: string) => {
  const bytes = files[name];
  if (!bytes) throw new Error(`${name} is not in the archive`);
  return new TextDecoder().decode(bytes);
};

/** The payload a seal signs: its fields but the signature's own. */
const payloadOf = ({ jws: _j, kid: _k, ...payload }: Seal) => payload;

export async function checkAuditArchive(zip: Uint8Array): Promise<ArchiveCheck> {
  const files = unzipSync(zip);
  const records = text(files, 'audit/records.jsonl')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ChainedRecord);
  const seals = JSON.parse(text(files, 'audit/seals.json')) as Seal[];
  const keys = (JSON.parse(text(files, 'audit/jwks.json')) as { keys: (JWK & { kid: string })[] }).keys;
  const signatureValid = async (seal: Seal) => {
    const jwk = keys.find((k) => k.kid === seal.kid);
    if (!jwk) return false;
    try {
      const { payload, protectedHeader } = await compactVerify(seal.jws, await importJWK(jwk, 'ES256'));
      if (protectedHeader.typ !== 'audit-seal+jws' || protectedHeader.kid !== seal.kid) return false;
      const signed = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      const stated = payloadOf(seal) as Record<string, unknown>;
      return Object.keys({ ...signed, ...stated }).every((k) => signed[k] === stated[k]);
    } catch {
      return false;
    }
  };
  const { problems, unsealed } = await verifyChain(records, seals, signatureValid, (r) =>
    todayInShanghai(new Date(r.at)),
  );
  return { records: records.length, days: seals.length, problems, unsealed };
}
