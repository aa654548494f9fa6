// Notification delivery (N1, N2) as a use case against in-memory fakes of its ports (the
// delivery log, settings, bindings, SMS quota, outbox) and recording providers: a person's
// message goes through the tenant's rule channel by channel, a transient failure comes back
// through the queue without sending twice, nobody reached raises one alert for the site's
// managers, and a group mailbox's message is posted by its robots.
import { describe, expect, it } from 'vitest';
import type { InboxMessage, NotificationRequest } from '../../functions/domain/notifications.ts';
import type { ChannelSecrets } from '../../functions/notifications/channel-credentials.ts';
import type {
  Bindings,
  NotificationRule,
  ProviderOutcome,
} from '../../functions/notifications/channel-rules.ts';
import type { OutgoingMessage } from '../../functions/notifications/channels.ts';
import {
  deliverMessage,
  deliverNotification,
  outgoing,
  sendOn,
  writeLog,
} from '../../functions/notifications/deliveries.ts';
import {
  type DeliveryDeps,
  DeliveryIncomplete,
  tenantChannels,
} from '../../functions/notifications/delivery-deps.ts';
import { messageText } from '../../functions/notifications/message-text.ts';
import {
  type ChannelSettings,
  DEFAULT_CHANNELS,
  type DeliveryRecord,
  type LoggedMessage,
  type Target,
} from '../../functions/notifications/notification-records.ts';
import type { NotificationStores } from '../../functions/notifications/notification-stores.ts';
import { metricsFlushed } from '../../functions/shared/metrics.ts';
import { TestClock } from '../support/fakes.ts';
import { captureMetrics } from '../support/metrics.ts';

const TENANT = 'acme';

/** The five notification ports in memory (only what delivery uses; the rest throws). */
class InMemoryNotifications {
  settings: ChannelSettings = structuredClone(DEFAULT_CHANNELS);
  ruleSet: Partial<Record<string, NotificationRule>> = {};
  readonly people = new Map<string, Bindings>();
  readonly messages = new Map<string, InboxMessage & { tenantId: string }>();
  readonly records = new Map<string, DeliveryRecord>();
  readonly claims = new Set<string>();
  readonly logs: { personId: string; logged: LoggedMessage }[] = [];
  readonly alerts: NotificationRequest[] = [];
  readonly opened: unknown[] = [];
  readonly receipts: string[] = [];
  smsTaken = 0;
  constructor(private readonly clock: TestClock) {}

  /** A channel record as an earlier round left it (attempts 1 unless said). */
  settled(
    messageId: string,
    channel: Target,
    state: DeliveryRecord['state'],
    extra: Partial<DeliveryRecord> = {},
  ) {
    this.records.set(`${messageId}#${channel}`, {
      messageId,
      channel,
      state,
      attempts: 1,
      ...extra,
    } as DeliveryRecord);
  }

  ports(): NotificationStores {
    const used = {
      channels: async () => structuredClone(this.settings),
      rules: async () => this.ruleSet,
      smsUsed: async () => this.smsTaken,
      takeSms: async (_t: string, _m: string, quota: number) => {
        if (this.smsTaken >= quota) return false;
        this.smsTaken += 1;
        return true;
      },
      bindings: async (_t: string, personId: string) => this.people.get(personId) ?? {},
      inboxMessage: async (p: { pk: string; sk: string }) => this.messages.get(p.sk),
      openMessage: async (_t: string, header: unknown) => {
        this.opened.push(header);
      },
      deliveries: async (_t: string, messageId: string) =>
        [...this.records.values()].filter((r) => r.messageId === messageId),
      claim: async (_t: string, messageId: string, channel: Target) => {
        const key = `${messageId}#${channel}`;
        // A channel already sent (or claimed and not released) is not claimed again.
        if (this.claims.has(key)) return false;
        this.claims.add(key);
        return true;
      },
      record: async (
        _t: string,
        messageId: string,
        channel: Target,
        r: Pick<DeliveryRecord, 'state' | 'cause' | 'providerCode' | 'providerMessageId'>,
      ) => {
        const key = `${messageId}#${channel}`;
        const before = this.records.get(key);
        this.records.set(key, {
          messageId,
          channel,
          ...r,
          attempts: (before?.attempts ?? 0) + 1,
          updatedAt: this.clock.now().toISOString(),
        } as DeliveryRecord);
        // A retry releases the claim so the queue's next round may send again.
        if (r.state === 'retry') this.claims.delete(key);
      },
      awaitReceipt: async (_t: string, messageId: string, channel: Target) => {
        this.receipts.push(`${messageId}#${channel}`);
      },
      logForPerson: async (_t: string, personId: string, logged: LoggedMessage) => {
        this.logs.push({ personId, logged });
      },
      raiseUndelivered: async (_t: string, _id: string, alert: NotificationRequest) => {
        if (this.alerts.some((a) => a.undelivered?.messageId === alert.undelivered?.messageId)) return false;
        this.alerts.push(alert);
        return true;
      },
    };
    return new Proxy(used, {
      get: (target, name) => {
        if (name in target) return target[name as keyof typeof target];
        throw new Error(`delivery used notifications.${String(name)}, which this fake does not have`);
      },
    }) as unknown as NotificationStores;
  }
}

