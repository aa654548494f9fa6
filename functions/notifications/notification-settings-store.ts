// The tenant's notification channels and rules (N1), each a setting saved with its audit
// record.
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).

import type { NotificationKind } from '../domain/notifications.ts';
import { settingPuts } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { transact } from '../shared/dynamo/transactions.ts';
import type { NotificationRule } from './channel-rules.ts';
import { type ChannelSettings, DEFAULT_CHANNELS } from './notification-records.ts';

export class DynamoNotificationSettings extends TableStore {
  async channels(tenantId: string): Promise<ChannelSettings> {
    const item = await this.item<Partial<ChannelSettings>>(keys.settings(tenantId, 'channels'));
    return {
      wecom: { ...DEFAULT_CHANNELS.wecom, ...item?.wecom },
      dingtalk: { ...DEFAULT_CHANNELS.dingtalk, ...item?.dingtalk },
      sms: { ...DEFAULT_CHANNELS.sms, ...item?.sms },
      email: { ...DEFAULT_CHANNELS.email, ...item?.email },
      robots: item?.robots ?? [],
    };
  }

  async rules(tenantId: string): Promise<Partial<Record<NotificationKind, NotificationRule>>> {
    const item = await this.item<{ rules?: Partial<Record<NotificationKind, NotificationRule>> }>(
      keys.settings(tenantId, 'notification-rules'),
    );
    return item?.rules ?? {};
  }

  /** A setting and its audit record, in one transaction. */
  async saveSetting(
    principal: Principal,
    name: 'channels' | 'notification-rules',
    value: object,
    requestId: string,
  ) {
    await transact(this.db, settingPuts(this.table, principal, name, value, requestId, this.clock.now()));
  }
}

/** The port its use cases are handed: the adapter's public methods. */
export type NotificationSettingsStore = Pick<DynamoNotificationSettings, keyof DynamoNotificationSettings>;
