// Notification settings over HTTP (N1, N2): the tenant's channels (secrets write-only, each
// enabled channel checked with a dry call before anything is stored), the rules, a person's
// bindings (masked when read) and delivery log, one message's delivery.
import type {
  BindingsBody,
  BindingsView,
  ChannelSettingsBody,
  ChannelSettingsView,
} from '../../schemas/notifications.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import type { PersonRepository } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import {
  type FieldError,
  InvalidRequest,
  NotFound,
  RulesBroken,
  type RuleViolation,
} from '../shared/errors.ts';
import { type Language, message as text } from '../shared/i18n/messages.ts';
import { maskEmail, maskPhone } from '../shared/identity-numbers.ts';
import type { ChannelSecrets } from './channel-credentials.ts';
import {
  type Cause,
  type Channel,
  dingtalkRobotToken,
  fixFor,
  isTransient,
  type NotificationRule,
  type ProviderOutcome,
  robotKey,
} from './channel-rules.ts';
import { type DeliveryDeps, tenantChannels } from './deliveries.ts';
import type { ChannelSettings } from './notification-records.ts';

export type NotificationDeps = Omit<DeliveryDeps, 'people'> & { people: PersonRepository };

type Checks = Partial<Record<Channel, { ok: boolean; cause?: string; providerCode?: string }>>;

function settingsView(
  s: ChannelSettings,
  secrets: ChannelSecrets,
  smsUsed: number,
  mailFrom: string | undefined,
  checks?: Checks,
): ChannelSettingsView {
  return {
    wecom: { ...s.wecom, secretSet: Boolean(secrets.wecomSecret) },
    dingtalk: { ...s.dingtalk, appSecretSet: Boolean(secrets.dingtalkAppSecret) },
    sms: { ...s.sms, accessKeySecretSet: Boolean(secrets.aliyunAccessKeySecret), usedThisMonth: smsUsed },
    email: { enabled: s.email.enabled, configured: Boolean(mailFrom) },
    robots: s.robots.map((r) => ({
      ...r,
      webhookSet: Boolean(secrets.robots?.[r.robotId]?.key),
      signed: Boolean(secrets.robots?.[r.robotId]?.secret),
    })),
    ...(checks ? { checks } : {}),
  };
}

export async function getChannels(
  deps: NotificationDeps,
  principal: Principal,
): Promise<ChannelSettingsView> {
  authorize(principal, 'settings:read');
  const t = await tenantChannels(deps, principal.tenantId);
  return settingsView(t.settings, t.secrets, t.state.sms.usedThisMonth, deps.mailFrom);
}

/** The dry call of one channel with the given settings and secrets. */
export async function checkChannel(
  deps: Pick<DeliveryDeps, 'wecom' | 'dingtalk' | 'sms' | 'awsSms' | 'mailFrom'>,
  channel: Channel,
  s: ChannelSettings,
  secrets: ChannelSecrets,
): Promise<ProviderOutcome> {
  switch (channel) {
    case 'wecom':
      return deps.wecom.check({
        corpId: s.wecom.corpId ?? '',
        agentId: s.wecom.agentId ?? '',
        secret: secrets.wecomSecret ?? '',
      });
    case 'dingtalk':
      return deps.dingtalk.check({
        appKey: s.dingtalk.appKey ?? '',
        appSecret: secrets.dingtalkAppSecret ?? '',
        agentId: s.dingtalk.agentId ?? '',
      });
    case 'sms':
      if (s.sms.provider === 'aws')
        return deps.awsSms.check({ originationIdentity: s.sms.originationIdentity ?? '' });
      return deps.sms.check({
        accessKeyId: s.sms.accessKeyId ?? '',
        accessKeySecret: secrets.aliyunAccessKeySecret ?? '',
        signName: s.sms.signName ?? '',
        templateCode: s.sms.templateCode ?? '',
      });
    case 'email':
      // No dry call for mail: the deployment's sender is verified when the stack is set up.
      return deps.mailFrom
        ? { ok: true, providerCode: 'sender' }
        : { ok: false, providerCode: 'no_sender', cause: 'not_configured' };
  }
}

const REQUIRED: Record<Exclude<Channel, 'email'>, { fields: string[]; secret: keyof ChannelSecrets }> = {
  wecom: { fields: ['corpId', 'agentId'], secret: 'wecomSecret' },
  dingtalk: { fields: ['appKey', 'agentId'], secret: 'dingtalkAppSecret' },
  sms: { fields: ['accessKeyId', 'signName', 'templateCode'], secret: 'aliyunAccessKeySecret' },
};

/**
 * Sets the channels: merged with what is stored (a channel left out keeps its settings, a
 * secret left out keeps the stored one). Every enabled channel is checked with a dry call
 * first; a definite refusal (wrong secret, IP not trusted, unapproved signature) is a 422
 * and nothing is stored; a provider that does not answer now is stored with its check shown.
 */
