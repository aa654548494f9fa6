// Development tokens for the local gateway: HS256 JWTs shaped like the Cognito access
// tokens of AWS (issuer, subject, scope). They say only who: what that identity may do is
// in the user directory (`enrolDevUser`, dev-users.ts; `mintDevToken` does both). The key
// is generated once per checkout into .local/ and never used outside this machine.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jwtVerify, SignJWT } from 'jose';
import { devSubject, enrolDevUser, type TokenRequest } from './dev-users.ts';

/** Local state (dev JWT key, start lock); LOCAL_STATE_DIR moves it, e.g. for tests. */
export const LOCAL_DIR =
  process.env.LOCAL_STATE_DIR ?? fileURLToPath(new URL('../../.local/', import.meta.url));
export const ISSUER = 'special-ops-local';
export const AUDIENCE = 'special-ops-api';
/** The OAuth scope every API route requires (a Cognito resource-server scope in AWS). */
export const API_SCOPE = 'compliance/api';

export function loadOrCreateDevKey(dir = LOCAL_DIR): Uint8Array {
  const file = join(dir, 'dev-jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export type { TokenRequest } from './dev-users.ts';

/** A token for the identity the request names (nothing else goes in it). */
export async function mintToken(key: Uint8Array, req: TokenRequest): Promise<string> {
  return new SignJWT({ scope: API_SCOPE, token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(devSubject(req))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${req.ttlSeconds ?? 12 * 3600}s`)
    .sign(key);
}

/** What the HTTP API's JWT authorizer does: signature, issuer, audience, expiry, scope. */
export async function verifyToken(
  key: Uint8Array,
  authorization: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  try {
    const { payload } = await jwtVerify(match[1] as string, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp'], // the HTTP API's JWT authorizer refuses a token without exp
    });
    // …and one issued in the future (iat must be before the current time).
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) return undefined;
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    return scopes.includes(API_SCOPE) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Enrols the request's identity in the user directory, then mints its token. */
export async function mintDevToken(key: Uint8Array, req: TokenRequest): Promise<string> {
  await enrolDevUser(ISSUER, req);
  return mintToken(key, req);
}