/** A provider that answers from a script (ok by default) and records what it was asked to send. */
function provider() {
  const sent: { to: string; message: OutgoingMessage }[] = [];
  const script: ProviderOutcome[] = [];
  const answer = async (to: string, message: OutgoingMessage): Promise<ProviderOutcome> => {
    sent.push({ to, message });
    return script.shift() ?? { ok: true, providerCode: '0' };
  };
  return { sent, script, answer };
}

function world() {
  const clock = new TestClock('2026-06-01T02:00:00Z');
  const n = new InMemoryNotifications(clock);
  const wecom = provider();
  const sms = provider();
  const robot = provider();
  const secrets: ChannelSecrets = {
    wecomSecret: 's',
    aliyunAccessKeySecret: 'a',
    robots: { r1: { key: 'robot-key' } },
  };
  n.settings = {
    ...n.settings,
    wecom: { enabled: true, corpId: 'corp', agentId: '1000002' },
    sms: {
      enabled: true,
      provider: 'aliyun',
      accessKeyId: 'ak',
      signName: '安全',
      templateCode: 'SMS_1',
      monthlyQuota: 100,
    },
    robots: [{ robotId: 'r1', mailbox: 'SITE#site_zh#site_manager', provider: 'wecom' }],
  };
  n.ruleSet = { freeze: { channels: ['wecom', 'sms'], mode: 'first_success' } };
  n.people.set('per_1', {
    wecomUserId: 'zhangsan',
    phone: '13800000000',
    phoneVerified: true,
    employeeId: 'E1',
  });
  const deps: DeliveryDeps = {
    notifications: n.ports(),
    credentials: { read: async () => secrets, merge: async () => secrets },
    wecom: {
      sendApp: async (_app, user, m) => wecom.answer(user, m),
      sendRobot: async (r, m) => robot.answer(r.key, m),
      check: async () => ({ ok: true, providerCode: '0' }),
      following: async () => true,
    },
    dingtalk: {
      sendWork: async () => ({ ok: false, providerCode: 'x', cause: 'not_configured' }),
      sendRobot: async (r, m) => robot.answer(r.key, m),
      check: async () => ({ ok: true, providerCode: '0' }),
    },
    sms: {
      send: async (_a, phone, m) => sms.answer(phone, m),
      check: async () => ({ ok: true, providerCode: 'OK' }),
      receipt: async () => ({ state: 'waiting', providerCode: '' }),
    },
    awsSms: { send: async () => ({ ok: false, providerCode: 'x', cause: 'not_configured' }) } as never,
    mailer: {
      send: async () => {
        throw Object.assign(new Error('no mail'), { name: 'ProviderNotConfigured' });
      },
    } as never,
    workQueue: { send: async () => {} } as never,
    clock,
    people: { get: async () => ({ homeSiteId: 'site_zh', name: '张三' }) },
  };
  const message = (over: Partial<InboxMessage> = {}) => {
    const m: InboxMessage & { tenantId: string } = {
      tenantId: TENANT,
      messageId: `msg_${n.messages.size + 1}`,
      mailbox: 'PERSON#per_1',
      kind: 'freeze',
      personId: 'per_1',
      nameMasked: '张*',
      color: 'red',
      reasons: [{ code: 'expired' }],
      createdAt: clock.now().toISOString(),
      ...over,
    } as InboxMessage & { tenantId: string };
    n.messages.set(m.messageId, m);
    return { pk: `T#${TENANT}#OUTBOX`, sk: m.messageId };
  };
  return { n, deps, wecom, sms, robot, message, clock };
}

const states = (n: InMemoryNotifications) =>
  Object.fromEntries([...n.records.values()].map((r) => [r.channel, [r.state, r.cause ?? null, r.attempts]]));