export async function putChannels(
  deps: NotificationDeps,
  principal: Principal,
  body: ChannelSettingsBody,
  requestId: string,
): Promise<ChannelSettingsView> {
  authorize(principal, 'settings:write');
  const current = await tenantChannels(deps, principal.tenantId);
  const { secret: wecomSecret, ...wecom } = body.wecom ?? { ...current.settings.wecom, secret: undefined };
  const { appSecret: dingtalkAppSecret, ...dingtalk } = body.dingtalk ?? {
    ...current.settings.dingtalk,
    appSecret: undefined,
  };
  const { accessKeySecret: aliyunAccessKeySecret, ...sms } = body.sms ?? {
    ...current.settings.sms,
    accessKeySecret: undefined,
  };
  const missing: FieldError[] = [];
  const robots = body.robots ? robotSettings(body.robots, missing) : undefined;
  const next: ChannelSettings = {
    wecom,
    dingtalk,
    sms,
    email: body.email ?? current.settings.email,
    robots: robots?.settings ?? current.settings.robots,
  };
  const newSecrets: ChannelSecrets = {
    ...(wecomSecret ? { wecomSecret } : {}),
    ...(dingtalkAppSecret ? { dingtalkAppSecret } : {}),
    ...(aliyunAccessKeySecret ? { aliyunAccessKeySecret } : {}),
    ...(robots ? { robots: robots.secrets } : {}),
  };
  const secrets = { ...current.secrets, ...newSecrets };

  for (const [channel, need] of Object.entries(REQUIRED) as [
    keyof typeof REQUIRED,
    (typeof REQUIRED)['sms'],
  ][]) {
    if (!next[channel].enabled) continue;
    for (const f of need.fields)
      if (!(next[channel] as Record<string, unknown>)[f])
        missing.push({ field: `${channel}.${f}`, code: 'required_to_enable', message: 'required_to_enable' });
    if (!secrets[need.secret])
      missing.push({ field: `${channel}.secret`, code: 'required_to_enable', message: 'required_to_enable' });
  }
  if (next.email.enabled && !deps.mailFrom)
    missing.push({ field: 'email.enabled', code: 'mail_not_configured', message: 'mail_not_configured' });
  if (missing.length) throw new InvalidRequest('validation_failed', missing);

  const checks: Checks = {};
  const refused: RuleViolation[] = [];
  for (const channel of ['wecom', 'dingtalk', 'sms'] as const) {
    if (!next[channel].enabled) continue;
    const outcome = await checkChannel(deps, channel, next, secrets);
    checks[channel] = {
      ok: outcome.ok,
      providerCode: outcome.providerCode,
      ...(outcome.cause ? { cause: outcome.cause } : {}),
    };
    if (!outcome.ok && !isTransient(outcome.cause ?? 'unknown'))
      refused.push({
        code: 'channel_refused',
        detail: { channel, cause: outcome.cause ?? 'unknown', providerCode: outcome.providerCode },
      });
  }
  if (refused.length) throw new RulesBroken('channel_check_failed', refused);

  if (Object.keys(newSecrets).length) await deps.credentials.merge(principal.tenantId, newSecrets);
  await deps.notifications.saveSetting(principal, 'channels', next, requestId);
  return settingsView(next, secrets, current.state.sms.usedThisMonth, deps.mailFrom, checks);
}

/** The robots of a PUT: ids, settings and their secrets apart; a webhook that is neither key nor URL is a 400. */
function robotSettings(
  robots: NonNullable<ChannelSettingsBody['robots']>,
  errors: { field: string; code: string; message: string }[],
) {
  const settings: ChannelSettings['robots'] = [];
  const secrets: NonNullable<ChannelSecrets['robots']> = {};
  robots.forEach((r, i) => {
    const key = r.provider === 'wecom' ? robotKey(r.webhook) : dingtalkRobotToken(r.webhook);
    if (!key) {
      errors.push({ field: `robots.${i}.webhook`, code: 'invalid_webhook', message: 'invalid_webhook' });
      return;
    }
    const robotId = `robot-${i + 1}`;
    settings.push({
      robotId,
      mailbox: r.mailbox,
      provider: r.provider,
      ...(r.keyword ? { keyword: r.keyword } : {}),
    });
    secrets[robotId] = { key, ...(r.secret ? { secret: r.secret } : {}) };
  });
  return { settings, secrets };
}

export async function getRules(deps: NotificationDeps, principal: Principal) {
  authorize(principal, 'settings:read');
  return { rules: await deps.notifications.rules(principal.tenantId) };
}

