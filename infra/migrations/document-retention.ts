// One-off data migration: documents of the regulator's file (E3) written before the records
// expiry lack its index keys — a stored document gsi4pk = RECORDS#KEEP (gsi4sk = <keepUntil>#…),
// a declaration still waiting for its file gsi4pk = RECORDS#DECLARED (gsi4sk = <createdAt>#…) —
// so the daily job would never find them: kept past their retention, or abandoned forever.
// This sets the keys; conditioned on their absence and on the document's state being the one
// read, so it is idempotent and never overwrites a document changed meanwhile.
//   TABLE_NAME=… npm run migrate -- document-retention   (or against the running local stack)
import { type DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import type { MigrationReport } from './certificate-numbers.ts';

export async function migrateDocumentRetention(
  db: DynamoDBDocumentClient,
  table: string,
): Promise<MigrationReport> {
  const report: MigrationReport = { scanned: 0, migrated: 0, alreadyDone: 0 };
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression:
        'entity = :e AND attribute_not_exists(gsi4pk) AND ((#s = :stored AND attribute_exists(keepUntil)) OR #s = :uploading)',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':e': 'document', ':stored': 'stored', ':uploading': 'uploading' },
    },
  );
  for await (const page of pages) {
    report.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const ids = [String(item.tenantId), String(item.personId), String(item.documentId)] as const;
      const kept =
        item.state === 'stored'
          ? keys.documentKeptUntil(String(item.keepUntil), ...ids)
          : keys.documentDeclared(String(item.createdAt), ...ids);
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET gsi4pk = :pk, gsi4sk = :sk',
            ConditionExpression: 'attribute_exists(pk) AND #s = :state AND attribute_not_exists(gsi4pk)',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':pk': kept.gsi4pk, ':sk': kept.gsi4sk, ':state': item.state },
          }),
        );
        report.migrated += 1;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        report.alreadyDone += 1;
      }
    }
  }
  return report;
}
