// What the notification stores keep (N1, N2): channel settings, delivery records, the
// messages' headers and keys. Types and constants only; the adapters are the *-store.ts files.

import type { NotificationKind } from '../domain/notifications.ts';
import type { Bindings, Cause, Channel } from './channel-rules.ts';

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
export class AlreadyAlerted extends Error {}

/** A bindings item without its keys and bookkeeping. */
export function bindingsFrom(item: Record<string, unknown> | undefined): Bindings {
  if (!item) return {};
  const { pk, sk, entity, updatedAt, personId, gsi3pk, gsi3sk, checkedAt, suppressedFor, ...bindings } = item;
  return bindings as Bindings;
}

/** How long a claimed send may stay unconfirmed before a redelivery may try it again. */
export const SENDING_LEASE_MS = 120_000;
