// Notification channels as rules (SPEC N1–N3). Pure: which channels a message may take,
// in which order, what each provider's answer means (its code → our cause → the fix),
// and what the diagnosis reports. The adapters only carry bytes; every decision is here.
import { NOTIFICATION_KINDS, type NotificationKind } from '../domain/notifications.ts';

/** External channels. The in-app inbox is always written with the change itself. */
export const CHANNELS = ['wecom', 'dingtalk', 'sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export type DeliveryMode = 'first_success' | 'redundant';

export interface NotificationRule {
  channels: Channel[];
  mode: DeliveryMode;
}

/** The kinds a tenant sets a rule for: all but the product's own notes about delivery. */
export const RULE_KINDS: NotificationKind[] = NOTIFICATION_KINDS.filter(
  (k) => k !== 'binding_guide' && k !== 'undelivered_alert',
);

/** A tenant that set no rule gets the inbox only: nothing leaves the product unasked. */
export const DEFAULT_RULE: NotificationRule = { channels: [], mode: 'first_success' };

/** Why a channel did not (or would not) deliver. */
export type Cause =
  | 'channel_disabled'
  | 'not_configured'
  | 'not_bound'
  | 'not_following'
  | 'invalid_credentials'
  | 'token_expired'
  | 'ip_not_allowed'
  | 'rate_limited'
  | 'content_too_long'
  | 'invalid_webhook'
  | 'keyword_missing'
  | 'bad_signature'
  | 'provider_quota_exhausted'
  | 'balance_exhausted'
  | 'tenant_quota_exhausted'
  | 'outside_mainland'
  | 'template_not_approved'
  | 'permission_denied'
  | 'suppressed'
  | 'number_unreachable'
  | 'provider_down'
  | 'unknown';

/** Causes worth another try later (the work queue's backoff); the rest will not heal alone. */
const TRANSIENT: ReadonlySet<Cause> = new Set(['rate_limited', 'provider_down', 'token_expired']);
export const isTransient = (cause: Cause) => TRANSIENT.has(cause);

/** What a provider answered, in our words. */
export interface ProviderOutcome {
  ok: boolean;
  /** The provider's own code, kept in the delivery log as it was. */
  providerCode: string;
  cause?: Cause;
  providerMessageId?: string;
}

// WeCom (企业微信) global error codes: developer.work.weixin.qq.com/document/path/90313
const WECOM_CAUSES: Record<number, Cause> = {
  40001: 'invalid_credentials', // invalid secret
  40013: 'invalid_credentials', // invalid corpid
  40056: 'invalid_credentials', // invalid agentid
  40014: 'token_expired', // invalid access_token
  42001: 'token_expired', // access_token expired
  60020: 'ip_not_allowed', // not allow to access from your ip
  81013: 'not_following', // user & party & tag all invalid: outside the app's visible range
  45009: 'rate_limited', // api freq out of limit (a robot takes 20 a minute)
  45033: 'rate_limited', // api concurrent out of limit
  45002: 'content_too_long', // content size out of limit
  93000: 'invalid_webhook', // invalid webhook url (robot key)
  60011: 'permission_denied', // no privilege to access/modify contact/party/agent
  301002: 'permission_denied',
  [-1]: 'provider_down', // system busy
};

export function wecomOutcome(answer: {
  errcode?: number;
  invaliduser?: string;
  msgid?: string;
}): ProviderOutcome {
  const code = answer.errcode ?? -1;
  // errcode 0 with the user listed in `invaliduser`: accepted, but not for this user.
  if (code === 0 && answer.invaliduser)
    return { ok: false, providerCode: '0/invaliduser', cause: 'not_following' };
  if (code === 0)
    return { ok: true, providerCode: '0', ...(answer.msgid ? { providerMessageId: answer.msgid } : {}) };
  return { ok: false, providerCode: String(code), cause: WECOM_CAUSES[code] ?? 'unknown' };
}

/** DingTalk answers several security failures with one code and tells them apart in words. */
export function dingtalkOutcome(answer: {
  errcode?: number;
  errmsg?: string;
  task_id?: number | string;
}): ProviderOutcome {
  const code = answer.errcode ?? -1;
  const message = (answer.errmsg ?? '').toLowerCase();
  if (code === 0)
    return {
      ok: true,
      providerCode: '0',
      ...(answer.task_id ? { providerMessageId: String(answer.task_id) } : {}),
    };
  const cause = ((): Cause => {
    if (code === 310000 && message.includes('keywords not in content')) return 'keyword_missing';
    if (code === 310000 && message.includes('sign not match')) return 'bad_signature';
    if (code === 310000 && message.includes('whitelist')) return 'ip_not_allowed';
    if (code === 130101 || code === 130102 || message.includes('send too fast')) return 'rate_limited';
    if (code === 300001 || code === 400013 || code === 300005) return 'invalid_webhook'; // token missing / robot gone
    if (code === 40014 || code === 42001 || code === 88) return 'token_expired';
    if (code === 40089 || code === 40091 || code === 40035) return 'invalid_credentials';
    if (code === 60011 || code === 60020) return code === 60020 ? 'ip_not_allowed' : 'permission_denied';
    if (code === 33012) return 'not_following'; // invalid userid
    if (code === -1) return 'provider_down';
    return 'unknown';
  })();
  return { ok: false, providerCode: String(code), cause };
}

// Aliyun SMS (dysmsapi 2017-05-25) error codes: help.aliyun.com/document_detail/101346.html
const ALIYUN_CAUSES: Record<string, Cause> = {
  'isv.BUSINESS_LIMIT_CONTROL': 'rate_limited',
  'isv.DAY_LIMIT_CONTROL': 'provider_quota_exhausted',
  'isv.AMOUNT_NOT_ENOUGH': 'balance_exhausted',
  'isv.OUT_OF_SERVICE': 'balance_exhausted',
  'isv.DENY_IP_RANGE': 'outside_mainland',
  'isv.SMS_SIGNATURE_ILLEGAL': 'template_not_approved',
  'isv.SMS_SIGN_ILLEGAL': 'template_not_approved',
  'isv.SMS_TEMPLATE_ILLEGAL': 'template_not_approved',
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': 'template_not_approved',
  'isv.MOBILE_NUMBER_ILLEGAL': 'not_bound',
  'isv.BLACK_KEY_CONTROL_LIMIT': 'template_not_approved',
  'isp.RAM_PERMISSION_DENY': 'permission_denied',
  'Forbidden.RAM': 'permission_denied',
  'InvalidAccessKeyId.NotFound': 'invalid_credentials',
  SignatureDoesNotMatch: 'invalid_credentials',
  'isp.SYSTEM_ERROR': 'provider_down',
  'Throttling.User': 'rate_limited',
};

export function aliyunSmsOutcome(answer: { Code?: string; BizId?: string }): ProviderOutcome {
  const code = answer.Code ?? 'unknown';
  if (code === 'OK')
    return { ok: true, providerCode: 'OK', ...(answer.BizId ? { providerMessageId: answer.BizId } : {}) };
  return { ok: false, providerCode: code, cause: ALIYUN_CAUSES[code] ?? 'unknown' };
}

/**
 * AWS End User Messaging SMS (pinpoint-sms-voice-v2) answers with exceptions: their name
 * (and a ConflictException's reason) → our cause. docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2
 */
const AWS_SMS_CAUSES: Record<string, Cause> = {
  ThrottlingException: 'rate_limited',
  ServiceQuotaExceededException: 'provider_quota_exhausted',
  AccessDeniedException: 'permission_denied',
  ResourceNotFoundException: 'not_configured', // the origination identity does not exist
  ValidationException: 'not_bound', // the destination number is not a valid one
  InternalServerException: 'provider_down',
  UnrecognizedClientException: 'invalid_credentials',
  InvalidSignatureException: 'invalid_credentials',
};

export function awsSmsOutcome(errorName: string, reason?: string): ProviderOutcome {
  if (errorName === 'ConflictException' && reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT')
    return { ok: false, providerCode: `${errorName}/${reason}`, cause: 'suppressed' };
  return {
    ok: false,
    providerCode: reason ? `${errorName}/${reason}` : errorName,
    cause: AWS_SMS_CAUSES[errorName] ?? 'unknown',
  };
}

/**
 * An Aliyun SMS receipt (QuerySendDetails: SendStatus 1 waiting, 2 failed, 3 delivered; ErrCode
 * the carrier's): a number out of service or suspended is one to bind anew; a handset that
 * blocks us is suppressed.
 */
export function aliyunReceipt(detail: { SendStatus?: number; ErrCode?: string } | undefined): {
  state: 'delivered' | 'failed' | 'waiting';
  providerCode: string;
  cause?: Cause;
} {
  if (!detail || detail.SendStatus === 1) return { state: 'waiting', providerCode: 'WAITING' };
  const code = detail.ErrCode ?? 'UNKNOWN';
  if (detail.SendStatus === 3) return { state: 'delivered', providerCode: code };
  const cause: Cause =
    /MOBILE_NOT_ON_SERVICE|MOBILE_ACCOUNT_ABNORMAL|MOBILE_NUMBER_ILLEGAL|EMPTY_NUMBER|IS_CLOSE/.test(code)
      ? 'number_unreachable'
      : /BLACK/.test(code)
        ? 'suppressed'
        : 'unknown';
  return { state: 'failed', providerCode: code, cause };
}

/** WeCom markdown and DingTalk markdown both stop at 4,096 bytes (UTF-8); SMS is a template. */
export const MARKDOWN_LIMIT_BYTES = 4096;

/** Cuts text to a byte limit on a character boundary, marking the cut. */
export function fitBytes(text: string, limit = MARKDOWN_LIMIT_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= limit) return text;
  const mark = '…';
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + mark, 'utf8') > limit) break;
    out += ch;
  }
  return out + mark;
}

