// Delivery beyond the inbox (N1, N2). The status change writes the inbox message in its own
// transaction, marked pending; the relay job hands pending messages to the work queue; the
// worker takes each one through the tenant's rule for its kind, channel by channel, with a
// claim per message × channel so a redelivered queue message never sends twice. Transient
// failures (rate limit, provider down) go back to the queue (backoff, then the DLQ);
// everything else is a final outcome in the delivery log. A message still undelivered at
// its deadline alerts its person's site managers. Receipts: receipts.ts; the relay: relay.ts;
// binding checks and mail events: binding-checks.ts.

import type { Mailbox } from '../domain/notifications.ts';
import { count, METRIC } from '../shared/metrics.ts';
import {
  type Attempt,
  type Bindings,
  type Channel,
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
import type { OutgoingMessage } from './channels.ts';
import {
  DELIVERY_DEADLINE_MS,
  type DeliveryDeps,
  DeliveryIncomplete,
  type TenantChannels,
  tenantChannels,
} from './delivery-deps.ts';
import type { InboxMessage } from './inbox-store.ts';
import { messageText } from './message-text.ts';
import type { MessageHeader, PendingMessage } from './notification-records.ts';

export { checkBindingsEverywhere, checkBindingsPage, onMailEvent } from './binding-checks.ts';
export {
  channelState,
  DELIVERY_DEADLINE_MS,
  type DeliveryDeps,
  DeliveryIncomplete,
  type TenantChannels,
  tenantChannels,
} from './delivery-deps.ts';
export { relayPending } from './relay.ts';

/** Sends one message on one channel; a provider's refusal is an outcome. */
/** Notifications by channel, outcome and cause (closed sets): the delivery alarms read them. */
const noteDelivery = (channel: string, outcome: string, cause?: string) =>
  count(METRIC.notification, { channel, outcome, ...(cause ? { cause } : {}) });

export async function sendOn(
  deps: DeliveryDeps,
  channel: Channel,
  tenantId: string,
  t: TenantChannels,
  to: Bindings,
  out: OutgoingMessage,
  personId?: string,
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
      if (s.sms.provider === 'aws')
        return deps.awsSms.send(
          { originationIdentity: s.sms.originationIdentity ?? '' },
          to.phone ?? '',
          out,
        );
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
          from: deps.mailFrom ?? '',
          to: [to.email ?? ''],
          subject: out.title,
          html: `<p>${escapeHtml(out.markdown).replace(/\n/g, '<br>')}</p>`,
          attachments: [],
          // A bounce or complaint event names whose address to suppress.
          ...(personId ? { tags: { tenantId, personId } } : {}),
        });
        return { ok: true, providerCode: 'accepted', providerMessageId: id };
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ProviderNotConfigured')
          return { ok: false, providerCode: name, cause: 'not_configured' };
        const transient = /Throttl|TooManyRequests|ServiceUnavailable|Timeout|ECONN|ETIMEDOUT/i.test(
          `${name} ${(error as { code?: string }).code ?? ''}`,
        );
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
  if (!message) return;
  const t = await tenantChannels(deps, message.tenantId);
  // Group mailboxes (site managers, HR) are read in the inbox and posted by their group
  // robots; a person's messages go through the rule for their kind.
  if (!message.mailbox.startsWith('PERSON#')) return postToRobots(deps, message, t);
  await deliverMessage(deps, message, t, t.rules[message.kind] ?? DEFAULT_RULE);
}

/**
 * A group mailbox's message, posted by every robot the tenant set for that mailbox, once
 * each (the same claim as a person's channel); a throttled robot is retried by the queue.
 */
async function postToRobots(
  deps: DeliveryDeps,
  message: InboxMessage & { tenantId: string },
  t: TenantChannels,
) {
  const robots = t.settings.robots.filter((r) => r.mailbox === message.mailbox);
  if (!robots.length) return;
  const { tenantId, messageId } = message;
  await deps.notifications.openMessage(tenantId, {
    messageId,
    personId: message.personId,
    kind: message.kind,
    createdAt: message.createdAt,
  });
  let retry = false;
  for (const robot of robots) {
    const target = `robot:${robot.robotId}` as const;
    const secret = t.secrets.robots?.[robot.robotId];
    if (!secret) {
      await deps.notifications.record(tenantId, messageId, target, {
        state: 'skipped',
        cause: 'not_configured',
      });
      continue;
    }
    if (!(await deps.notifications.claim(tenantId, messageId, target))) continue;
    const base = outgoing(message, target);
    const out = robot.keyword ? { ...base, markdown: fitBytes(`${robot.keyword}：${base.markdown}`) } : base;
    const outcome =
      robot.provider === 'wecom'
        ? await deps.wecom.sendRobot({ kind: 'wecom', key: secret.key }, out)
        : await deps.dingtalk.sendRobot(
            { kind: 'dingtalk', key: secret.key, ...(secret.secret ? { secret: secret.secret } : {}) },
            out,
          );
    const transient = !outcome.ok && isTransient(outcome.cause ?? 'unknown');
    retry ||= transient;
    await deps.notifications.record(tenantId, messageId, target, {
      state: outcome.ok ? 'sent' : transient ? 'retry' : 'failed',
      providerCode: outcome.providerCode,
      ...(outcome.cause ? { cause: outcome.cause } : {}),
    });
    noteDelivery(robot.provider, outcome.ok ? 'sent' : transient ? 'retry' : 'failed', outcome.cause);
  }
  if (retry) throw new DeliveryIncomplete(messageId);
}

