// Notification state in the table (N1, N2): the tenant's channel settings and rules, a
// person's bindings, the SMS quota counter, per message × channel delivery records (the
// idempotency guard and the log), a person's delivery log, and the relay's pending marks.
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NotificationKind, NotificationRequest } from '../domain/notifications.ts';
import { auditPut, settingPuts } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, isConditionFailure, transact } from '../shared/dynamo/transactions.ts';
import type { Bindings, Cause, Channel, NotificationRule } from './channel-rules.ts';

/** A delivery target of a message: a person's channel, or a group robot (`robot:<id>`). */
export type Target = Channel | `robot:${string}`;

/** A group robot posting a mailbox's messages (site managers, HR) into a WeCom / DingTalk group. */
export interface RobotSetting {
  robotId: string;
  mailbox: string;
  provider: 'wecom' | 'dingtalk';
  /** A DingTalk robot's security keyword: every post carries it, or DingTalk refuses (310000). */
  keyword?: string;
}

import { type InboxMessage, InboxNotifier } from './inbox.ts';

/** A tenant's channel settings without any secret (those are in the tenant's secret). */
export interface ChannelSettings {
  wecom: { enabled: boolean; corpId?: string; agentId?: string };
  dingtalk: { enabled: boolean; appKey?: string; agentId?: string };
  sms: {
    enabled: boolean;
    /** aliyun: mainland numbers; aws: AWS End User Messaging from the deployment's account. */
    provider: 'aliyun' | 'aws';
    /** aws: the phone number, sender id or pool to send from. */
    originationIdentity?: string;
    accessKeyId?: string;
    signName?: string;
    templateCode?: string;
    /** Messages a month the product itself allows (N1): 0 sends none. */
    monthlyQuota: number;
  };
  /** Sent from the deployment's own sender (a verified SES identity or the SMTP account). */
  email: { enabled: boolean };
  /** Group robots per mailbox; their webhook keys and signing secrets are in the tenant's secret. */
  robots: RobotSetting[];
}

export const DEFAULT_CHANNELS: ChannelSettings = {
  wecom: { enabled: false },
  dingtalk: { enabled: false },
  sms: { enabled: false, provider: 'aliyun', monthlyQuota: 0 },
  email: { enabled: false },
  robots: [],
};

/** sent: the provider accepted it; delivered: a receipt says the handset got it (SMS). */
export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'failed' | 'skipped' | 'retry';

export interface DeliveryRecord {
  tenantId?: string;
  messageId: string;
  channel: Target;
  state: DeliveryState;
  cause?: Cause;
  providerCode?: string;
  providerMessageId?: string;
  attempts: number;
  updatedAt: string;
}

export interface LoggedMessage {
  messageId: string;
  kind: NotificationKind;
  at: string;
  delivered: boolean;
  channels: {
    channel: Target;
    state: DeliveryState;
    cause?: Cause;
    providerCode?: string;
    attempts?: number;
  }[];
}

/** Who and what a message was, kept beside its channel records (GET /notifications/{id}). */
export interface MessageHeader {
  messageId: string;
  personId: string;
  kind: NotificationKind;
  createdAt: string;
  alerted?: boolean;
}

export interface PendingMessage {
  pk: string;
  sk: string;
}

/** The message's alert was raised already (the header's condition). */
class AlreadyAlerted extends Error {}

/** A bindings item without its keys and bookkeeping. */
function bindingsFrom(item: Record<string, unknown> | undefined): Bindings {
  if (!item) return {};
  const { pk, sk, entity, updatedAt, personId, gsi3pk, gsi3sk, checkedAt, suppressedFor, ...bindings } = item;
  return bindings as Bindings;
}

/** How long a claimed send may stay unconfirmed before a redelivery may try it again. */
export const SENDING_LEASE_MS = 120_000;