/** A WeCom group robot's key: people paste the whole webhook URL; take the key out of it. */
export function robotKey(input: string): string | undefined {
  const trimmed = input.trim();
  const fromUrl = /[?&]key=([0-9a-f-]{36})/i.exec(trimmed)?.[1];
  const key = fromUrl ?? trimmed;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)
    ? key.toLowerCase()
    : undefined;
}

/**
 * The access token of a DingTalk custom robot: the token itself, or the whole webhook URL
 * (https://oapi.dingtalk.com/robot/send?access_token=…) as it is usually pasted.
 */
export function dingtalkRobotToken(input: string): string | undefined {
  const trimmed = input.trim();
  const token = /[?&]access_token=([\w-]+)/.exec(trimmed)?.[1] ?? trimmed;
  return /^[\w-]{8,128}$/.test(token) ? token : undefined;
}

// ---------------------------------------------------------------------------
// Who can be reached, and how.

/** A person's channel bindings (N2). */
export interface Bindings {
  wecomUserId?: string;
  /** From the binding check: whether they joined / follow the WeCom app. */
  wecomFollowing?: boolean;
  dingtalkUserId?: string;
  /** Mainland mobile, verified together with the employee id. */
  phone?: string;
  employeeId?: string;
  phoneVerified?: boolean;
  email?: string;
  emailSuppressed?: boolean;
}

