// `npm run restore-drill -- <table> [--target name] [--sample N] [--keep]`: the restore we
// would do after a bad write or a lost table, tried for real. DynamoDB's point-in-time
// recovery restores the table (latest restorable time) into a new table; the drill waits
// for it, compares item counts and a sample of items with the source, reports how long it
// took, and drops the copy unless --keep. The cut-over (pointing the functions at the
// restored table) is in docs/operations.md. Runs against AWS, and against the emulator
// (moto restores point in time as a copy), which is what the test does.
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  type AttributeValue,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';

export interface DrillReport {
  source: string;
  target: string;
  restoreSeconds: number;
  sourceItems: number;
  targetItems: number;
  sampled: number;
  mismatches: string[];
  ok: boolean;
}

async function countItems(db: DynamoDBClient, table: string) {
  let n = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    n += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
}

export async function restoreDrill(
  db: DynamoDBClient,
  source: string,
  options: { target?: string; sample?: number; keep?: boolean; timeoutMs?: number; pollMs?: number } = {},
): Promise<DrillReport> {
  const backups = await db.send(new DescribeContinuousBackupsCommand({ TableName: source }));
  const pitr =
    backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
  if (pitr !== 'ENABLED') throw new Error(`point-in-time recovery is not enabled on ${source}`);
  const target =
    options.target ?? `${source}-drill-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
  const started = performance.now();
  await db.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: source,
      TargetTableName: target,
      UseLatestRestorableTime: true,
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 4 * 3600_000);
  for (;;) {
    const status = (await db.send(new DescribeTableCommand({ TableName: target }))).Table?.TableStatus;
    if (status === 'ACTIVE') break;
    if (Date.now() > deadline) throw new Error(`${target} not active in time (status ${status})`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 20_000));
  }
  const restoreSeconds = (performance.now() - started) / 1000;
  const [sourceItems, targetItems] = await Promise.all([countItems(db, source), countItems(db, target)]);
  // A sample of the source's items, each read back from the copy and compared whole.
  const key = (await db.send(new DescribeTableCommand({ TableName: source }))).Table?.KeySchema?.map(
    (k) => k.AttributeName as string,
  ) as string[];
  const sample = await db.send(new ScanCommand({ TableName: source, Limit: options.sample ?? 100 }));
  const mismatches: string[] = [];
  for (const item of sample.Items ?? []) {
    const Key = Object.fromEntries(key.map((k) => [k, item[k] as AttributeValue]));
    const copy = (await db.send(new GetItemCommand({ TableName: target, Key, ConsistentRead: true }))).Item;
    if (!isDeepStrictEqual(copy, item)) mismatches.push(JSON.stringify(Key));
  }
  if (!options.keep) await db.send(new DeleteTableCommand({ TableName: target }));
  return {
    source,
    target,
    restoreSeconds: Math.round(restoreSeconds * 10) / 10,
    sourceItems,
    targetItems,
    sampled: sample.Items?.length ?? 0,
    mismatches,
    // Items written after the restore point may be missing from the copy: never more in it.
    ok: mismatches.length === 0 && targetItems <= sourceItems && targetItems > 0,
  };
}

if (process.argv[1]?.endsWith('restore-drill.ts')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      sample: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const table = positionals[0] ?? process.env.TABLE_NAME;
  if (!table) {
    console.error('Usage: npm run restore-drill -- <table> [--target name] [--sample N] [--keep]');
    process.exit(2);
  }
  const report = await restoreDrill(new DynamoDBClient({}), table, {
    ...(values.target ? { target: values.target } : {}),
    ...(values.sample ? { sample: Number(values.sample) } : {}),
    keep: values.keep,
  });
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.ok ? 0 : 1);
}
