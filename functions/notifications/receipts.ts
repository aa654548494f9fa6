import { DEFAULT_RULE, type NotificationRule } from './channel-rules.ts';
import { deliverMessage, writeLog } from './deliveries.ts';
import {
  type DeliveryDeps,
  DeliveryIncomplete,
  type TenantChannels,
  tenantChannels,
} from './delivery-deps.ts';
import type { MessageHeader, PendingMessage } from './notification-records.ts';

/** After this long without a receipt, a sent SMS stays "sent": the provider keeps receipts ~24 h. */
export const RECEIPT_WINDOW_MS = 24 * 3600_000;

/**
 * Reads back the receipt of an SMS sent through Aliyun (QuerySendDetails): delivered to the
 * handset, or failed with the carrier's code (a number out of service, a handset on a
 * blacklist). The channel record and the person's log follow; no answer yet leaves it waiting.
 */
export async function readReceipt(
  deps: DeliveryDeps,
  key: PendingMessage,
): Promise<'delivered' | 'failed' | 'waiting'> {
  const record = await deps.notifications.deliveryRecord(key);
  if (!record?.tenantId || record.state !== 'sent' || !record.providerMessageId) {
    if (record) await deps.notifications.receiptRead(key);
    return 'waiting';
  }
  const { tenantId, messageId } = record;
  const [t, { header }] = await Promise.all([
    tenantChannels(deps, tenantId),
    deps.notifications.message(tenantId, messageId),
  ]);
  if (!header) return 'waiting';
  const phone = (await deps.notifications.bindings(tenantId, header.personId)).phone ?? '';
  const s = t.settings.sms;
  const receipt = await deps.sms.receipt(
    {
      accessKeyId: s.accessKeyId ?? '',
      accessKeySecret: t.secrets.aliyunAccessKeySecret ?? '',
      signName: s.signName ?? '',
      templateCode: s.templateCode ?? '',
    },
    phone,
    record.providerMessageId,
    new Date(record.updatedAt),
  );
  if (receipt.state === 'waiting') {
    if (deps.clock.now().getTime() - Date.parse(record.updatedAt) > RECEIPT_WINDOW_MS)
      await deps.notifications.receiptRead(key);
    return 'waiting';
  }
  await deps.notifications.record(tenantId, messageId, 'sms', {
    state: receipt.state,
    providerCode: receipt.providerCode,
    ...(receipt.cause ? { cause: receipt.cause } : {}),
  });
  await deps.notifications.receiptRead(key);
  await writeLog(deps, tenantId, header);
  const rule = t.rules[header.kind] ?? DEFAULT_RULE;
  if (receipt.state === 'failed' && rule.mode === 'first_success') await fallBack(deps, t, rule, header);
  return receipt.state;
}

/**
 * The handset never got the SMS: a first-success rule goes on to its next channel (redundant
 * mode already tried them all). A transient failure there hands the message back to the
 * queue, which retries it through the rule like any delivery.
 */
export async function fallBack(
  deps: DeliveryDeps,
  t: TenantChannels,
  rule: NotificationRule,
  header: MessageHeader,
) {
  const key = deps.notifications.inboxKeyOf(t.tenantId, header);
  const message = await deps.notifications.inboxMessage(key);
  if (!message) return;
  try {
    await deliverMessage(deps, message, t, rule);
  } catch (error) {
    if (!(error instanceof DeliveryIncomplete)) throw error;
    await deps.workQueue.send([{ type: 'deliver-notification', ...key }]);
  }
}

/** The receipts job: SMS sent a minute ago or more whose receipt is not read yet, to the worker. */
export async function queueReceipts(
  deps: Pick<DeliveryDeps, 'notifications' | 'workQueue' | 'clock'>,
  limit = 500,
  // Carriers report within seconds to minutes: asking at once mostly finds "waiting".
  minAgeMs = 60_000,
) {
  const due = await deps.notifications.receiptsDue(new Date(deps.clock.now().getTime() - minAgeMs), limit);
  if (due.length) await deps.workQueue.send(due.map((k) => ({ type: 'sms-receipt' as const, ...k })));
  return due.length;
}