/** A tenant's channels as far as the rules need to know (credentials live elsewhere). */
export interface ChannelState {
  wecom: { enabled: boolean; configured: boolean };
  dingtalk: { enabled: boolean; configured: boolean };
  sms: { enabled: boolean; configured: boolean; monthlyQuota: number; usedThisMonth: number };
  email: { enabled: boolean; configured: boolean };
}

/**
 * Everything that stands between a channel and a person, tenant-level first (switched off,
 * not configured), then the person's (not bound, not following), then the SMS quota. A send
 * stops at the first; the diagnosis reports them all, so fixing one does not reveal the next.
 */
export function channelCauses(channel: Channel, state: ChannelState, b: Bindings): Cause[] {
  const c = state[channel];
  const causes: Cause[] = [];
  if (!c.enabled) causes.push('channel_disabled');
  if (!c.configured) causes.push('not_configured');
  switch (channel) {
    case 'wecom':
      if (!b.wecomUserId) causes.push('not_bound');
      else if (b.wecomFollowing === false) causes.push('not_following');
      break;
    case 'dingtalk':
      if (!b.dingtalkUserId) causes.push('not_bound');
      break;
    case 'sms':
      if (!b.phone || !b.phoneVerified || !b.employeeId) causes.push('not_bound');
      if (state.sms.usedThisMonth >= state.sms.monthlyQuota) causes.push('tenant_quota_exhausted');
      break;
    case 'email':
      if (!b.email) causes.push('not_bound');
      else if (b.emailSuppressed) causes.push('suppressed');
      break;
  }
  return causes;
}

/** Whether a channel can be tried for a person; the cause when it cannot. */
export function reachability(channel: Channel, state: ChannelState, b: Bindings): Cause | undefined {
  return channelCauses(channel, state, b)[0];
}

/** A channel's result for one message. */
export type Attempt =
  | { channel: Channel; delivered: true }
  | { channel: Channel; delivered: false; cause: Cause };

/**
 * The channels still to try, given what happened so far: first_success stops at the
 * first delivery; redundant tries every channel once. A channel is tried at most once
 * per message (a transient failure is retried by the queue, not by this plan).
 */
export function nextChannels(rule: NotificationRule, done: Attempt[]): Channel[] {
  const tried = new Set(done.map((a) => a.channel));
  const remaining = rule.channels.filter((c) => !tried.has(c));
  if (rule.mode === 'redundant') return remaining;
  if (done.some((a) => a.delivered)) return [];
  return remaining.slice(0, 1);
}

/** A message is delivered when one channel delivered it (both modes; N1). */
export const delivered = (attempts: Attempt[]) => attempts.some((a) => a.delivered);

// ---------------------------------------------------------------------------
// Diagnosis (N3).

