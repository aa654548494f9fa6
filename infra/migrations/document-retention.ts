// One-off data migration: documents of the regulator's file (E3) written before the records
// expiry lack its index keys — a stored document gsi4pk = RECORDS#KEEP (gsi4sk = <keepUntil>#…),
// a declaration still waiting for its file gsi4pk = RECORDS#DECLARED (gsi4sk = <createdAt>#…) —
// so the daily job would never find them: kept past their retention, or abandoned forever.
// This sets the keys; conditioned on their absence and on the document's state being the one
// read, so it is idempotent and never overwrites a document changed meanwhile.
//   TABLE_NAME=… npm run migrate -- document-retention   (or against the running local stack)
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import type { MigrationReport } from './certificate-numbers.ts';
import { backfillIndexKeys } from './index-keys.ts';

export function migrateDocumentRetention(
  db: DynamoDBDocumentClient,
  table: string,
): Promise<MigrationReport> {
  return backfillIndexKeys(db, table, {
    filter:
      'entity = :e AND attribute_not_exists(gsi4pk) AND ((#s = :stored AND attribute_exists(keepUntil)) OR #s = :uploading)',
    names: { '#s': 'state' },
    values: { ':e': 'document', ':stored': 'stored', ':uploading': 'uploading' },
    keysOf: (item) => {
      const ids = [String(item.tenantId), String(item.personId), String(item.documentId)] as const;
      const k =
        item.state === 'stored'
          ? keys.documentKeptUntil(String(item.keepUntil), ...ids)
          : keys.documentDeclared(String(item.createdAt), ...ids);
      return { pk: ['gsi4pk', k.gsi4pk], sk: ['gsi4sk', k.gsi4sk] };
    },
    condition: (item) => ({ expression: '#s = :state', values: { ':state': item.state } }),
  });
}