describe('notification delivery (use cases, fakes)', () => {
  it('stops at the first channel that reaches the person (first_success), and logs it', async () => {
    const w = world();
    await deliverNotification(w.deps, w.message());
    expect(w.wecom.sent.map((s) => s.to)).toEqual(['zhangsan']);
    expect(w.sms.sent).toEqual([]);
    expect(states(w.n)).toEqual({ wecom: ['sent', null, 1] });
    expect(w.n.logs).toEqual([
      {
        personId: 'per_1',
        logged: expect.objectContaining({ messageId: 'msg_1', delivered: true, kind: 'freeze' }),
      },
    ]);
    expect(w.n.alerts).toEqual([]);
  });

  it('falls through to SMS when WeCom cannot reach them, naming why, and counts the SMS quota', async () => {
    const w = world();
    w.n.people.set('per_1', {
      wecomUserId: 'zhangsan',
      wecomFollowing: false,
      phone: '13800000000',
      phoneVerified: true,
      employeeId: 'E1',
    });
    await deliverNotification(w.deps, w.message());
    expect(states(w.n)).toEqual({ wecom: ['skipped', 'not_following', 1], sms: ['sent', null, 1] });
    expect(w.sms.sent.map((s) => s.to)).toEqual(['13800000000']);
    expect(w.n.smsTaken).toBe(1);
  });

  it('tries every channel in redundant mode', async () => {
    const w = world();
    w.n.ruleSet = { freeze: { channels: ['wecom', 'sms'], mode: 'redundant' } };
    await deliverNotification(w.deps, w.message());
    expect(states(w.n)).toEqual({ wecom: ['sent', null, 1], sms: ['sent', null, 1] });
  });

  it('comes back through the queue after a transient failure, without sending twice what was sent', async () => {
    const w = world();
    w.n.ruleSet = { freeze: { channels: ['wecom', 'sms'], mode: 'redundant' } };
    w.sms.script.push({ ok: false, providerCode: 'isv.BUSINESS_LIMIT_CONTROL', cause: 'rate_limited' });
    const pending = w.message();
    await expect(deliverNotification(w.deps, pending)).rejects.toBeInstanceOf(DeliveryIncomplete);
    expect(states(w.n)).toEqual({ wecom: ['sent', null, 1], sms: ['retry', 'rate_limited', 1] });
    expect(w.n.logs).toEqual([]);
    await deliverNotification(w.deps, pending);
    expect(w.wecom.sent).toHaveLength(1);
    expect(w.sms.sent).toHaveLength(2);
    expect(states(w.n)).toEqual({ wecom: ['sent', null, 1], sms: ['sent', null, 2] });
    expect(w.n.logs.at(-1)?.logged.delivered).toBe(true);
  });

  it('tells the home site’s managers once when nobody was reached, and never for the inbox-only rule', async () => {
    const w = world();
    w.n.people.set('per_1', {});
    await deliverNotification(w.deps, w.message());
    expect(states(w.n)).toEqual({ wecom: ['skipped', 'not_bound', 1], sms: ['skipped', 'not_bound', 1] });
    expect(w.n.alerts).toEqual([
      expect.objectContaining({
        kind: 'undelivered_alert',
        mailbox: 'SITE#site_zh#site_manager',
        undelivered: { messageId: 'msg_1', kind: 'freeze' },
      }),
    ]);
    expect(w.n.logs.at(-1)?.logged.delivered).toBe(false);
    w.n.ruleSet = { freeze: { channels: [], mode: 'first_success' } };
    await deliverNotification(w.deps, w.message());
    expect(w.n.alerts).toHaveLength(1);
  });

  it('alerts on a message still undelivered past its deadline even while a retry is pending', async () => {
    const w = world();
    w.n.ruleSet = { freeze: { channels: ['wecom'], mode: 'first_success' } };
    const pending = w.message();
    w.wecom.script.push({ ok: false, providerCode: '45009', cause: 'rate_limited' });
    await expect(deliverNotification(w.deps, pending)).rejects.toBeInstanceOf(DeliveryIncomplete);
    expect(w.n.alerts).toEqual([]);
    // At the deadline to the millisecond it is not yet late.
    w.clock.set('2026-06-01T02:30:00Z');
    w.wecom.script.push({ ok: false, providerCode: '45009', cause: 'rate_limited' });
    await expect(deliverNotification(w.deps, pending)).rejects.toBeInstanceOf(DeliveryIncomplete);
    expect(w.n.alerts).toEqual([]);
    w.clock.set('2026-06-01T02:31:00Z');
    w.wecom.script.push({ ok: false, providerCode: '45009', cause: 'rate_limited' });
    await expect(deliverNotification(w.deps, pending)).rejects.toBeInstanceOf(DeliveryIncomplete);
    expect(w.n.alerts).toHaveLength(1);
  });

  it('posts a group mailbox’s message by its robot (not through a person’s channels), retrying a throttled one', async () => {
    const w = world();
    const pending = w.message({ mailbox: 'SITE#site_zh#site_manager' });
    w.robot.script.push({ ok: false, providerCode: '45009', cause: 'rate_limited' });
    await expect(deliverNotification(w.deps, pending)).rejects.toBeInstanceOf(DeliveryIncomplete);
    await deliverNotification(w.deps, pending);
    expect(w.robot.sent.map((s) => s.to)).toEqual(['robot-key', 'robot-key']);
    expect(w.wecom.sent).toEqual([]);
    expect(states(w.n)).toEqual({ 'robot:r1': ['sent', null, 2] });
    // A mailbox without a robot is read in the inbox only.
    await deliverNotification(w.deps, w.message({ mailbox: 'ROLE#hr' }));
    expect(w.robot.sent).toHaveLength(2);
  });

  it('skips SMS once the tenant’s own monthly quota is used', async () => {
    const w = world();
    w.n.settings.sms.monthlyQuota = 1;
    w.n.ruleSet = { freeze: { channels: ['sms'], mode: 'first_success' } };
    await deliverNotification(w.deps, w.message());
    await deliverNotification(w.deps, w.message());
    expect(w.sms.sent).toHaveLength(1);
    expect([...w.n.records.values()].map((r) => [r.messageId, r.state, r.cause ?? null])).toEqual([
      ['msg_1', 'sent', null],
      ['msg_2', 'skipped', 'tenant_quota_exhausted'],
    ]);
  });
});

