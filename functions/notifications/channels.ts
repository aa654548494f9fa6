// The channel ports: what a delivery needs from each provider. A provider's refusal is an
// outcome (its code mapped to our cause by channel-rules.ts), never an exception, so the
// delivery log always says why; only the programmer's errors throw.
import type { Cause, ProviderOutcome } from './channel-rules.ts';

export interface OutgoingMessage {
  title: string;
  /** Markdown body (WeCom / DingTalk), already cut to the providers' byte limit. */
  markdown: string;
  /** Values for the approved SMS template's variables. */
  smsParams: Record<string, string>;
  /** Stable per message × channel: lets a provider drop a repeat (redelivery). */
  idempotencyKey: string;
}

export interface WecomApp {
  corpId: string;
  agentId: string;
  secret: string;
}
export interface DingtalkApp {
  appKey: string;
  appSecret: string;
  agentId: string;
}
export interface AliyunSms {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
}
/** AWS End User Messaging SMS: the deployment's own account; the tenant picks the sender. */
export interface AwsSms {
  /** A phone number, sender id or pool (id or ARN) of the deployment's account. */
  originationIdentity: string;
}

export interface Robot {
  kind: 'wecom' | 'dingtalk';
  /** WeCom: the webhook key; DingTalk: the access_token. */
  key: string;
  /** DingTalk robots with the signature security setting. */
  secret?: string;
}

export interface WecomChannel {
  sendApp(app: WecomApp, userId: string, message: OutgoingMessage): Promise<ProviderOutcome>;
  sendRobot(robot: Robot, message: OutgoingMessage): Promise<ProviderOutcome>;
  /** Dry call: fetches a token with the credentials. */
  check(app: WecomApp): Promise<ProviderOutcome>;
  /** Whether the member has joined/follows the app (the binding check); an outcome on failure. */
  following(app: WecomApp, userId: string): Promise<boolean | ProviderOutcome>;
}

export interface DingtalkChannel {
  sendWork(app: DingtalkApp, userId: string, message: OutgoingMessage): Promise<ProviderOutcome>;
  sendRobot(robot: Robot, message: OutgoingMessage): Promise<ProviderOutcome>;
  check(app: DingtalkApp): Promise<ProviderOutcome>;
}

export interface SmsProvider {
  send(account: AliyunSms, phone: string, message: OutgoingMessage): Promise<ProviderOutcome>;
  /** Dry call: the signature's approval state. */
  check(account: AliyunSms): Promise<ProviderOutcome>;
  /** The handset's receipt of a sent message (by the provider's id and the send day). */
  receipt(account: AliyunSms, phone: string, providerMessageId: string, sentAt: Date): Promise<SmsReceipt>;
}

export interface SmsReceipt {
  state: 'delivered' | 'failed' | 'waiting';
  providerCode: string;
  cause?: Cause;
}

export interface AwsSmsProviderPort {
  send(account: AwsSms, phone: string, message: OutgoingMessage): Promise<ProviderOutcome>;
  /** Dry call: a DryRun send from the origination identity (checks identity and permissions). */
  check(account: AwsSms): Promise<ProviderOutcome>;
}

/** A provider's HTTP call that did not get an answer: down, slow or not JSON. */
export async function callProvider<T>(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<T | ProviderOutcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status >= 500) return { ok: false, providerCode: `http_${res.status}`, cause: 'provider_down' };
    return (await res.json()) as T;
  } catch {
    return { ok: false, providerCode: 'no_answer', cause: 'provider_down' };
  }
}

export const isOutcome = (v: unknown): v is ProviderOutcome =>
  typeof v === 'object' && v !== null && 'ok' in v && 'providerCode' in v;
