// DynamoDB adapter for the audit chain's seals: a day's records read from their partition,
// their links stamped (only where absent, or already the same), the seal put if absent.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import type { ChainedRecord, Seal } from './audit-chain.ts';
import type { AuditSealStore } from './audit-seal.ts';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _p, sk: _s, entity: _e, ...rest } = item;
  return rest as T;
};

export class DynamoAuditSealStore extends TableStore implements AuditSealStore {
  async dayRecords(tenantId: string, day: string) {
    const { pk } = keys.audit(tenantId, day, '', '');
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
    return items.map((i) => strip<ChainedRecord>(i));
  }

  async seal(tenantId: string, day: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.auditSeal(tenantId, day), ConsistentRead: true }),
    );
    return out.Item ? strip<Seal>(out.Item) : undefined;
  }

  async lastSealBefore(tenantId: string, day: string) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk < :day',
        ExpressionAttributeValues: { ':pk': keys.auditSeals(tenantId).pk, ':day': day },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? strip<Seal>(item) : undefined;
  }

  async stampLinks(
    tenantId: string,
    day: string,
    links: { auditId: string; at: string; seq: number; prevHash: string }[],
  ) {
    for (const link of links) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.audit(tenantId, day, link.at, link.auditId),
            UpdateExpression: 'SET seq = :seq, prevHash = :prev',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(seq) OR (seq = :seq AND prevHash = :prev))',
            ExpressionAttributeValues: { ':seq': link.seq, ':prev': link.prevHash },
          }),
        );
      } catch (error) {
        // Stamped otherwise before: the day was chained differently — never overwrite a link.
        if (isConditionFailure(error))
          throw new Error(`audit record ${link.auditId} already linked otherwise`);
        throw error;
      }
    }
  }

  async putSeal(seal: Seal) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.auditSeal(seal.tenantId, seal.day), entity: 'audit-seal', ...seal },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async seals(tenantId: string, from: string, to: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.auditSeals(tenantId).pk, ':from': from, ':to': to },
      ConsistentRead: true,
    });
    return items.map((i) => strip<Seal>(i));
  }
}
