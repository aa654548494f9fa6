// One-off data migration: violations recorded before the radar's trend (E4) lack the
// tenant-by-day index keys (gsi1pk = T#t#VIOLATIONS, gsi1sk = <occurredOn>#<id>), so the
// trend would not see them. This sets the keys on each such item; conditioned on their
// absence, so it is idempotent and never overwrites a violation written meanwhile.
//   TABLE_NAME=… npm run migrate -- violation-days   (or against the running local stack)
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import type { MigrationReport } from './certificate-numbers.ts';
import { backfillIndexKeys } from './index-keys.ts';

export function migrateViolationDays(db: DynamoDBDocumentClient, table: string): Promise<MigrationReport> {
  return backfillIndexKeys(db, table, {
    filter: 'entity = :v AND attribute_not_exists(gsi1pk)',
    values: { ':v': 'violation' },
    keysOf: (item) => {
      const day = keys.violationByDay(
        String(item.tenantId),
        String(item.occurredOn),
        String(item.violationId),
      );
      return { pk: ['gsi1pk', day.gsi1pk], sk: ['gsi1sk', day.gsi1sk] };
    },
  });
}