export async function putRules(
  deps: NotificationDeps,
  principal: Principal,
  rules: Partial<Record<NotificationKind, NotificationRule>>,
  requestId: string,
) {
  authorize(principal, 'settings:write');
  await deps.notifications.saveSetting(principal, 'notification-rules', { rules }, requestId);
  return { rules };
}

function bindingsView(
  personId: string,
  b: Awaited<ReturnType<NotificationDeps['notifications']['bindings']>>,
): BindingsView {
  return {
    personId,
    ...(b.wecomUserId ? { wecomUserId: b.wecomUserId } : {}),
    ...(b.wecomFollowing !== undefined ? { wecomFollowing: b.wecomFollowing } : {}),
    ...(b.dingtalkUserId ? { dingtalkUserId: b.dingtalkUserId } : {}),
    ...(b.phone ? { phoneMasked: maskPhone(b.phone) } : {}),
    ...(b.employeeId ? { employeeId: b.employeeId } : {}),
    phoneVerified: Boolean(b.phoneVerified),
    ...(b.email ? { emailMasked: maskEmail(b.email) } : {}),
    ...(b.emailSuppressed ? { emailSuppressed: true } : {}),
  };
}

export async function getBindings(deps: NotificationDeps, principal: Principal, personId: string) {
  authorize(principal, 'person:read');
  await findPerson(deps.people, principal, personId);
  return bindingsView(personId, await deps.notifications.bindings(principal.tenantId, personId));
}

/**
 * Replaces a person's bindings. What the product learnt itself is kept while its subject is
 * unchanged: "following" while the WeCom user id stays, "suppressed" while the address stays.
 */
export async function putBindings(
  deps: NotificationDeps,
  principal: Principal,
  personId: string,
  body: BindingsBody,
  requestId: string,
) {
  authorize(principal, 'bindings:write');
  await findPerson(deps.people, principal, personId);
  const before = await deps.notifications.bindings(principal.tenantId, personId);
  const phone = body.phone?.replace(/^\+?86/, '');
  const next = {
    ...body,
    ...(phone ? { phone } : {}),
    // A verified phone needs the employee id it was verified with.
    phoneVerified: Boolean(body.phoneVerified && phone && body.employeeId),
    ...(body.wecomUserId && body.wecomUserId === before.wecomUserId && before.wecomFollowing !== undefined
      ? { wecomFollowing: before.wecomFollowing }
      : {}),
    ...(body.email && body.email === before.email && before.emailSuppressed ? { emailSuppressed: true } : {}),
  };
  await deps.notifications.saveBindings(principal, personId, next, requestId);
  return bindingsView(personId, next);
}

/** A channel's outcome as people read it: with what to do about its cause, in their language. */
function channelOutcomeView(
  c: {
    channel: string;
    state: string;
    cause?: Cause;
    providerCode?: string;
    attempts?: number;
    updatedAt?: string;
  },
  lang: Language,
) {
  const fix = c.cause ? fixFor(c.channel, c.cause) : undefined;
  return {
    channel: c.channel,
    state: c.state,
    ...(c.cause ? { cause: c.cause } : {}),
    ...(c.providerCode ? { providerCode: c.providerCode } : {}),
    ...(fix ? { fix, fixText: text(`fix_${fix}`, lang) } : {}),
    ...(c.attempts !== undefined ? { attempts: c.attempts } : {}),
    ...(c.updatedAt ? { updatedAt: c.updatedAt } : {}),
  };
}

/** A person's delivery log: their staff's, and their own (PIPL Art. 45: a worker reads their own data). */
export async function personNotifications(
  deps: NotificationDeps,
  principal: Principal,
  personId: string,
  limit: number,
  lang: Language = 'zh',
) {
  authorize(principal, 'notification-log:read');
  await findPerson(deps.people, principal, personId);
  const items = await deps.notifications.personLog(principal.tenantId, personId, limit);
  return {
    items: items.map((m) => ({ ...m, channels: m.channels.map((c) => channelOutcomeView(c, lang)) })),
  };
}

export async function notificationDelivery(
  deps: NotificationDeps,
  principal: Principal,
  messageId: string,
  lang: Language = 'zh',
) {
  authorize(principal, 'notification-log:read');
  const { header, channels } = await deps.notifications.message(principal.tenantId, messageId);
  if (!header) throw new NotFound('notification_not_found');
  // A message about someone outside the caller's scope is as unknown as another tenant's.
  await findPerson(deps.people, principal, header.personId).catch(() => {
    throw new NotFound('notification_not_found');
  });
  return {
    messageId,
    kind: header.kind,
    personId: header.personId,
    createdAt: header.createdAt,
    delivered: channels.some((c) => c.state === 'sent'),
    // The record as the document shows it: no tenant, message or provider-side ids; the fix.
    channels: channels.map((c) => channelOutcomeView(c, lang)),
  };
}