export class DynamoNotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  private async get<T>(key: Record<string, string>): Promise<T | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key }));
    return out.Item as T | undefined;
  }

  async channels(tenantId: string): Promise<ChannelSettings> {
    const item = await this.get<Partial<ChannelSettings>>(keys.settings(tenantId, 'channels'));
    return {
      wecom: { ...DEFAULT_CHANNELS.wecom, ...item?.wecom },
      dingtalk: { ...DEFAULT_CHANNELS.dingtalk, ...item?.dingtalk },
      sms: { ...DEFAULT_CHANNELS.sms, ...item?.sms },
      email: { ...DEFAULT_CHANNELS.email, ...item?.email },
      robots: item?.robots ?? [],
    };
  }

  async rules(tenantId: string): Promise<Partial<Record<NotificationKind, NotificationRule>>> {
    const item = await this.get<{ rules?: Partial<Record<NotificationKind, NotificationRule>> }>(
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

  async bindings(tenantId: string, personId: string): Promise<Bindings> {
    return bindingsFrom(await this.get<Record<string, unknown>>(keys.bindings(tenantId, personId)));
  }

  async saveBindings(principal: Principal, personId: string, bindings: Bindings, requestId: string) {
    const now = this.clock.now();
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.bindings(principal.tenantId, personId),
            // Listed for the binding check only when there is a WeCom user id to check.
            ...(bindings.wecomUserId ? keys.wecomBindings(principal.tenantId, personId) : {}),
            entity: 'bindings',
            personId,
            ...bindings,
            updatedAt: now.toISOString(),
          },
          // Bindings belong to a person of this tenant: none for an id that is not one.
          ConditionExpression: 'attribute_not_exists(pk) OR entity = :e',
          ExpressionAttributeValues: { ':e': 'bindings' },
        },
      },
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.person(principal.tenantId, personId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      auditPut(
        this.table,
        principal,
        // Which channels are bound, never the phone number or address itself.
        {
          action: 'person.bindings.put',
          entityType: 'person',
          entityId: personId,
          details: { channels: Object.keys(bindings) },
        },
        requestId,
        now,
      ),
    ]);
  }

  /** Bindings of many people (a page of the tenant-wide diagnosis), by person id. */
  async bindingsOf(tenantId: string, personIds: string[]): Promise<Map<string, Bindings>> {
    const items = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      personIds.map((p) => keys.bindings(tenantId, p)),
    );
    const byPk = new Map(items.map((i) => [i.pk, i]));
    return new Map(
      personIds.map((p) => {
        return [p, bindingsFrom(byPk.get(keys.bindings(tenantId, p).pk))];
      }),
    );
  }

  /** The binding check's finding: whether the person follows the WeCom app now. */
  async setFollowing(tenantId: string, personId: string, wecomUserId: string, following: boolean) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.bindings(tenantId, personId),
          UpdateExpression: 'SET wecomFollowing = :f, checkedAt = :now',
          // Only if the binding is still the one checked (a PUT may have changed it meanwhile).
          ConditionExpression: 'wecomUserId = :u',
          ExpressionAttributeValues: {
            ':f': following,
            ':u': wecomUserId,
            ':now': this.clock.now().toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Marks a person's address suppressed (bounced for good, or a complaint); false without one. */
  async suppressEmail(tenantId: string, personId: string, reason: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.bindings(tenantId, personId),
          UpdateExpression: 'SET emailSuppressed = :t, suppressedFor = :r, checkedAt = :now',
          ConditionExpression: 'attribute_exists(email)',
          ExpressionAttributeValues: { ':t': true, ':r': reason, ':now': this.clock.now().toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Bound people of a tenant with a WeCom user id, a page at a time (the binding check). */
  async wecomBound(
    tenantId: string,
    cursor: Record<string, string> | undefined,
    limit = 100,
  ): Promise<{ items: { personId: string; wecomUserId: string }[]; next?: Record<string, string> }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.wecomBindings(tenantId).gsi3pk },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({
        personId: i.personId as string,
        wecomUserId: i.wecomUserId as string,
      })),
      ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey as Record<string, string> } : {}),
    };
  }

  async smsUsed(tenantId: string, month: string): Promise<number> {
    return (await this.get<{ used?: number }>(keys.smsQuota(tenantId, month)))?.used ?? 0;
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
    return this.get<DeliveryRecord>({ pk: key.pk, sk: key.sk });
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

  /** Inbox messages not yet handed to the channels, oldest first. */
  async pending(
    limit: number,
    after?: Record<string, string>,
  ): Promise<{ items: PendingMessage[]; next?: Record<string, string> }> {
    const q = keys.notifyPendingQuery();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: q.index,
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': q.pk },
        Limit: limit,
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({ pk: i.pk as string, sk: i.sk as string })),
      ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey as Record<string, string> } : {}),
    };
  }

  async markRelayed(message: PendingMessage): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: message.pk, sk: message.sk },
        UpdateExpression: 'REMOVE gsi4pk, gsi4sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
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
      this.get<MessageHeader>(keys.messageHeader(tenantId, messageId)),
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

  /** Writes one inbox message now (its own transaction) and returns it as stored. */
  async postInbox(
    tenantId: string,
    request: NotificationRequest,
  ): Promise<InboxMessage & { tenantId: string }> {
    const prepared = new InboxNotifier(this.table).prepare(tenantId, [request], this.clock.now());
    await transact(this.db, prepared);
    const put = prepared[0] as unknown as { Put: { Item: InboxMessage & { tenantId: string } } };
    return put.Put.Item;
  }

  /** The inbox item of a person's message (its header names the person, time and id). */
  inboxKeyOf(tenantId: string, header: MessageHeader): PendingMessage {
    return keys.inbox(tenantId, `PERSON#${header.personId}`, header.createdAt, header.messageId);
  }

  async inboxMessage(message: PendingMessage): Promise<(InboxMessage & { tenantId: string }) | undefined> {
    return this.get({ pk: message.pk, sk: message.sk });
  }
}
