// The notification state as the use cases see it: five ports, one per concern, each with its
// own adapter file (settings, bindings, SMS quota, delivery log, outbox). Use cases take
// the ports they read (`Pick<NotificationStores, …>`); the composition root joins the five
// adapters into one value so a handler wires them once.
import type { DynamoBindingStore } from './binding-store.ts';
import type { DynamoDeliveryLog } from './delivery-log-store.ts';
import type { DynamoNotificationSettings } from './notification-settings-store.ts';
import type { DynamoOutbox } from './outbox-store.ts';
import type { DynamoSmsQuota } from './sms-quota-store.ts';

export type { BindingStore } from './binding-store.ts';
export type { DeliveryLog } from './delivery-log-store.ts';
export type { NotificationSettingsStore } from './notification-settings-store.ts';
export type { Outbox } from './outbox-store.ts';
export type { SmsQuota } from './sms-quota-store.ts';

type PortOf<T> = Pick<T, keyof T>;

export type NotificationStores = PortOf<DynamoNotificationSettings> &
  PortOf<DynamoBindingStore> &
  PortOf<DynamoSmsQuota> &
  PortOf<DynamoDeliveryLog> &
  PortOf<DynamoOutbox>;

/** One value holding the five adapters' methods, each bound to its own adapter. */
export function joinStores(...stores: object[]): NotificationStores {
  const joined: Record<string, unknown> = {};
  for (const store of stores) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
      const member = (store as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof member !== 'function') continue;
      if (name in joined) throw new Error(`two notification stores define ${name}`);
      joined[name] = member.bind(store);
    }
  }
  return joined as NotificationStores;
}