describe('sending on one channel (sendOn)', () => {
  const out: OutgoingMessage = {
    title: '证书过期',
    markdown: '**证书过期**\n\n<b>张*</b> & "李*"',
    smsParams: { name: '张*', kind: '证书过期' },
    idempotencyKey: 'msg_1#x',
  };
  const to: Bindings = {
    wecomUserId: 'zhangsan',
    dingtalkUserId: 'ding_1',
    phone: '13800000000',
    email: 'zhang@example.cn',
  };

  it('hands WeCom and DingTalk the tenant’s application and the person’s account there', async () => {
    const w = world();
    const asked: unknown[] = [];
    w.deps.wecom.sendApp = async (app, user) => {
      asked.push(['wecom', app, user]);
      return { ok: true, providerCode: '0' };
    };
    w.deps.dingtalk.sendWork = async (app, user) => {
      asked.push(['dingtalk', app, user]);
      return { ok: true, providerCode: '0' };
    };
    w.n.settings.dingtalk = { enabled: true, appKey: 'dk', agentId: '77' };
    const secrets = { wecomSecret: 'ws', dingtalkAppSecret: 'ds' };
    w.deps.credentials = { read: async () => secrets, merge: async () => secrets };
    const t = await tenantChannels(w.deps, TENANT);
    await sendOn(w.deps, 'wecom', TENANT, t, to, out);
    await sendOn(w.deps, 'dingtalk', TENANT, t, to, out);
    // Nothing configured or bound: empty values, never another channel's or a placeholder.
    const bare = await tenantChannels(
      { ...w.deps, credentials: { read: async () => ({}), merge: async () => ({}) } },
      TENANT,
    );
    bare.settings.wecom = { enabled: true };
    bare.settings.dingtalk = { enabled: true };
    await sendOn(w.deps, 'wecom', TENANT, bare, {}, out);
    await sendOn(w.deps, 'dingtalk', TENANT, bare, {}, out);
    expect(asked).toEqual([
      ['wecom', { corpId: 'corp', agentId: '1000002', secret: 'ws' }, 'zhangsan'],
      ['dingtalk', { appKey: 'dk', appSecret: 'ds', agentId: '77' }, 'ding_1'],
      ['wecom', { corpId: '', agentId: '', secret: '' }, ''],
      ['dingtalk', { appKey: '', appSecret: '', agentId: '' }, ''],
    ]);
  });

  it('sends SMS through the tenant’s provider with its account, after taking the monthly quota', async () => {
    const w = world();
    const asked: unknown[] = [];
    w.deps.sms.send = async (account, phone) => {
      asked.push(['aliyun', account, phone]);
      return { ok: true, providerCode: 'OK', providerMessageId: 'biz_1' };
    };
    w.deps.awsSms = {
      send: async (account: unknown, phone: string) => {
        asked.push(['aws', account, phone]);
        return { ok: true, providerCode: 'aws' };
      },
    } as never;
    const t = await tenantChannels(w.deps, TENANT);
    expect(await sendOn(w.deps, 'sms', TENANT, t, to, out)).toEqual({
      ok: true,
      providerCode: 'OK',
      providerMessageId: 'biz_1',
    });
    t.settings.sms = { ...t.settings.sms, provider: 'aws', originationIdentity: '+8610000' };
    await sendOn(w.deps, 'sms', TENANT, t, to, out);
    t.settings.sms = { enabled: true, provider: 'aws', monthlyQuota: 100 };
    await sendOn(w.deps, 'sms', TENANT, t, {}, out);
    t.settings.sms = { enabled: true, provider: 'aliyun', monthlyQuota: 100 };
    await sendOn(w.deps, 'sms', TENANT, { ...t, secrets: {} }, {}, out);
    expect(asked).toEqual([
      [
        'aliyun',
        { accessKeyId: 'ak', accessKeySecret: 'a', signName: '安全', templateCode: 'SMS_1' },
        '13800000000',
      ],
      ['aws', { originationIdentity: '+8610000' }, '13800000000'],
      ['aws', { originationIdentity: '' }, ''],
      ['aliyun', { accessKeyId: '', accessKeySecret: '', signName: '', templateCode: '' }, ''],
    ]);
    expect(w.n.smsTaken).toBe(4);
    // The quota is the product's own: used up, the provider is not asked at all.
    t.settings.sms.monthlyQuota = 4;
    expect(await sendOn(w.deps, 'sms', TENANT, t, to, out)).toEqual({
      ok: false,
      providerCode: 'quota',
      cause: 'tenant_quota_exhausted',
    });
    expect(asked).toHaveLength(4);
  });

  it('mails the message as escaped HTML from the deployment’s sender, tagged with whose address it is', async () => {
    const w = world();
    const mails: Record<string, unknown>[] = [];
    w.deps.mailer = {
      send: async (mail: Record<string, unknown>) => {
        mails.push(mail);
        return 'ses-1';
      },
    } as never;
    w.deps.mailFrom = 'noreply@safety.example.cn';
    const t = await tenantChannels(w.deps, TENANT);
    expect(await sendOn(w.deps, 'email', TENANT, t, to, out, 'per_1')).toEqual({
      ok: true,
      providerCode: 'accepted',
      providerMessageId: 'ses-1',
    });
    await sendOn({ ...w.deps, mailFrom: undefined }, 'email', TENANT, t, {}, out);
    expect(mails).toEqual([
      {
        from: 'noreply@safety.example.cn',
        to: ['zhang@example.cn'],
        subject: '证书过期',
        html: '<p>**证书过期**<br><br>&lt;b&gt;张*&lt;/b&gt; &amp; &quot;李*&quot;</p>',
        attachments: [],
        tags: { tenantId: TENANT, personId: 'per_1' },
      },
      {
        from: '',
        to: [''],
        subject: '证书过期',
        html: expect.any(String),
        attachments: [],
      },
    ]);
  });

  it.each([
    ['ProviderNotConfigured', undefined, 'not_configured'],
    ['ThrottlingException', undefined, 'provider_down'],
    ['TooManyRequestsException', undefined, 'provider_down'],
    ['ServiceUnavailable', undefined, 'provider_down'],
    ['TimeoutError', undefined, 'provider_down'],
    ['Error', 'ECONNREFUSED', 'provider_down'],
    ['Error', 'ETIMEDOUT', 'provider_down'],
    ['MessageRejected', undefined, 'unknown'],
    ['Error', 'EACCES', 'unknown'],
  ])('reads a mailer failure %s (%s) as %s', async (name, code, cause) => {
    const w = world();
    w.deps.mailer = {
      send: async () => {
        throw Object.assign(new Error('refused'), { name, ...(code ? { code } : {}) });
      },
    } as never;
    const t = await tenantChannels(w.deps, TENANT);
    expect(await sendOn(w.deps, 'email', TENANT, t, to, out)).toEqual({
      ok: false,
      providerCode: name,
      cause,
    });
  });
});

