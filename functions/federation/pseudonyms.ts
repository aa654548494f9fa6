// Alliance pseudonyms (SPEC O4): an ID number's pseudonym is an oblivious PRF of it (RFC 9497,
// VOPRF mode, P256-SHA256) under a key that never leaves this service. A plain or shared-key
// hash of an ID number (~10^11 plausible values) can be reversed by trying them all; a PRF
// output cannot be computed without the key, and partners get theirs by blinded look-up
// (POST /federation/oprf): we never see their ID numbers, they never learn the key.
//
// The key is derived (HKDF-SHA256, its own label) from the ID-hash secret, which already lives
// in Secrets Manager under the data KMS key and is loaded once per container; RFC 9497
// DeriveKeyPair turns the 32 derived bytes into the scalar. @noble/curves does the group
// arithmetic (4-5x faster than the library's default provider, measured: docs/benchmarks.md).
import { hkdfSync } from 'node:crypto';
import { deriveKeyPair, EvaluationRequest, Oprf, VOPRFClient, VOPRFServer } from '@cloudflare/voprf-ts';
import { CryptoNoble } from '@cloudflare/voprf-ts/crypto-noble';
import { normalizeIdNumber } from '../shared/identity-numbers.ts';

export const OPRF_SUITE = Oprf.Suite.P256_SHA256;
const KEY_INFO = new TextEncoder().encode('special-ops alliance pseudonym v1');
/** A P-256 blinded element, compressed (SEC1): 33 bytes. */
export const BLINDED_ELEMENT_BYTES = 33;

import type { Pseudonyms } from '../domain/person.ts';

export type { Pseudonyms };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export class OprfPseudonyms implements Pseudonyms {
  private keys?: Promise<{ server: VOPRFServer; publicKey: Uint8Array }>;

  /** `rootSecret`: the ID-hash secret; the OPRF key is derived from it under its own label. */
  constructor(private readonly rootSecret: () => Promise<string>) {}

  private load() {
    this.keys ??= this.rootSecret().then(async (root) => {
      const seed = new Uint8Array(hkdfSync('sha256', root, 'special-ops', 'alliance-oprf-seed/v1', 32));
      const { privateKey, publicKey } = await deriveKeyPair(
        Oprf.Mode.VOPRF,
        OPRF_SUITE,
        seed,
        KEY_INFO,
        CryptoNoble,
      );
      return { server: new VOPRFServer(OPRF_SUITE, privateKey, CryptoNoble), publicKey };
    });
    this.keys.catch(() => {
      this.keys = undefined;
    });
    return this.keys;
  }

  async of(idNumber: string) {
    const { server } = await this.load();
    return b64(await server.evaluate(pseudonymInput(idNumber)));
  }

  async evaluateBlinded(blinded: Uint8Array[]) {
    const { server } = await this.load();
    const group = Oprf.getGroup(OPRF_SUITE, CryptoNoble);
    // Deserialising checks each is a point of the group (and not the identity): anything else throws.
    const request = new EvaluationRequest(blinded.map((b) => group.desElt(b)));
    return b64((await server.blindEvaluate(request)).serialize());
  }

  async publicKey() {
    return b64((await this.load()).publicKey);
  }
}

/** What is pseudonymised: the normalised ID number (upper-case X), UTF-8. */
export const pseudonymInput = (idNumber: string) => new TextEncoder().encode(normalizeIdNumber(idNumber));

/**
 * The partner's side (their software, the simulator, tests): blind an ID number, send the
 * blinded element, finalize the answer into the pseudonym after checking the proof.
 */
export async function blindIdNumber(idNumber: string, serverPublicKey: string) {
  const client = new VOPRFClient(OPRF_SUITE, Buffer.from(serverPublicKey, 'base64url'), CryptoNoble);
  const [finalize, request] = await client.blind([pseudonymInput(idNumber)]);
  const blinded = request.blinded.map((e) => b64(e.serialize(true)));
  return {
    blinded,
    async finish(evaluation: string): Promise<string> {
      const { Evaluation } = await import('@cloudflare/voprf-ts');
      const [out] = await client.finalize(
        finalize,
        Evaluation.deserialize(OPRF_SUITE, Buffer.from(evaluation, 'base64url'), CryptoNoble),
      );
      return b64(out as Uint8Array);
    },
  };
}
