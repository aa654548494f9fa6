// `npm run migrate -- certificate-numbers`: runs a data migration against the running local
// stack, or, with TABLE_NAME (and the other variables) set, against a deployed table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_DIR } from '../local/dev-tokens.ts';

const MIGRATIONS = ['certificate-numbers'] as const;
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
const { allAdapters } = await import('../../functions/composition-root.ts');
const { migrateCertificateNumbers } = await import('./certificate-numbers.ts');
const { db, table, numbers } = allAdapters();
console.log(JSON.stringify(await migrateCertificateNumbers(db, table, numbers)));
