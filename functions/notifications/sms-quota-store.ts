// The tenant's monthly SMS quota counter (N1): one atomic counter per month.
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';

export class DynamoSmsQuota extends TableStore {
  async smsUsed(tenantId: string, month: string): Promise<number> {
    return (await this.item<{ used?: number }>(keys.smsQuota(tenantId, month)))?.used ?? 0;
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
