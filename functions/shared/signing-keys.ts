// Ed25519 signing keys derived (HKDF-SHA256, a label per use) from a root secret, so no
// further secret has to be provisioned or rotated apart: the alliance's service key and each
// webhook subscription's key. The private half never leaves the function that signs.
import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';

// PKCS#8 wrapper of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export function derivedSigningKey(rootSecret: string, label: string, keyId: string): SigningKey {
  const seed = Buffer.from(hkdfSync('sha256', rootSecret, 'special-ops', label, 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    keyId,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
  };
}
