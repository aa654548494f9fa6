// The tenant's monthly SMS quota counter (N1): one atomic counter per month.
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../shared/clock.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';

export class DynamoSmsQuota {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    readonly _clock: Clock,
  ) {}

  async #get<T>(key: Record<string, string>): Promise<T | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key }));
    return out.Item as T | undefined;
  }

  async smsUsed(tenantId: string, month: string): Promise<number> {
    return (await this.#get<{ used?: number }>(keys.smsQuota(tenantId, month)))?.used ?? 0;
  }

  /** Takes one SMS from the month's quota; false when it is used up. */
  async takeSms(tenantId: string, month: string, quota: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.smsQuota(tenantId, month),
          UpdateExpression: 'ADD used :one SET entity = :e',
          ConditionExpression: 'attribute_not_exists(used) OR used < :quota',
          ExpressionAttributeValues: { ':one': 1, ':quota': quota, ':e': 'sms-quota' },
        }),
      );
      return quota > 0;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** The port its use cases are handed: the adapter's public methods. */
export type SmsQuota = Pick<DynamoSmsQuota, keyof DynamoSmsQuota>;
