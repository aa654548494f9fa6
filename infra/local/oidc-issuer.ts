// A local OIDC issuer for `PROFILE=china npm start`: what a customer's own identity provider
// is to the china profile's JWT authorizer — RS256 tokens, a discovery document and a JWKS,
// no scope — so the local stack runs the china path: tokens verified by JWKS, the identity
// (issuer + subject) looked up in the product's user directory.
// The key pair is kept in .local/ so `npm run token` can mint tokens in its own process.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { TokenRequest } from './dev-tokens.ts';
import { devSubject, enrolDevUser } from './dev-users.ts';

export const OIDC_AUDIENCE = 'special-ops-api';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function loadOrCreateOidcKey(dir: string): Promise<StoredKey> {
  const file = join(dir, 'oidc-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const stored = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}

export interface OidcIssuer {
  issuer: string;
  close(): Promise<void>;
}

export async function startOidcIssuer(dir: string, port = 0): Promise<OidcIssuer> {
  const key = await loadOrCreateOidcKey(dir);
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const answer = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/openid-configuration')
      return answer({
        issuer,
        jwks_uri: `${issuer}/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat'],
      });
    if (path === '/jwks.json') return answer({ keys: [key.publicJwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A token as the customer's issuer would issue it: who, and nothing about what they may do. */
export async function mintOidcToken(dir: string, issuer: string, req: TokenRequest): Promise<string> {
  const key = await loadOrCreateOidcKey(dir);
  return new SignJWT({ name: 'local user' })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject(devSubject(req))
    .setIssuer(issuer)
    .setAudience(OIDC_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${req.ttlSeconds ?? 12 * 3600}s`)
    .sign(await importJWK(key.privateJwk, 'RS256'));
}

/** What the HTTP API's JWT authorizer does with an OIDC issuer: JWKS signature, iss, aud, exp. */
export function oidcVerifier(issuer: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks.json`));
  return async (authorization: string | undefined): Promise<Record<string, unknown> | undefined> => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    try {
      const { payload } = await jwtVerify(match[1] as string, jwks, {
        issuer,
        audience: OIDC_AUDIENCE,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      });
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
}

/** Enrols the request's identity (this issuer's) in the user directory, then mints its token. */
export async function mintDevOidcToken(dir: string, issuer: string, req: TokenRequest): Promise<string> {
  await enrolDevUser(issuer, req);
  return mintOidcToken(dir, issuer, req);
}
