// DynamoDB adapter for the worker codes' revocation epoch: one small item per person,
// raised (ADD 1) when hr revokes the codes of a lost phone; the raise is audited.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { transact } from '../shared/dynamo/transactions.ts';

export interface WorkerCodeStore {
  epoch(tenantId: string, personId: string): Promise<number>;
  revoke(actor: Actor, personId: string, requestId: string): Promise<void>;
}

export class DynamoWorkerCodeStore implements WorkerCodeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async epoch(tenantId: string, personId: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.codeEpoch(tenantId, personId),
        ConsistentRead: true,
      }),
    );
    return Number(out.Item?.epoch ?? 0);
  }

  async revoke(actor: Actor, personId: string, requestId: string) {
    await transact(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: keys.codeEpoch(actor.tenantId, personId),
          UpdateExpression: 'ADD epoch :one SET entity = :e',
          ExpressionAttributeValues: { ':one': 1, ':e': 'code-epoch' },
        },
      },
      auditPut(
        this.table,
        actor,
        { action: 'person.codes_revoked', entityType: 'person', entityId: personId },
        requestId,
        this.clock.now(),
      ),
    ]);
  }
}
