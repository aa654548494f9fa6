// Signs allowlists as compact JWS (ES256) with an asymmetric KMS key: the private key never
// leaves KMS, and devices verify with its public key (JWKS at GET /gates/allowlist-keys and
// in the provisioning bundle). KMS returns DER-encoded ECDSA signatures; JWS wants r‖s.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint } from 'jose';
import { awsClient } from './aws-client-config.ts';

export interface AllowlistKey extends JsonWebKey {
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` → the 64-byte r‖s of JWS ES256 (RFC 7518 §3.4). */
export function derToJose(der: Uint8Array, size = 32): Buffer {
  const buf = Buffer.from(der);
  let offset = 2;
  if (buf[0] !== 0x30) throw new Error('not a DER signature');
  if ((buf[1] as number) & 0x80) offset += (buf[1] as number) & 0x7f; // long-form length
  const readInt = () => {
    if (buf[offset] !== 0x02) throw new Error('not a DER integer');
    const len = buf[offset + 1] as number;
    const bytes = buf.subarray(offset + 2, offset + 2 + len);
    offset += 2 + len;
    const trimmed = bytes.subarray(Math.max(0, bytes.length - size));
    return Buffer.concat([Buffer.alloc(size - trimmed.length), trimmed]);
  };
  return Buffer.concat([readInt(), readInt()]);
}

/** Signs allowlists (and work tickets, permit-board links) so that forgeries can be told apart. */
export interface AllowlistSigner {
  publicKey(): Promise<AllowlistKey>;
  /** A compact JWS of the payload; `typ` names the kind of document (RFC 7515 §4.1.9). */
  sign(payload: object, typ?: string): Promise<string>;
}

export class KmsAllowlistSigner implements AllowlistSigner {
  private key?: Promise<AllowlistKey>;

  constructor(
    private readonly keyId: string,
    private readonly kms = awsClient(KMSClient),
  ) {}

  publicKey(): Promise<AllowlistKey> {
    this.key ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then(async (out) => {
      const jwk = createPublicKey({
        key: Buffer.from(out.PublicKey as Uint8Array),
        format: 'der',
        type: 'spki',
      }).export({ format: 'jwk' });
      const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
      return { ...jwk, kid, alg: 'ES256', use: 'sig' } as AllowlistKey;
    });
    this.key.catch(() => {
      this.key = undefined; // let the next call try again
    });
    return this.key;
  }

  async sign(payload: object, typ = 'gate-allowlist+jws'): Promise<string> {
    const { kid } = await this.publicKey();
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid, typ })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signingInput = `${header}.${body}`;
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: Buffer.from(signingInput),
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    return `${signingInput}.${derToJose(out.Signature as Uint8Array).toString('base64url')}`;
  }
}
