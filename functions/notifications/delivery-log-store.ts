// Per message × channel delivery records (the idempotency guard and the log), SMS receipts
// awaited, a person's delivery log and the undelivered alert (N2).
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).

import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationRequest } from '../domain/notifications.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { guard, isConditionFailure, transact } from '../shared/dynamo/transactions.ts';
import type { Cause, Channel } from './channel-rules.ts';
import { InboxNotifier } from './inbox-store.ts';
import {
  AlreadyAlerted,
  type DeliveryRecord,
  type DeliveryState,
  type LoggedMessage,
  type MessageHeader,
  type PendingMessage,
  SENDING_LEASE_MS,
  type Target,
} from './notification-records.ts';

export class DynamoDeliveryLog extends TableStore {
  async deliveries(tenantId: string, messageId: string): Promise<DeliveryRecord[]> {
    const items = await queryAll<DeliveryRecord>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ch)',
      ExpressionAttributeValues: { ':pk': keys.channelDeliveriesOf(tenantId, messageId).pk, ':ch': 'CH#' },
    });
    return items.map(
      ({
        tenantId: tn,
        messageId: m,
        channel,
        state,
        cause,
        providerCode,
        providerMessageId,
        attempts,
        updatedAt,
      }) => ({
        ...(tn ? { tenantId: tn } : {}),
        messageId: m,
        channel,
        state,
        attempts,
        updatedAt,
        ...(cause ? { cause } : {}),
        ...(providerCode ? { providerCode } : {}),
        ...(providerMessageId ? { providerMessageId } : {}),
      }),
    );
  }

  /**
   * Claims a channel of a message for one send: only if never tried, marked for retry, or
   * claimed by a send that never reported back within the lease. A redelivered queue
   * message that finds the channel sent (or being sent) does not send it again.
   */
  async claim(tenantId: string, messageId: string, channel: Target): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.channelDelivery(tenantId, messageId, channel),
          UpdateExpression:
            'SET entity = :e, tenantId = :t, messageId = :m, channel = :c, #state = :sending, updatedAt = :now ADD attempts :one',
          ConditionExpression:
            'attribute_not_exists(pk) OR #state = :retry OR (#state = :sending AND updatedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':e': 'delivery',
            ':t': tenantId,
            ':m': messageId,
            ':c': channel,
            ':sending': 'sending',
            ':retry': 'retry',
            ':now': now.toISOString(),
            ':stale': new Date(now.getTime() - SENDING_LEASE_MS).toISOString(),
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async record(
    tenantId: string,
    messageId: string,
    channel: Target,
    result: {
      state: Exclude<DeliveryState, 'sending'>;
      cause?: Cause;
      providerCode?: string;
      providerMessageId?: string;
    },
  ): Promise<void> {
    const set = Object.entries(result).filter(([, v]) => v !== undefined);
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.channelDelivery(tenantId, messageId, channel),
        UpdateExpression: `SET entity = :e, messageId = :m, channel = :c, updatedAt = :now, attempts = if_not_exists(attempts, :zero), ${set
          .map(([k]) => `#${k} = :${k}`)
          .join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(set.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: {
          ':e': 'delivery',
          ':m': messageId,
          ':c': channel,
          ':now': this.clock.now().toISOString(),
          ':zero': 0,
          ...Object.fromEntries(set.map(([k, v]) => [`:${k}`, v])),
        },
      }),
    );
  }

  /** One channel record by its keys (the receipt reader's work message). */
  async deliveryRecord(key: PendingMessage): Promise<DeliveryRecord | undefined> {
    return this.item<DeliveryRecord>({ pk: key.pk, sk: key.sk });
  }

  /** Marks a sent SMS as waiting for its receipt (GSI4, keys only, oldest first). */
  async awaitReceipt(tenantId: string, messageId: string, channel: Channel): Promise<void> {
    const marker = keys.receiptPending(this.clock.now().toISOString(), tenantId, messageId, channel);
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.channelDelivery(tenantId, messageId, channel),
        UpdateExpression: 'SET gsi4pk = :pk, gsi4sk = :sk',
        ExpressionAttributeValues: { ':pk': marker.gsi4pk, ':sk': marker.gsi4sk },
      }),
    );
  }

  async receiptsDue(before: Date, limit: number): Promise<PendingMessage[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :before',
        ExpressionAttributeValues: { ':pk': keys.receiptPendingQuery().pk, ':before': before.toISOString() },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
  }

  async receiptRead(key: PendingMessage): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: 'REMOVE gsi4pk, gsi4sk',
      }),
    );
  }

  async logForPerson(tenantId: string, personId: string, logged: LoggedMessage): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.notificationLog(tenantId, personId, logged.at, logged.messageId),
          entity: 'notification-log',
          ...logged,
        },
      }),
    );
  }

  async personLog(tenantId: string, personId: string, limit: number): Promise<LoggedMessage[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.person(tenantId, personId).pk, ':p': 'NOTIFY#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(({ messageId, kind, at, delivered, channels }) => ({
      messageId,
      kind,
      at,
      delivered,
      channels,
    })) as LoggedMessage[];
  }

  /** Opens a message's delivery record once (idempotent): who it is for and what. */
  async openMessage(tenantId: string, header: MessageHeader): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.messageHeader(tenantId, header.messageId),
        UpdateExpression:
          'SET entity = if_not_exists(entity, :e), messageId = :m, personId = :p, kind = :k, createdAt = :c',
        ExpressionAttributeValues: {
          ':e': 'message-header',
          ':m': header.messageId,
          ':p': header.personId,
          ':k': header.kind,
          ':c': header.createdAt,
        },
      }),
    );
  }

  async message(
    tenantId: string,
    messageId: string,
  ): Promise<{ header?: MessageHeader; channels: DeliveryRecord[] }> {
    const [header, channels] = await Promise.all([
      this.item<MessageHeader>(keys.messageHeader(tenantId, messageId)),
      this.deliveries(tenantId, messageId),
    ]);
    return { ...(header ? { header } : {}), channels };
  }

  /**
   * The alert that a message reached nobody, to the inbox of whoever looks after the person,
   * once per message (the header's `alerted` flag is set in the same transaction).
   */
  async raiseUndelivered(tenantId: string, messageId: string, alert: NotificationRequest): Promise<boolean> {
    const prepared = new InboxNotifier(this.table).prepare(tenantId, [alert], this.clock.now());
    try {
      await transact(this.db, [
        guard(
          {
            Update: {
              TableName: this.table,
              Key: keys.messageHeader(tenantId, messageId),
              UpdateExpression: 'SET alerted = :t',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(alerted)',
              ExpressionAttributeValues: { ':t': true },
            },
          },
          () => new AlreadyAlerted(),
        ),
        ...prepared,
      ]);
      return true;
    } catch (error) {
      if (error instanceof AlreadyAlerted) return false;
      throw error;
    }
  }
}

/** The port its use cases are handed: the adapter's public methods. */
export type DeliveryLog = Pick<DynamoDeliveryLog, keyof DynamoDeliveryLog>;
