// What the index backfills share: scan the items a filter names and set index keys on each,
// conditioned on their still being absent (and on whatever else the caller names), so a run
// is idempotent and never overwrites an item changed since it was read.
import { type DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MigrationReport } from './certificate-numbers.ts';

export interface IndexBackfill {
  /** Which items (a scan filter over the table). */
  filter: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
  /** The index keys to set on one item. */
  keysOf: (item: Record<string, unknown>) => { pk: [string, string]; sk: [string, string] };
  /** Also required when writing (besides the keys' absence), with its values. */
  condition?: (item: Record<string, unknown>) => { expression: string; values: Record<string, unknown> };
}

export async function backfillIndexKeys(
  db: DynamoDBDocumentClient,
  table: string,
  spec: IndexBackfill,
): Promise<MigrationReport> {
  const report: MigrationReport = { scanned: 0, migrated: 0, alreadyDone: 0 };
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression: spec.filter,
      ...(spec.names ? { ExpressionAttributeNames: spec.names } : {}),
      ExpressionAttributeValues: spec.values,
    },
  );
  for await (const page of pages) {
    report.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const {
        pk: [pkName, pk],
        sk: [skName, sk],
      } = spec.keysOf(item);
      const extra = spec.condition?.(item);
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #ipk = :ipk, #isk = :isk',
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#ipk)${
              extra ? ` AND ${extra.expression}` : ''
            }`,
            ExpressionAttributeNames: { '#ipk': pkName, '#isk': skName, ...(extra ? spec.names : {}) },
            ExpressionAttributeValues: { ':ipk': pk, ':isk': sk, ...extra?.values },
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
