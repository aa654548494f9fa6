// Delivery beyond the inbox (N1, N2). The status change writes the inbox message in its own
// transaction, marked pending; the relay job hands pending messages to the work queue; the
// worker takes each one through the tenant's rule for its kind, channel by channel, with a
// claim per message × channel so a redelivered queue message never sends twice. Transient
// failures (rate limit, provider down) go back to the queue (backoff, then the DLQ);
// everything else is a final outcome in the delivery log.
import type { Mailer } from '../reports/mailer.ts';
import type { Clock } from '../shared/clock.ts';
import type { WorkQueue } from '../shared/work-queue.ts';
import type { NotificationKind } from '../status/status-change.ts';
import type { ChannelCredentials, ChannelSecrets } from './channel-credentials.ts';
import {
  type Attempt,
  type Bindings,
  type Channel,
  type ChannelState,
  DEFAULT_RULE,
  delivered,
  fitBytes,
  isTransient,
  type NotificationRule,
  nextChannels,
  type ProviderOutcome,
  quotaMonth,
  reachability,
} from './channel-rules.ts';
import type { DingtalkChannel, OutgoingMessage, SmsProvider, WecomChannel } from './channels.ts';
import type { InboxMessage } from './inbox.ts';
import { messageText } from './message-text.ts';
import type { ChannelSettings, DynamoNotificationStore, PendingMessage } from './notification-store.ts';

export interface DeliveryDeps {
  notifications: DynamoNotificationStore;
  credentials: ChannelCredentials;
  wecom: WecomChannel;
  dingtalk: DingtalkChannel;
  sms: SmsProvider;
  mailer: Mailer;
  workQueue: WorkQueue;
  clock: Clock;
}

/** A transient failure left a channel to retry: the queue message comes back later. */
export class DeliveryIncomplete extends Error {
  constructor(messageId: string) {
    super(`delivery of ${messageId} incomplete: retrying`);
    this.name = 'DeliveryIncomplete';
  }
}

/** Hands pending inbox messages to the work queue, then unmarks them. */
export async function relayPending(deps: Pick<DeliveryDeps, 'notifications' | 'workQueue'>, limit = 200) {
  const pending = await deps.notifications.pending(limit);
  if (!pending.length) return 0;
  await deps.workQueue.send(pending.map((p) => ({ type: 'deliver-notification' as const, ...p })));
  // Unmarked only once queued: a crash in between queues it again, which the claims absorb.
  for (const p of pending) await deps.notifications.markRelayed(p);
  return pending.length;
}

/** What the rules know of a tenant's channels, from settings, secrets and the SMS counter. */
export function channelState(
  settings: ChannelSettings,
  secrets: ChannelSecrets,
  smsUsed: number,
): ChannelState {
  return {
    wecom: {
      enabled: settings.wecom.enabled,
      configured: Boolean(settings.wecom.corpId && settings.wecom.agentId && secrets.wecomSecret),
    },
    dingtalk: {
      enabled: settings.dingtalk.enabled,
      configured: Boolean(settings.dingtalk.appKey && settings.dingtalk.agentId && secrets.dingtalkAppSecret),
    },
    sms: {
      enabled: settings.sms.enabled,
      configured: Boolean(
        settings.sms.accessKeyId &&
          settings.sms.signName &&
          settings.sms.templateCode &&
          secrets.aliyunAccessKeySecret,
      ),
      monthlyQuota: settings.sms.monthlyQuota,
      usedThisMonth: smsUsed,
    },
    email: { enabled: settings.email.enabled, configured: Boolean(settings.email.from) },
  };
}

export interface TenantChannels {
  settings: ChannelSettings;
  secrets: ChannelSecrets;
  state: ChannelState;
  rules: Partial<Record<NotificationKind, NotificationRule>>;
}

export async function tenantChannels(
  deps: Pick<DeliveryDeps, 'notifications' | 'credentials' | 'clock'>,
  tenantId: string,
): Promise<TenantChannels> {
  const [settings, secrets, smsUsed, rules] = await Promise.all([
    deps.notifications.channels(tenantId),
    deps.credentials.read(tenantId),
    deps.notifications.smsUsed(tenantId, quotaMonth(deps.clock.now())),
    deps.notifications.rules(tenantId),
  ]);
  return { settings, secrets, state: channelState(settings, secrets, smsUsed), rules };
}

