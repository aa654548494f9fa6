// DynamoDB adapter of the SweepIndex: who may change colour on a day (GSI4, sharded), and
// the sweep's own progress (the last completed day).
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CalendarDate } from '../shared/calendar.ts';
import { keys, parsePersonKey, SWEEP_SHARDS } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';

const JOB = 'expiry-sweep';

/** The port the daily sweep works through. */
export interface SweepIndex {
  /** Everyone whose status may change by date alone on `day`, all tenants. */
  peopleDueOn(day: CalendarDate): Promise<{ tenantId: string; personId: string }[]>;
  lastCompletedDay(): Promise<CalendarDate | undefined>;
  /** Records `day` as swept (never moves backwards). */
  markCompleted(day: CalendarDate, at: Date): Promise<void>;
}

export class DynamoSweepIndex implements SweepIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async peopleDueOn(day: CalendarDate): Promise<{ tenantId: string; personId: string }[]> {
    const found: { tenantId: string; personId: string }[] = [];
    for (let shard = 0; shard < SWEEP_SHARDS; shard++) {
      const q = keys.sweepQuery(day, shard);
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: q.index,
            KeyConditionExpression: 'gsi4pk = :pk',
            ExpressionAttributeValues: { ':pk': q.pk },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          const ref = parsePersonKey(String(item.gsi4sk));
          if (ref) found.push(ref);
        }
        start = out.LastEvaluatedKey;
      } while (start);
    }
    return found;
  }

  async lastCompletedDay(): Promise<CalendarDate | undefined> {
    const state = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.jobState(JOB), ConsistentRead: true }),
    );
    return state.Item?.lastCompletedDate as CalendarDate | undefined;
  }

  async markCompleted(day: CalendarDate, at: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.jobState(JOB),
          UpdateExpression: 'SET lastCompletedDate = :d, lastRunAt = :at',
          ConditionExpression: 'attribute_not_exists(lastCompletedDate) OR lastCompletedDate < :d',
          ExpressionAttributeValues: { ':d': day, ':at': at.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
