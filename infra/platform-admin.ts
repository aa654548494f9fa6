// `npm run platform-admin -- --email ops@example.com` (global profile: an account in the
// stack's Cognito pool, which mails its temporary password) or
// `npm run platform-admin -- --issuer https://idp.example.cn --subject <sub>` (an external
// OIDC issuer: the operator's identity there) — the first platform operator, who then
// onboards customers with POST /tenants. Against a deployment: run with its credentials and
// TABLE_NAME (and USER_POOL_ID, USER_POOL_ISSUER from the stack outputs); without them,
// against the running local stack.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_DIR } from './local/dev-tokens.ts';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    phone: { type: 'string' },
    name: { type: 'string' },
    issuer: { type: 'string' },
    subject: { type: 'string' },
  },
});
if (!values.email && !values.phone && !(values.issuer && values.subject)) {
  console.error(
    'Usage: npm run platform-admin -- --email <address> [--name <name>]   (a Cognito pool: USER_POOL_ID set)\n' +
      '       npm run platform-admin -- --issuer <https://…> --subject <sub> [--email <address>]   (an external issuer)',
  );
  process.exit(2);
}
if (!process.env.TABLE_NAME) {
  const runtimeFile = join(LOCAL_DIR, 'runtime.json');
  if (!existsSync(runtimeFile)) {
    console.error(
      'Set TABLE_NAME (and USER_POOL_ID, USER_POOL_ISSUER for a Cognito pool), or start the local stack.',
    );
    process.exit(1);
  }
  Object.assign(process.env, JSON.parse(readFileSync(runtimeFile, 'utf8')).environment, {
    LOG_LEVEL: 'WARN',
  });
}
const { userAdapters } = await import('../functions/composition-root.ts');
const { addPlatformAdmin } = await import('../functions/users/users.ts');
const login =
  values.issuer && values.subject ? { issuer: values.issuer, subject: values.subject } : undefined;
const user = await addPlatformAdmin(
  userAdapters(),
  { email: values.email, phone: values.phone, name: values.name, ...(login ? { login } : {}) },
  `bootstrap-${Date.now()}`,
);
console.log(JSON.stringify(user, null, 2));
