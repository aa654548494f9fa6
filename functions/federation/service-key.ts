// This service's own Ed25519 key for signing deliveries to partners (RFC 9421, the same
// profile partners use towards us). Derived (HKDF-SHA256, its own label) from the ID-hash
// secret like the OPRF key, so no further secret has to be provisioned; partners fetch the
// public half at GET /federation/key.
import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';

export const SERVICE_KEY_ID = 'special-ops';
// PKCS#8 wrapper of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function serviceSigningKey(rootSecret: string) {
  const seed = Buffer.from(hkdfSync('sha256', rootSecret, 'special-ops', 'federation-signing-key/v1', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    keyId: SERVICE_KEY_ID,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
  };
}
