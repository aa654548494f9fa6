// `npm run token -- --tenant acme --role group_admin [--sites s1,s2] [--subcontractor sc1]`
// puts that user in the running local stack's user directory and prints a JWT for them
// (`--role platform_admin` for the platform operator: no tenant needed).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PLATFORM_ROLE, ROLES, type Role } from '../../functions/shared/auth/principal.ts';
import { LOCAL_DIR, loadOrCreateDevKey, mintDevToken, type TokenRequest } from './dev-tokens.ts';
import { mintDevOidcToken } from './oidc-issuer.ts';

const usage = `Usage: npm run token -- --tenant <tenantId> --role <${[...ROLES, PLATFORM_ROLE].join('|')}> [--sites s1,s2] [--subcontractor <id>] [--person <personId>] [--sub <user>] [--ttl <seconds>]`;

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

const platform = values.role === PLATFORM_ROLE;
if (!platform && (!values.tenant || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(values.tenant)))
  fail('--tenant is required (lower-case letters, digits, -).');
if (!values.role || !(platform || ROLES.includes(values.role as (typeof ROLES)[number])))
  fail(`--role must be one of ${[...ROLES, PLATFORM_ROLE].join(', ')}.`);
if (values.role === 'site_manager' && !values.sites) fail('--sites is required for a site_manager.');
if (values.role === 'subcontractor' && !values.subcontractor)
  fail('--subcontractor is required for a subcontractor.');
if (values.role === 'worker' && !values.person) fail('--person is required for a worker’s own account.');

// The running stack's profile: in china, tokens come from its OIDC issuer (docs/deploy.md).
const runtimeFile = join(LOCAL_DIR, 'runtime.json');
if (!existsSync(runtimeFile))
  fail('The local stack is not running (npm start): the token’s user goes in its directory.');
const runtime = JSON.parse(readFileSync(runtimeFile, 'utf8')) as {
  oidcIssuer?: string;
  environment: Record<string, string>;
};
// The running stack's emulator and table: the user is put in its directory.
Object.assign(process.env, runtime.environment);
const request: TokenRequest = {
  tenantId: values.tenant ?? '',
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
  ? await mintDevOidcToken(LOCAL_DIR, runtime.oidcIssuer, request)
  : await mintDevToken(loadOrCreateDevKey(), request);
console.log(token);
