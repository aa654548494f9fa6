// Tenant settings in DynamoDB (T#<tenant> / SETTINGS#<name>): one item per setting holding
// exactly its fields, saved with an audit record in one transaction. Which settings exist
// and what they default to is each capability's definition (functions/domain/settings.ts).
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Setting, type TenantSettings, withDefaults } from '../domain/settings.ts';
import { settingPuts } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { transact } from '../shared/dynamo/transactions.ts';

export class DynamoSettingsRepository implements TenantSettings {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /** The stored fields of the definition, each falling back to its default; nothing else. */
  async read<T extends object>(tenantId: string, setting: Setting<T>): Promise<T> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.settings(tenantId, setting.name) }),
    );
    return withDefaults(setting, out.Item);
  }

  async save<T extends object>(principal: Principal, setting: Setting<T>, value: T, requestId: string) {
    await transact(
      this.db,
      settingPuts(this.table, principal, setting.name, value, requestId, this.clock.now()),
    );
  }
}