/** Sends one message on one channel; a provider's refusal is an outcome. */
export async function sendOn(
  deps: DeliveryDeps,
  channel: Channel,
  tenantId: string,
  t: TenantChannels,
  to: Bindings,
  out: OutgoingMessage,
): Promise<ProviderOutcome> {
  const { settings: s, secrets } = t;
  switch (channel) {
    case 'wecom':
      return deps.wecom.sendApp(
        { corpId: s.wecom.corpId ?? '', agentId: s.wecom.agentId ?? '', secret: secrets.wecomSecret ?? '' },
        to.wecomUserId ?? '',
        out,
      );
    case 'dingtalk':
      return deps.dingtalk.sendWork(
        {
          appKey: s.dingtalk.appKey ?? '',
          appSecret: secrets.dingtalkAppSecret ?? '',
          agentId: s.dingtalk.agentId ?? '',
        },
        to.dingtalkUserId ?? '',
        out,
      );
    case 'sms': {
      // The product's own monthly quota, taken before the provider is asked.
      const month = quotaMonth(deps.clock.now());
      if (!(await deps.notifications.takeSms(tenantId, month, s.sms.monthlyQuota)))
        return { ok: false, providerCode: 'quota', cause: 'tenant_quota_exhausted' };
      return deps.sms.send(
        {
          accessKeyId: s.sms.accessKeyId ?? '',
          accessKeySecret: secrets.aliyunAccessKeySecret ?? '',
          signName: s.sms.signName ?? '',
          templateCode: s.sms.templateCode ?? '',
        },
        to.phone ?? '',
        out,
      );
    }
    case 'email':
      try {
        const id = await deps.mailer.send({
          from: s.email.from ?? '',
          to: [to.email ?? ''],
          subject: out.title,
          html: `<p>${escapeHtml(out.markdown).replace(/\n/g, '<br>')}</p>`,
          attachments: [],
        });
        return { ok: true, providerCode: 'accepted', providerMessageId: id };
      } catch (error) {
        const name = (error as Error).name;
        const transient = /Throttl|TooManyRequests|ServiceUnavailable|Timeout/i.test(name);
        return { ok: false, providerCode: name, cause: transient ? 'provider_down' : 'unknown' };
      }
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function outgoing(m: InboxMessage, channelKey: string): OutgoingMessage {
  const { title, body } = messageText(m, 'zh');
  return {
    title,
    markdown: fitBytes(`**${title}**\n\n${body}`),
    smsParams: { name: m.nameMasked, kind: title },
    idempotencyKey: `${m.messageId}#${channelKey}`,
  };
}

/** Takes one pending message through its rule (the worker's 'deliver-notification'). */
export async function deliverNotification(deps: DeliveryDeps, pending: PendingMessage): Promise<void> {
  const message = await deps.notifications.inboxMessage(pending);
  // Group mailboxes (site managers, HR) are read in the inbox; persons also get the channels.
  if (!message?.mailbox.startsWith('PERSON#')) return;
  const tenantId = message.tenantId;
  const personId = message.mailbox.slice('PERSON#'.length);
  const t = await tenantChannels(deps, tenantId);
  const rule = t.rules[message.kind] ?? DEFAULT_RULE;
  const bindings = await deps.notifications.bindings(tenantId, personId);

  const records = await deps.notifications.deliveries(tenantId, message.messageId);
  const attempts: Attempt[] = [];
  let inFlight = false;
  for (const r of records) {
    if (r.state === 'sent') attempts.push({ channel: r.channel, delivered: true });
    else if (r.state === 'failed' || r.state === 'skipped')
      attempts.push({ channel: r.channel, delivered: false, cause: r.cause ?? 'unknown' });
  }
  let retry = false;
  for (let next = nextChannels(rule, attempts); next.length; next = nextChannels(rule, attempts)) {
    for (const channel of next) {
      const cause = reachability(channel, t.state, bindings);
      if (cause) {
        await deps.notifications.record(tenantId, message.messageId, channel, { state: 'skipped', cause });
        attempts.push({ channel, delivered: false, cause });
        continue;
      }
      if (!(await deps.notifications.claim(tenantId, message.messageId, channel))) {
        // Another delivery of the same message holds this channel: it reports; come back later.
        inFlight = true;
        attempts.push({ channel, delivered: false, cause: 'unknown' });
        continue;
      }
      const outcome = await sendOn(deps, channel, tenantId, t, bindings, outgoing(message, channel));
      const transient = !outcome.ok && isTransient(outcome.cause ?? 'unknown');
      retry ||= transient;
      await deps.notifications.record(tenantId, message.messageId, channel, {
        state: outcome.ok ? 'sent' : transient ? 'retry' : 'failed',
        providerCode: outcome.providerCode,
        ...(outcome.cause ? { cause: outcome.cause } : {}),
        ...(outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {}),
      });
      attempts.push(
        outcome.ok
          ? { channel, delivered: true }
          : { channel, delivered: false, cause: outcome.cause ?? 'unknown' },
      );
    }
  }
  const reached = delivered(attempts);
  // first_success that reached the person needs nothing more; otherwise a transient failure
  // (or a send still in flight) is worth another round.
  if ((retry || inFlight) && !(rule.mode === 'first_success' && reached))
    throw new DeliveryIncomplete(message.messageId);

  const final = await deps.notifications.deliveries(tenantId, message.messageId);
  await deps.notifications.logForPerson(tenantId, personId, {
    messageId: message.messageId,
    kind: message.kind,
    at: message.createdAt,
    delivered: final.some((r) => r.state === 'sent'),
    channels: final.map((r) => ({
      channel: r.channel,
      state: r.state,
      ...(r.cause ? { cause: r.cause } : {}),
      ...(r.providerCode ? { providerCode: r.providerCode } : {}),
    })),
  });
}
