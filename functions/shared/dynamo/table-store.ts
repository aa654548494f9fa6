// What every store over the single table starts from: the client, the table, the clock, and
// reading one item by key. Stores extend it rather than each repeating the three fields and
// the GetItem.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.ts';

export abstract class TableStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
    protected readonly clock: Clock,
  ) {}

  /** One item by its key, as stored (the caller knows its entity). */
  protected async item<T>(key: Record<string, string>): Promise<T | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key }));
    return out.Item as T | undefined;
  }
}