export type FixCode =
  | 'enable_channel'
  | 'configure_channel'
  | 'send_binding_guide'
  | 'bind_phone'
  | 'raise_sms_quota'
  | 'use_redundant_mode'
  | 'add_channel'
  | 'check_credentials'
  | 'check_provider_console';

export interface Finding {
  cause: Cause | 'rule_single_channel' | 'rule_without_channels' | 'unreachable';
  channel?: Channel;
  fix: FixCode;
  /** Whether one call of the product applies the fix (POST …/fixes). */
  applicable: boolean;
}

const FIX_OF: Partial<Record<Cause, FixCode>> = {
  channel_disabled: 'enable_channel',
  not_configured: 'configure_channel',
  not_bound: 'send_binding_guide',
  not_following: 'send_binding_guide',
  tenant_quota_exhausted: 'raise_sms_quota',
  number_unreachable: 'bind_phone',
  invalid_credentials: 'check_credentials',
  token_expired: 'check_credentials',
};

/**
 * What stands between a rule and one person: per channel of the rule, why it would not
 * deliver; then the rule itself (no channel, one channel only, nothing reaches them).
 */
export function diagnose(
  rule: NotificationRule,
  state: ChannelState,
  bindings: Bindings,
  credentialProblems: Partial<Record<Channel, Cause>> = {},
): Finding[] {
  const findings: Finding[] = [];
  const reachable: Channel[] = [];
  for (const channel of rule.channels) {
    const problem = credentialProblems[channel];
    const causes = [...channelCauses(channel, state, bindings), ...(problem ? [problem] : [])];
    if (!causes.length) reachable.push(channel);
    for (const cause of causes) findings.push(findingFor(channel, cause, state));
  }
  if (!rule.channels.length) {
    findings.push({ cause: 'rule_without_channels', fix: 'add_channel', applicable: false });
  } else if (rule.mode === 'first_success' && rule.channels.length === 1) {
    findings.push({ cause: 'rule_single_channel', fix: 'use_redundant_mode', applicable: true });
  }
  if (rule.channels.length && !reachable.length) {
    findings.push({ cause: 'unreachable', fix: 'add_channel', applicable: false });
  }
  return findings;
}

/** A channel the rule does not use, as it stands for one person. */
export interface OtherChannel {
  channel: Channel;
  /** now: it reaches them as it is (add it to the rule); if_enabled: switching it on is all it takes. */
  reaches: 'now' | 'if_enabled' | 'no';
  causes: Cause[];
}

/**
 * Every channel outside the rule that could reach the person, and what stands in the way:
 * the brief's own case has a rule on SMS only while WeCom is off and some people do not
 * follow it — a diagnosis of the rule's channels alone never says so.
 */
export function otherChannels(
  rule: NotificationRule,
  state: ChannelState,
  bindings: Bindings,
  credentialProblems: Partial<Record<Channel, Cause>> = {},
): OtherChannel[] {
  return CHANNELS.filter((c) => !rule.channels.includes(c)).map((channel) => {
    const problem = credentialProblems[channel];
    const causes = [...channelCauses(channel, state, bindings), ...(problem ? [problem] : [])];
    const reaches = !causes.length
      ? 'now'
      : causes.length === 1 && causes[0] === 'channel_disabled'
        ? 'if_enabled'
        : 'no';
    return { channel, reaches, causes };
  });
}

/** What to do about a cause on a channel (the diagnosis's fix, also shown in the delivery log). */
export const fixFor = (channel: Channel | string, cause: Cause): FixCode =>
  cause === 'not_bound' && channel === 'sms' ? 'bind_phone' : (FIX_OF[cause] ?? 'check_provider_console');

function findingFor(channel: Channel, cause: Cause, state: ChannelState): Finding {
  const fix = fixFor(channel, cause);
  // The product applies a fix itself where it holds what is needed: the guide (how to bind,
  // how to follow) goes out through a channel that does reach the person; a configured
  // channel is switched on; the SMS quota is the product's own setting.
  const applicable =
    fix === 'send_binding_guide' ||
    fix === 'bind_phone' ||
    fix === 'raise_sms_quota' ||
    (fix === 'enable_channel' && state[channel].configured);
  return { cause, channel, fix, applicable };
}

/** The first channel (other than the inbox) that reaches a person: how the binding guide goes out. */
export function guideChannel(state: ChannelState, b: Bindings): Channel | undefined {
  return (['sms', 'email', 'dingtalk', 'wecom'] as const).find((c) => !reachability(c, state, b));
}

/** Calendar month of an instant in China time (the SMS quota resets on the 1st, Beijing time). */
export function quotaMonth(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}
