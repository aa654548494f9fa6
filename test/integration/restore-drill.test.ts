// The restore drill (issue 30) against the emulator: point-in-time recovery into a new
// table, item counts and a sample compared, the time reported, the copy dropped.
import {
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreDrill } from '../../infra/tools/restore-drill.ts';

const db = new DynamoDBClient({});
afterAll(() => db.destroy());
const table = process.env.TABLE_NAME as string;

describe('the restore drill', () => {
  it('refuses a table without point-in-time recovery', async () => {
    await db.send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );
    await expect(restoreDrill(db, table)).rejects.toThrow('point-in-time recovery is not enabled');
  });

  it('restores into a new table, compares counts and a sample, and drops the copy', async () => {
    for (let i = 0; i < 25; i++)
      await db.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `DRILL#${i}` }, sk: { S: 'ITEM' }, n: { N: String(i) }, tags: { SS: ['a', 'b'] } },
        }),
      );
    await db.send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    const report = await restoreDrill(db, table, { pollMs: 100, sample: 10 });
    expect(report).toMatchObject({ ok: true, sourceItems: 25, targetItems: 25, sampled: 10, mismatches: [] });
    expect(report.restoreSeconds).toBeGreaterThanOrEqual(0);
    await expect(db.send(new DescribeTableCommand({ TableName: report.target }))).rejects.toThrow();
  });
});
