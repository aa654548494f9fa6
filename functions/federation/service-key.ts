// This service's own Ed25519 key for signing deliveries to partners (RFC 9421, the same
// profile partners use towards us). Derived (HKDF-SHA256, its own label) from the ID-hash
// secret like the OPRF key, so no further secret has to be provisioned; partners fetch the
// public half at GET /federation/key.
import { derivedSigningKey } from '../shared/signing-keys.ts';

export const SERVICE_KEY_ID = 'special-ops';

export const serviceSigningKey = (rootSecret: string) =>
  derivedSigningKey(rootSecret, 'federation-signing-key/v1', SERVICE_KEY_ID);
