// Delivery beyond the inbox (N1, N2). The status change writes the inbox message in its own
// transaction, marked pending; the relay job hands pending messages to the work queue; the
// worker takes each one through the tenant's rule for its kind, channel by channel, with a
// claim per message × channel so a redelivered queue message never sends twice. Transient
// failures (rate limit, provider down) go back to the queue (backoff, then the DLQ);
// everything else is a final outcome in the delivery log.

import type { Mailer } from '../domain/mailer.ts';
import type { Mailbox, NotificationKind } from '../domain/notifications.ts';
import type { Clock } from '../shared/clock.ts';
import type { WorkQueue } from '../shared/work-queue.ts';
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
import type {
  AwsSmsProviderPort,
  DingtalkChannel,
  OutgoingMessage,
  SmsProvider,
  WecomChannel,
} from './channels.ts';
import type { InboxMessage } from './inbox.ts';
import { messageText } from './message-text.ts';
import type { ChannelSettings, MessageHeader, PendingMessage } from './notification-records.ts';
import type { NotificationStores } from './notification-stores.ts';

export interface DeliveryDeps {
  notifications: NotificationStores;
  credentials: ChannelCredentials;
  wecom: WecomChannel;
  dingtalk: DingtalkChannel;
  sms: SmsProvider;
  awsSms: AwsSmsProviderPort;
  mailer: Mailer;
  workQueue: WorkQueue;
  clock: Clock;
  /** The deployment's sender address (a verified SES identity or the SMTP account); none: no email. */
  mailFrom?: string;
  /** Whose inbox an undelivered alert goes to: the person's home site's managers. */
  people: {
    get(tenantId: string, personId: string): Promise<{ homeSiteId?: string; name: string } | undefined>;
  };
}

/** A message still undelivered this long after it was written raises an alert (N2). */
export const DELIVERY_DEADLINE_MS = 30 * 60_000;

/** A transient failure left a channel to retry: the queue message comes back later. */
export class DeliveryIncomplete extends Error {
  constructor(messageId: string) {
    super(`delivery of ${messageId} incomplete: retrying`);
    this.name = 'DeliveryIncomplete';
  }
}

/** Hands pending inbox messages to the work queue, then unmarks them. */
export async function relayPending(
  deps: Pick<DeliveryDeps, 'notifications' | 'workQueue'>,
  pageSize = 200,
  // A sweep can write thousands of notices at once: up to 10,000 a run, page after page
  // (following the index's own cursor: its keys-only copy may still show what was unmarked).
  maxPages = 50,
) {
  let relayed = 0;
  let after: Record<string, string> | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { items, next } = await deps.notifications.pending(pageSize, after);
    if (items.length) {
      await deps.workQueue.send(items.map((p) => ({ type: 'deliver-notification' as const, ...p })));
      // Unmarked only once queued: a crash in between queues it again, which the claims absorb.
      for (const p of items) await deps.notifications.markRelayed(p);
      relayed += items.length;
    }
    if (!next) break;
    after = next;
  }
  return relayed;
}

/**
 * An email provider's event (SES via EventBridge): a permanent bounce or a complaint
 * suppresses the person's address — it is not tried again until someone enters it anew.
 */
export async function onMailEvent(
  deps: Pick<DeliveryDeps, 'notifications'>,
  event: {
    eventType: string;
    tenantId?: string | null;
    personId?: string | null;
    bounceType?: string | null;
  },
): Promise<boolean> {
  const permanent =
    event.eventType === 'Complaint' || (event.eventType === 'Bounce' && event.bounceType === 'Permanent');
  if (!permanent || !event.tenantId || !event.personId) return false;
  return deps.notifications.suppressEmail(event.tenantId, event.personId, event.eventType);
}

/** The daily binding check: one work message per tenant whose WeCom channel is set up. */
export async function checkBindingsEverywhere(
  deps: Pick<DeliveryDeps, 'notifications' | 'workQueue'> & { reports: { allTenants(): Promise<string[]> } },
) {
  const tenants: string[] = [];
  for (const tenantId of await deps.reports.allTenants()) {
    const settings = await deps.notifications.channels(tenantId);
    if (settings.wecom.corpId && settings.wecom.agentId) tenants.push(tenantId);
  }
  if (tenants.length)
    await deps.workQueue.send(tenants.map((tenantId) => ({ type: 'check-bindings' as const, tenantId })));
  return tenants.length;
}

/**
 * One page of a tenant's WeCom bindings: asks WeCom whether each person follows the app and
 * records it; queues the next page. A provider that fails now leaves the page to the retry.
 */
export async function checkBindingsPage(
  deps: DeliveryDeps,
  tenantId: string,
  cursor: Record<string, string> | undefined,
): Promise<{ checked: number; following: number }> {
  const t = await tenantChannels(deps, tenantId);
  if (!t.state.wecom.configured) return { checked: 0, following: 0 };
  const app = {
    corpId: t.settings.wecom.corpId ?? '',
    agentId: t.settings.wecom.agentId ?? '',
    secret: t.secrets.wecomSecret ?? '',
  };
  const page = await deps.notifications.wecomBound(tenantId, cursor);
  let following = 0;
  for (const b of page.items) {
    const answer = await deps.wecom.following(app, b.wecomUserId);
    if (typeof answer !== 'boolean') {
      if (isTransient(answer.cause ?? 'unknown')) throw new Error(`binding check: ${answer.cause}`);
      return { checked: 0, following: 0 }; // credentials refused: the diagnosis says so
    }
    if (answer) following++;
    await deps.notifications.setFollowing(tenantId, b.personId, b.wecomUserId, answer);
  }
  if (page.next) await deps.workQueue.send([{ type: 'check-bindings', tenantId, cursor: page.next }]);
  return { checked: page.items.length, following };
}

/** What the rules know of a tenant's channels, from settings, secrets and the SMS counter. */
export function channelState(
  settings: ChannelSettings,
  secrets: ChannelSecrets,
  smsUsed: number,
  mailFrom: string | undefined,
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
      configured:
        settings.sms.provider === 'aws'
          ? Boolean(settings.sms.originationIdentity)
          : Boolean(
              settings.sms.accessKeyId &&
                settings.sms.signName &&
                settings.sms.templateCode &&
                secrets.aliyunAccessKeySecret,
            ),
      monthlyQuota: settings.sms.monthlyQuota,
      usedThisMonth: smsUsed,
    },
    email: { enabled: settings.email.enabled, configured: Boolean(mailFrom) },
  };
}

export interface TenantChannels {
  tenantId: string;
  settings: ChannelSettings;
  secrets: ChannelSecrets;
  state: ChannelState;
  rules: Partial<Record<NotificationKind, NotificationRule>>;
}

export async function tenantChannels(
  deps: Pick<DeliveryDeps, 'notifications' | 'credentials' | 'clock' | 'mailFrom'>,
  tenantId: string,
): Promise<TenantChannels> {
  const [settings, secrets, smsUsed, rules] = await Promise.all([
    deps.notifications.channels(tenantId),
    deps.credentials.read(tenantId),
    deps.notifications.smsUsed(tenantId, quotaMonth(deps.clock.now())),
    deps.notifications.rules(tenantId),
  ]);
  return {
    tenantId,
    settings,
    secrets,
    state: channelState(settings, secrets, smsUsed, deps.mailFrom),
    rules,
  };
}

/** Sends one message on one channel; a provider's refusal is an outcome. */
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
async function writeLog(deps: Pick<DeliveryDeps, 'notifications'>, tenantId: string, header: MessageHeader) {
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
async function fallBack(
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
