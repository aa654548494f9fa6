// One-off data migration: violations recorded before the radar's trend (E4) lack the
// tenant-by-day index keys (gsi1pk = T#t#VIOLATIONS, gsi1sk = <occurredOn>#<id>), so the
// trend would not see them. This sets the keys on each such item; conditioned on their
// absence, so it is idempotent and never overwrites a violation written meanwhile.
//   TABLE_NAME=… npm run migrate -- violation-days   (or against the running local stack)
import { type DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import type { MigrationReport } from './certificate-numbers.ts';

export async function migrateViolationDays(
  db: DynamoDBDocumentClient,
  table: string,
): Promise<MigrationReport> {
  const report: MigrationReport = { scanned: 0, migrated: 0, alreadyDone: 0 };
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression: 'entity = :v AND attribute_not_exists(gsi1pk)',
      ExpressionAttributeValues: { ':v': 'violation' },
    },
  );
  for await (const page of pages) {
    report.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const day = keys.violationByDay(
        String(item.tenantId),
        String(item.occurredOn),
        String(item.violationId),
      );
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi1pk)',
            ExpressionAttributeValues: { ':pk': day.gsi1pk, ':sk': day.gsi1sk },
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