describe('what a channel is given (outgoing)', () => {
  it('carries the zh-CN title and text, the masked name for SMS, and a key per message and channel', () => {
    const m = {
      messageId: 'msg_9',
      mailbox: 'PERSON#per_1',
      kind: 'freeze_notice',
      personId: 'per_1',
      nameMasked: '张*',
      color: 'red',
      reasons: [{ code: 'expired' }],
      createdAt: '2026-06-01T02:00:00Z',
    } as unknown as InboxMessage;
    const { title, body } = messageText(m, 'zh');
    expect(title).toMatch(/[\u4e00-\u9fff]/);
    expect(outgoing(m, 'sms')).toEqual({
      title,
      markdown: `**${title}**\n\n${body}`,
      smsParams: { name: '张*', kind: title },
      idempotencyKey: 'msg_9#sms',
    });
  });
});

describe('a person’s message, channel by channel (details)', () => {
  it('does nothing for a message that is no longer there', async () => {
    const w = world();
    await expect(deliverNotification(w.deps, { pk: 'T#acme#OUTBOX', sk: 'gone' })).resolves.toBeUndefined();
    expect(w.n.records.size).toBe(0);
  });

  it('reaches nobody with the inbox-only rule and writes nothing for it', async () => {
    const w = world();
    const pending = w.message();
    const m = w.n.messages.get(pending.sk) as InboxMessage & { tenantId: string };
    const t = await tenantChannels(w.deps, TENANT);
    expect(await deliverMessage(w.deps, m, t, { channels: [], mode: 'first_success' })).toBe(false);
    expect(w.n.opened).toEqual([]);
    expect(await deliverMessage(w.deps, m, t, { channels: ['wecom'], mode: 'first_success' })).toBe(true);
    expect(w.n.opened).toEqual([
      { messageId: 'msg_1', personId: 'per_1', kind: 'freeze', createdAt: '2026-06-01T02:00:00.000Z' },
    ]);
  });

  it('counts what earlier rounds settled: a failed or skipped channel is not tried again, a robot’s record is not the person’s', async () => {
    const w = world();
    const pending = w.message();
    w.n.settled('msg_1', 'wecom', 'failed', { cause: 'invalid_credentials' });
    w.n.settled('msg_1', 'robot:r1', 'sent');
    await deliverNotification(w.deps, pending);
    expect(w.wecom.sent).toEqual([]);
    expect(w.sms.sent).toHaveLength(1);
    expect(states(w.n)).toMatchObject({
      wecom: ['failed', 'invalid_credentials', 1],
      sms: ['sent', null, 1],
    });
  });

  it('takes a channel sent in an earlier round as reached, and a skipped one without its cause as unknown', async () => {
    const w = world();
    const pending = w.message();
    w.n.settled('msg_1', 'wecom', 'sent');
    await deliverNotification(w.deps, pending);
    expect(w.wecom.sent).toEqual([]);
    expect(w.sms.sent).toEqual([]);
    expect(w.n.alerts).toEqual([]);
    expect(w.n.logs.at(-1)?.logged.delivered).toBe(true);

    const w2 = world();
    w2.n.ruleSet = { freeze: { channels: ['wecom'], mode: 'first_success' } };
    const p2 = w2.message();
    w2.n.settled('msg_1', 'wecom', 'skipped');
    await deliverNotification(w2.deps, p2);
    expect(w2.wecom.sent).toEqual([]);
    expect(w2.n.alerts).toHaveLength(1);
  });

  it('leaves a channel another delivery holds to it, and comes back later instead of reporting', async () => {
    const w = world();
    w.n.ruleSet = { freeze: { channels: ['wecom'], mode: 'first_success' } };
    const pending = w.message();
    w.n.claims.add('msg_1#wecom');
    await expect(deliverNotification(w.deps, pending)).rejects.toBeInstanceOf(DeliveryIncomplete);
    expect(w.wecom.sent).toEqual([]);
    expect(w.n.logs).toEqual([]);
    expect(w.n.alerts).toEqual([]);
  });

  it('records a final refusal as failed with its cause and code, and the provider’s message id; reads Aliyun receipts back', async () => {
    const w = world();
    w.n.ruleSet = { freeze: { channels: ['wecom', 'sms'], mode: 'redundant' } };
    w.wecom.script.push({ ok: false, providerCode: '81013', cause: 'invalid_credentials' });
    w.sms.script.push({ ok: true, providerCode: 'OK', providerMessageId: 'biz_9' });
    await metricsFlushed(); // earlier tests' points are not this one's
    const metrics = captureMetrics();
    try {
      await deliverNotification(w.deps, w.message());
    } finally {
      const points = (await metrics.stop()).filter((p) => p.name === 'Notification');
      expect(points.map((p) => p.dimensions)).toEqual([
        expect.objectContaining({ channel: 'wecom', outcome: 'failed', cause: 'invalid_credentials' }),
        expect.not.objectContaining({ cause: expect.anything() }),
      ]);
      expect(points[1]?.dimensions).toMatchObject({ channel: 'sms', outcome: 'sent' });
    }
    expect([...w.n.records.values()].map(({ updatedAt: _, ...r }) => r)).toEqual([
      {
        messageId: 'msg_1',
        channel: 'wecom',
        state: 'failed',
        providerCode: '81013',
        cause: 'invalid_credentials',
        attempts: 1,
      },
      {
        messageId: 'msg_1',
        channel: 'sms',
        state: 'sent',
        providerCode: 'OK',
        providerMessageId: 'biz_9',
        attempts: 1,
      },
    ]);
    expect(w.n.receipts).toEqual(['msg_1#sms']);
    // A provider's failure without a cause is an unknown one: final, not retried.
    const w2 = world();
    w2.n.ruleSet = { freeze: { channels: ['wecom'], mode: 'first_success' } };
    w2.wecom.script.push({ ok: false, providerCode: '500' });
    await deliverNotification(w2.deps, w2.message());
    expect(states(w2.n)).toEqual({ wecom: ['failed', null, 1] });
    expect(w2.n.alerts).toHaveLength(1);
  });

  it('reads no receipt back for a send without a provider id, on AWS SMS, or on WeCom', async () => {
    const w = world();
    w.n.ruleSet = { freeze: { channels: ['wecom', 'sms'], mode: 'redundant' } };
    w.wecom.script.push({ ok: true, providerCode: '0', providerMessageId: 'wc-1' });
    await deliverNotification(w.deps, w.message());
    expect(w.n.receipts).toEqual([]);
    // A refused SMS has nothing to read back, even with the provider's id.
    w.sms.script.push({
      ok: false,
      providerCode: 'isv.MOBILE_NUMBER_ILLEGAL',
      cause: 'not_bound',
      providerMessageId: 'biz_x',
    });
    await deliverNotification(w.deps, w.message());
    expect(w.n.receipts).toEqual([]);
    w.n.settings.sms = { enabled: true, provider: 'aws', originationIdentity: '+86100', monthlyQuota: 100 };
    w.deps.awsSms = {
      send: async () => ({ ok: true, providerCode: 'aws', providerMessageId: 'aws-1' }),
    } as never;
    await deliverNotification(w.deps, w.message());
    expect(w.n.receipts).toEqual([]);
  });

  it('needs no other round once first_success reached the person, though an earlier channel asked for one', async () => {
    const w = world();
    w.wecom.script.push({ ok: false, providerCode: '45009', cause: 'rate_limited' });
    await metricsFlushed();
    const metrics = captureMetrics();
    try {
      await deliverNotification(w.deps, w.message());
    } finally {
      const points = (await metrics.stop()).filter((p) => p.name === 'Notification');
      expect(points.map((p) => [p.dimensions.channel, p.dimensions.outcome])).toEqual([
        ['wecom', 'retry'],
        ['sms', 'sent'],
      ]);
    }
    expect(states(w.n)).toEqual({ wecom: ['retry', 'rate_limited', 1], sms: ['sent', null, 1] });
    expect(w.n.logs.at(-1)?.logged.delivered).toBe(true);
  });

  it('tells HR when the person has no home site', async () => {
    const w = world();
    w.n.people.set('per_1', {});
    w.deps.people = { get: async () => ({ name: '张三' }) };
    await deliverNotification(w.deps, w.message());
    expect(w.n.alerts).toEqual([
      expect.objectContaining({ mailbox: 'ROLE#hr', personId: 'per_1', nameMasked: '张*', reasons: [] }),
    ]);
    // A person no longer on file: HR too, not a failure.
    w.deps.people = { get: async () => undefined };
    await deliverNotification(w.deps, w.message());
    expect(w.n.alerts.at(-1)).toMatchObject({ mailbox: 'ROLE#hr', undelivered: { messageId: 'msg_2' } });
  });

  it('logs every channel as it stands: state, cause, provider code and how often it was tried', async () => {
    const w = world();
    w.n.settled('m', 'wecom', 'failed', { cause: 'invalid_credentials', providerCode: '81013', attempts: 2 });
    w.n.settled('m', 'sms', 'delivered', { providerCode: 'DELIVERED' });
    await writeLog(w.deps, TENANT, {
      messageId: 'm',
      personId: 'per_1',
      kind: 'freeze_notice',
      createdAt: '2026-06-01T02:00:00Z',
    });
    expect(w.n.logs).toEqual([
      {
        personId: 'per_1',
        logged: {
          messageId: 'm',
          kind: 'freeze_notice',
          at: '2026-06-01T02:00:00Z',
          delivered: true,
          channels: [
            {
              channel: 'wecom',
              state: 'failed',
              cause: 'invalid_credentials',
              providerCode: '81013',
              attempts: 2,
            },
            { channel: 'sms', state: 'delivered', providerCode: 'DELIVERED', attempts: 1 },
          ],
        },
      },
    ]);
    w.n.records.clear();
    w.n.settled('m', 'sms', 'retry', { attempts: 3 });
    await writeLog(w.deps, TENANT, {
      messageId: 'm',
      personId: 'per_1',
      kind: 'freeze_notice',
      createdAt: '2026-06-01T02:00:00Z',
    });
    expect(w.n.logs.at(-1)?.logged).toMatchObject({
      delivered: false,
      channels: [{ channel: 'sms', state: 'retry', attempts: 3 }],
    });
  });
});

