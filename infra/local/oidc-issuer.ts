// A local OIDC issuer for `PROFILE=china npm start`: what a customer's own identity provider
// is to the china profile's JWT authorizer — RS256 tokens, a discovery document and a JWKS —
// with the claims contract's claims under other names (docs/deploy.md) and no scope, so the
// local stack runs the china path: tokens verified by JWKS, claims read through CLAIM_NAMES.
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
import type { ClaimNames } from '../../functions/shared/auth/claim-names.ts';
import type { TokenRequest } from './dev-tokens.ts';

/** The claim names the local issuer uses: none of them the defaults, so the mapping is exercised. */
export const LOCAL_OIDC_CLAIMS: ClaimNames = {
  tenantId: 'org_code',
  role: 'special_ops_role',
  siteIds: 'site_codes',
  subcontractorId: 'subcontractor_code',
  personId: 'employee_person',
};
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
        claims_supported: ['sub', ...Object.values(LOCAL_OIDC_CLAIMS)],
      });
    if (path === '/jwks.json') return answer({ keys: [key.publicJwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A token as the customer's issuer would issue it: the contract's claims under its names. */
export async function mintOidcToken(dir: string, issuer: string, req: TokenRequest): Promise<string> {
  const key = await loadOrCreateOidcKey(dir);
  const c = LOCAL_OIDC_CLAIMS;
  return new SignJWT({
    [c.tenantId]: req.tenantId,
    [c.role]: req.role,
    ...(req.siteIds?.length ? { [c.siteIds]: req.siteIds } : {}),
    ...(req.subcontractorId ? { [c.subcontractorId]: req.subcontractorId } : {}),
    ...(req.personId ? { [c.personId]: req.personId } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject(req.subject ?? `oidc-${req.role}`)
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
