// DynamoDB adapter for spot checks (O5): a site manager checks a worker on site (card, person,
// competence) and records whether they passed; one partition per tenant and month, read by
// the monthly subcontractor report. Each record is audited in the same transaction.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SPOT_CHECK_ITEM } from '../domain/entities.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { transact } from '../shared/dynamo/transactions.ts';

export interface SpotCheck {
  spotCheckId: string;
  personId: string;
  siteId: string;
  /** The worker's subcontractor when checked (absent: an own employee). */
  subcontractorId?: string;
  passed: boolean;
  note: string;
  at: string;
  by: string;
}

export interface SpotCheckStore {
  record(actor: Actor, check: SpotCheck, requestId: string): Promise<void>;
  inMonth(tenantId: string, month: string): Promise<SpotCheck[]>;
}

export class DynamoSpotCheckStore implements SpotCheckStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(actor: Actor, check: SpotCheck, requestId: string) {
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.spotCheck(actor.tenantId, check.at.slice(0, 7), check.at, check.spotCheckId),
            entity: 'spot-check',
            ...check,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(
        this.table,
        actor,
        {
          action: 'spot_check.record',
          entityType: 'person',
          entityId: check.personId,
          details: { siteId: check.siteId, passed: check.passed },
        },
        requestId,
        new Date(check.at),
      ),
    ]);
  }

  async inMonth(tenantId: string, month: string) {
    const items: SpotCheck[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.spotChecksOf(tenantId, month).pk },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...parseItems<SpotCheck>(SPOT_CHECK_ITEM, 'spot check', out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
