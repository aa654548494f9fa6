// Tenant settings. Status thresholds are product policy, not law: each tenant may change
// them, and absent settings mean the brief's defaults.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '../certificates/status.ts';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { keys } from '../shared/dynamo/table-design.ts';

export interface SettingsRepository {
  thresholds(tenantId: string): Promise<StatusThresholds>;
  saveThresholds(principal: Principal, thresholds: StatusThresholds, requestId: string): Promise<void>;
}

export class DynamoSettingsRepository implements SettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async thresholds(tenantId: string): Promise<StatusThresholds> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.settings(tenantId, 'status-thresholds') }),
    );
    if (!out.Item) return DEFAULT_THRESHOLDS;
    const { reminderDays, yellowDays, escalateDays } = out.Item as StatusThresholds;
    return { reminderDays, yellowDays, escalateDays };
  }

  async saveThresholds(principal: Principal, t: StatusThresholds, requestId: string): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: {
                ...keys.settings(principal.tenantId, 'status-thresholds'),
                entity: 'settings',
                ...t,
                updatedAt: new Date().toISOString(),
              },
            },
          },
          auditPut(
            this.table,
            principal,
            {
              action: 'settings.status-thresholds.put',
              entityType: 'settings',
              entityId: 'status-thresholds',
              details: { ...t },
            },
            requestId,
          ),
        ],
      }),
    );
  }
}