describe('a group mailbox’s robots (details)', () => {
  it('skips a robot whose key is not set, and one another delivery holds; prefixes the keyword; a final failure is not retried', async () => {
    const w = world();
    const asked: unknown[] = [];
    w.deps.wecom.sendRobot = async (r, m) => {
      asked.push(['wecom', r, m.markdown]);
      return { ok: false, providerCode: '93000', cause: 'invalid_credentials' };
    };
    w.deps.dingtalk.sendRobot = async (r, m) => {
      asked.push(['dingtalk', r, m.markdown]);
      return { ok: true, providerCode: '0' };
    };
    const secrets: ChannelSecrets = {
      robots: { r1: { key: 'wk' }, r2: { key: 'dk', secret: 'SEC' }, r4: { key: 'dk4' } },
    };
    w.deps.credentials = { read: async () => secrets, merge: async () => secrets };
    w.n.settings.robots = [
      { robotId: 'r1', mailbox: 'SITE#site_zh#site_manager', provider: 'wecom', keyword: '安全' },
      { robotId: 'r2', mailbox: 'SITE#site_zh#site_manager', provider: 'dingtalk' },
      { robotId: 'r3', mailbox: 'SITE#site_zh#site_manager', provider: 'wecom' },
      { robotId: 'r4', mailbox: 'SITE#site_zh#site_manager', provider: 'dingtalk' },
      { robotId: 'r5', mailbox: 'ROLE#hr', provider: 'wecom' },
    ];
    const pending = w.message({ mailbox: 'SITE#site_zh#site_manager' });
    w.n.claims.add('msg_1#robot:r4');
    await metricsFlushed();
    const metrics = captureMetrics();
    try {
      await deliverNotification(w.deps, pending);
    } finally {
      const points = (await metrics.stop()).filter((p) => p.name === 'Notification');
      expect(points.map((p) => p.dimensions)).toEqual([
        expect.objectContaining({ channel: 'wecom', outcome: 'failed', cause: 'invalid_credentials' }),
        expect.objectContaining({ channel: 'dingtalk', outcome: 'sent' }),
      ]);
    }
    const markdown = outgoing(w.n.messages.get('msg_1') as InboxMessage, 'robot:r1').markdown;
    expect(asked).toEqual([
      ['wecom', { kind: 'wecom', key: 'wk' }, `安全：${markdown}`],
      ['dingtalk', { kind: 'dingtalk', key: 'dk', secret: 'SEC' }, markdown],
    ]);
    expect(
      [...w.n.records.values()].map((r) => [r.channel, r.state, r.cause ?? null, r.providerCode ?? null]),
    ).toEqual([
      ['robot:r1', 'failed', 'invalid_credentials', '93000'],
      ['robot:r2', 'sent', null, '0'],
      ['robot:r3', 'skipped', 'not_configured', null],
    ]);
    expect(w.n.opened).toEqual([
      { messageId: 'msg_1', personId: 'per_1', kind: 'freeze', createdAt: '2026-06-01T02:00:00.000Z' },
    ]);
    // A mailbox no robot serves opens nothing.
    await deliverNotification(w.deps, w.message({ mailbox: 'SITE#other#site_manager' }));
    expect(w.n.opened).toHaveLength(1);
  });

  it('counts a throttled robot as a retry', async () => {
    const w = world();
    w.robot.script.push({ ok: false, providerCode: '45009', cause: 'rate_limited' });
    await metricsFlushed();
    const metrics = captureMetrics();
    try {
      await expect(
        deliverNotification(w.deps, w.message({ mailbox: 'SITE#site_zh#site_manager' })),
      ).rejects.toBeInstanceOf(DeliveryIncomplete);
    } finally {
      const points = (await metrics.stop()).filter((p) => p.name === 'Notification');
      expect(points.map((p) => [p.dimensions.channel, p.dimensions.outcome, p.dimensions.cause])).toEqual([
        ['wecom', 'retry', 'rate_limited'],
      ]);
    }
  });

  it('handles a tenant with no robot keys at all', async () => {
    const w = world();
    w.deps.credentials = { read: async () => ({}), merge: async () => ({}) };
    await deliverNotification(w.deps, w.message({ mailbox: 'SITE#site_zh#site_manager' }));
    expect(states(w.n)).toEqual({ 'robot:r1': ['skipped', 'not_configured', 1] });
  });
});
