// One-off data migration: a blacklist hold put on a person before the hold became part of the
// stored status (2026-12-07) left them listed, counted on the heat map and seen by managers in
// their certificates' colour (green) while the gate denied them. This stores each held
// person's status as of today through the one status write, as a status read would; a person
// whose stored status is already right is left alone, so a second run changes nothing.
//   TABLE_NAME=… npm run migrate -- blacklist-status   (or against the running local stack)
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { PersonRepository } from '../../functions/domain/person.ts';
import type { StatusCause } from '../../functions/domain/status-write.ts';
import { systemActor } from '../../functions/shared/audit.ts';
import type { Actor } from '../../functions/shared/auth/principal.ts';
import type { MigrationReport } from './certificate-numbers.ts';

export interface BlacklistStatusDeps {
  people: Pick<PersonRepository, 'get'>;
  /** The composition root's status write as of today. */
  restatus: (actor: Actor, personId: string, requestId: string, cause: StatusCause) => Promise<void>;
}

export async function migrateBlacklistStatus(
  db: DynamoDBDocumentClient,
  table: string,
  deps: BlacklistStatusDeps,
): Promise<MigrationReport> {
  const report: MigrationReport = { scanned: 0, migrated: 0, alreadyDone: 0 };
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression: 'entity = :p AND attribute_exists(blacklist)',
      ExpressionAttributeValues: { ':p': 'person' },
      ProjectionExpression: 'tenantId, personId, #v',
      ExpressionAttributeNames: { '#v': 'version' },
    },
  );
  for await (const page of pages) {
    report.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const tenantId = String(item.tenantId);
      const personId = String(item.personId);
      await deps.restatus(
        systemActor(tenantId, 'migration'),
        personId,
        `migration:blacklist-status:${personId}`,
        'person.blacklist',
      );
      // A status write raises the person's version (from the one scanned); none: already right.
      if ((await deps.people.get(tenantId, personId))?.version !== item.version) report.migrated += 1;
      else report.alreadyDone += 1;
    }
  }
  return report;
}
