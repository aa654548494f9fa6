// `npm run migrate -- certificate-numbers`: runs a data migration against the running local
// stack, or, with TABLE_NAME (and the other variables) set, against a deployed table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_DIR } from '../local/dev-tokens.ts';

const MIGRATIONS = [
  'certificate-numbers',
  'cognito-users',
  'violation-days',
  'document-retention',
  'blacklist-status',
] as const;
const name = process.argv[2];
if (!name || !(MIGRATIONS as readonly string[]).includes(name)) {
  console.error(`Usage: npm run migrate -- <${MIGRATIONS.join('|')}>`);
  process.exit(2);
}
if (!process.env.TABLE_NAME) {
  const runtimeFile = join(LOCAL_DIR, 'runtime.json');
  if (!existsSync(runtimeFile)) {
    console.error(
      'Set TABLE_NAME, ID_HASH_KEY_SECRET_ID and PERSONAL_DATA_KEY_ID, or start the local stack.',
    );
    process.exit(1);
  }
  Object.assign(process.env, JSON.parse(readFileSync(runtimeFile, 'utf8')).environment, {
    LOG_LEVEL: 'WARN',
  });
}
const { allAdapters, userAdapters } = await import('../../functions/composition-root.ts');
if (name === 'cognito-users') {
  // USER_POOL_ID and USER_POOL_ISSUER: the stack's outputs (UserPoolId; https://cognito-idp.<region>.amazonaws.com/<id>).
  const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
  const { migrateCognitoUsers } = await import('./cognito-users.ts');
  const id = process.env.USER_POOL_ID;
  const issuer = process.env.USER_POOL_ISSUER;
  if (!id || !issuer) {
    console.error('Set USER_POOL_ID and USER_POOL_ISSUER (the stack outputs).');
    process.exit(1);
  }
  console.log(
    JSON.stringify(
      await migrateCognitoUsers(new CognitoIdentityProviderClient({}), { id, issuer }, userAdapters()),
    ),
  );
} else if (name === 'document-retention') {
  const { migrateDocumentRetention } = await import('./document-retention.ts');
  const { db, table } = allAdapters();
  console.log(JSON.stringify(await migrateDocumentRetention(db, table)));
} else if (name === 'blacklist-status') {
  const { migrateBlacklistStatus } = await import('./blacklist-status.ts');
  const { personRepository, restatus } = await import('../../functions/composition-root.ts');
  const { db, table } = allAdapters();
  console.log(
    JSON.stringify(
      await migrateBlacklistStatus(db, table, { people: personRepository(), restatus: restatus() }),
    ),
  );
} else if (name === 'violation-days') {
  const { migrateViolationDays } = await import('./violation-days.ts');
  const { db, table } = allAdapters();
  console.log(JSON.stringify(await migrateViolationDays(db, table)));
} else {
  const { migrateCertificateNumbers } = await import('./certificate-numbers.ts');
  const { db, table, numbers } = allAdapters();
  console.log(JSON.stringify(await migrateCertificateNumbers(db, table, numbers)));
}
