// `npm run token -- --tenant acme --role group_admin [--sites s1,s2] [--subcontractor sc1]`
// prints a JWT the local API accepts.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../functions/shared/auth/principal.ts';
import { LOCAL_DIR, loadOrCreateDevKey, mintToken, type TokenRequest } from './dev-tokens.ts';
import { mintOidcToken } from './oidc-issuer.ts';

const usage = `Usage: npm run token -- --tenant <tenantId> --role <${ROLES.join('|')}> [--sites s1,s2] [--subcontractor <id>] [--person <personId>] [--sub <user>] [--ttl <seconds>]`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string' },
      sites: { type: 'string' },
      subcontractor: { type: 'string' },
      person: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
    },
  }) as { values: Record<string, string | undefined> });
} catch (error) {
  fail((error as Error).message);
}

if (!values.tenant || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(values.tenant))
  fail('--tenant is required (lower-case letters, digits, -).');
if (!values.role || !ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}.`);
if (values.role === 'site_manager' && !values.sites) fail('--sites is required for a site_manager.');
if (values.role === 'subcontractor' && !values.subcontractor)
  fail('--subcontractor is required for a subcontractor.');

// The running stack's profile: in china, tokens come from its OIDC issuer (docs/deploy.md).
const runtimeFile = join(LOCAL_DIR, 'runtime.json');
const runtime = existsSync(runtimeFile)
  ? (JSON.parse(readFileSync(runtimeFile, 'utf8')) as { oidcIssuer?: string })
  : {};
const request: TokenRequest = {
  tenantId: values.tenant,
  role: values.role as Role,
  siteIds: values.sites
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  subcontractorId: values.subcontractor,
  personId: values.person,
  subject: values.sub,
  ttlSeconds: values.ttl ? Number(values.ttl) : undefined,
};
const token = runtime.oidcIssuer
  ? await mintOidcToken(LOCAL_DIR, runtime.oidcIssuer, request)
  : await mintToken(loadOrCreateDevKey(), request);
console.log(token);