/**
 * Takes a person's message through a rule, channel by channel, and logs the outcome; true
 * when it reached them. Throws DeliveryIncomplete when a transient failure is worth a retry.
 */
export async function deliverMessage(
  deps: DeliveryDeps,
  message: InboxMessage & { tenantId: string },
  t: TenantChannels,
  rule: NotificationRule,
): Promise<boolean> {
  if (!rule.channels.length) return false; // the inbox only, by the tenant's choice
  const tenantId = message.tenantId;
  const personId = message.personId;
  const bindings = await deps.notifications.bindings(tenantId, personId);
  await deps.notifications.openMessage(tenantId, {
    messageId: message.messageId,
    personId,
    kind: message.kind,
    createdAt: message.createdAt,
  });

  const records = await deps.notifications.deliveries(tenantId, message.messageId);
  const attempts: Attempt[] = [];
  let inFlight = false;
  for (const r of records) {
    if (r.channel.startsWith('robot:')) continue;
    const channel = r.channel as Channel;
    if (r.state === 'sent') attempts.push({ channel, delivered: true });
    else if (r.state === 'failed' || r.state === 'skipped')
      attempts.push({ channel, delivered: false, cause: r.cause ?? 'unknown' });
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
      const outcome = await sendOn(
        deps,
        channel,
        tenantId,
        t,
        bindings,
        outgoing(message, channel),
        personId,
      );
      const transient = !outcome.ok && isTransient(outcome.cause ?? 'unknown');
      retry ||= transient;
      noteDelivery(channel, outcome.ok ? 'sent' : transient ? 'retry' : 'failed', outcome.cause);
      await deps.notifications.record(tenantId, message.messageId, channel, {
        state: outcome.ok ? 'sent' : transient ? 'retry' : 'failed',
        providerCode: outcome.providerCode,
        ...(outcome.cause ? { cause: outcome.cause } : {}),
        ...(outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {}),
      });
      // Aliyun tells whether the handset got it: the receipts job reads it back.
      if (
        outcome.ok &&
        channel === 'sms' &&
        t.settings.sms.provider === 'aliyun' &&
        outcome.providerMessageId
      )
        await deps.notifications.awaitReceipt(tenantId, message.messageId, channel);
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
  if ((retry || inFlight) && !(rule.mode === 'first_success' && reached)) {
    const late = deps.clock.now().getTime() - Date.parse(message.createdAt) > DELIVERY_DEADLINE_MS;
    if (late && !reached) await alertUndelivered(deps, message);
    throw new DeliveryIncomplete(message.messageId);
  }
  if (!reached) await alertUndelivered(deps, message);

  await writeLog(deps, tenantId, {
    messageId: message.messageId,
    personId,
    kind: message.kind,
    createdAt: message.createdAt,
  });
  return reached;
}

/** The person's delivery log entry of a message, from its channel records as they are now. */
export async function writeLog(
  deps: Pick<DeliveryDeps, 'notifications'>,
  tenantId: string,
  header: MessageHeader,
) {
  const records = await deps.notifications.deliveries(tenantId, header.messageId);
  await deps.notifications.logForPerson(tenantId, header.personId, {
    messageId: header.messageId,
    kind: header.kind,
    at: header.createdAt,
    delivered: records.some((r) => r.state === 'sent' || r.state === 'delivered'),
    channels: records.map((r) => ({
      channel: r.channel,
      state: r.state,
      ...(r.cause ? { cause: r.cause } : {}),
      ...(r.providerCode ? { providerCode: r.providerCode } : {}),
      // Across the queue's retries: how often the channel was tried.
      attempts: r.attempts,
    })),
  });
}

/** Tells the person's site managers (HR where there is no home site) that nobody was reached. */
async function alertUndelivered(deps: DeliveryDeps, message: InboxMessage & { tenantId: string }) {
  const person = await deps.people.get(message.tenantId, message.personId);
  const mailbox: Mailbox = person?.homeSiteId ? `SITE#${person.homeSiteId}#site_manager` : 'ROLE#hr';
  await deps.notifications.raiseUndelivered(message.tenantId, message.messageId, {
    kind: 'undelivered_alert',
    mailbox,
    personId: message.personId,
    nameMasked: message.nameMasked,
    reasons: [],
    undelivered: { messageId: message.messageId, kind: message.kind },
  });
}
