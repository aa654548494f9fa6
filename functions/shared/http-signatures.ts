// HTTP Message Signatures (RFC 9421) between this service and partner associations, both
// directions: Ed25519 over `@method`, `@path` and `content-digest` (RFC 9530, SHA-256 of the
// exact body bytes), with `created`, `keyid` and a `nonce`. The library (http-message-signatures)
// builds and checks the signature base; what it leaves to us is here: the body's digest, the
// age window and the nonce (a replay is refused by the caller's nonce store).
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import { Unauthenticated } from './errors.ts';

/** Requests older than this (or this far in the future) are refused. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;
export const COVERED = ['@method', '@path', 'content-digest'];
/**
 * A request with a query (the pull's `since` and `limit`) covers it too (`@query`): a
 * signature over the path alone would let anyone on the way change which page is read.
 */
export const coveredFor = (url: string) =>
  new URL(url, 'https://api.invalid').search ? [...COVERED, '@query'] : COVERED;

export interface SignedMessage {
  method: string;
  /** Full URL or path; the path and the query (when there is one) are covered, not the host. */
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export const contentDigest = (body: Buffer | string) =>
  `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;

/** Signs an outgoing request (our deliveries; a partner's software does the same). */
export async function signRequest(
  request: { method: string; url: string; body: string; headers?: Record<string, string> },
  key: { keyId: string; privateKeyPem: string },
  at: Date,
  nonce: string,
): Promise<Record<string, string>> {
  const privateKey = createPrivateKey(key.privateKeyPem);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...request.headers,
    'content-digest': contentDigest(request.body),
  };
  const signed = await httpbis.signMessage(
    {
      key: {
        id: key.keyId,
        alg: 'ed25519',
        sign: async (data: Buffer) => sign(null, data, privateKey),
      },
      fields: coveredFor(request.url),
      params: ['created', 'keyid', 'alg', 'nonce'],
      paramValues: { created: at, nonce },
    },
    { method: request.method, url: request.url, headers },
  );
  return signed.headers as Record<string, string>;
}

export interface VerifiedSignature {
  keyId: string;
  nonce: string;
  created: number;
}

/**
 * Checks a partner's request: a signature by the key its `keyid` names (`publicKeyOf` answers
 * undefined for an unknown or disabled partner), covering method, path and a digest that
 * matches the body, created within the window. Anything else is 401 with the reason.
 */
export async function verifyRequest(
  message: SignedMessage,
  publicKeyOf: (keyId: string) => Promise<string | undefined>,
  now: Date,
): Promise<VerifiedSignature> {
  const header = (name: string) => message.headers[name] ?? message.headers[name.toLowerCase()];
  const input = header('signature-input');
  if (!input || !header('signature')) throw new Unauthenticated('signature_missing');
  if (header('content-digest') !== contentDigest(message.body)) throw new Unauthenticated('digest_mismatch');
  const params = parseInput(input);
  if (!params.keyid || !params.nonce || !params.created)
    throw new Unauthenticated('signature_params_missing');
  const age = now.getTime() / 1000 - params.created;
  if (age > MAX_SIGNATURE_AGE_SECONDS || age < -MAX_SIGNATURE_AGE_SECONDS)
    throw new Unauthenticated('signature_expired');
  const pem = await publicKeyOf(params.keyid);
  if (!pem) throw new Unauthenticated('unknown_key');
  const publicKey = createPublicKey(pem);
  let ok: boolean | null = false;
  try {
    ok = await httpbis.verifyMessage(
      {
        keyLookup: async (p) =>
          p.keyid === params.keyid
            ? {
                id: params.keyid,
                algs: ['ed25519'],
                verify: async (data: Buffer, signature: Buffer) => verify(null, data, publicKey, signature),
              }
            : null,
        requiredFields: coveredFor(message.url),
        requiredParams: ['created', 'keyid', 'nonce'],
        notAfter: now.getTime() / 1000 + MAX_SIGNATURE_AGE_SECONDS,
        maxAge: MAX_SIGNATURE_AGE_SECONDS,
      },
      {
        method: message.method,
        url: message.url,
        headers: Object.fromEntries(
          Object.entries(message.headers).filter((e): e is [string, string] => e[1] !== undefined),
        ),
      },
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new Unauthenticated('bad_signature');
  return { keyId: params.keyid, nonce: params.nonce, created: params.created };
}

/** The parameters of the (first) signature: `sig=("@method" …);created=…;keyid="…";nonce="…"`. */
function parseInput(input: string): { keyid?: string; nonce?: string; created?: number } {
  const text = (name: string) => input.match(new RegExp(`;${name}="([^"]{1,200})"`))?.[1];
  const created = Number(input.match(/;created=(\d{1,12})/)?.[1]);
  return {
    ...(text('keyid') ? { keyid: text('keyid') } : {}),
    ...(text('nonce') ? { nonce: text('nonce') } : {}),
    ...(Number.isFinite(created) && created > 0 ? { created } : {}),
  };
}

/** An Ed25519 public key (the only kind a partner or an insurer may register), as SPKI PEM; undefined for anything else. */
export function ed25519PublicKeyPem(pem: string): string | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519'
      ? (key.export({ type: 'spki', format: 'pem' }) as string)
      : undefined;
  } catch {
    return undefined;
  }
}
