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
import { deliverNotification } from '../../functions/notifications/deliveries.ts';
import { type DeliveryDeps, DeliveryIncomplete } from '../../functions/notifications/delivery-deps.ts';
import {
  type ChannelSettings,
  DEFAULT_CHANNELS,
  type DeliveryRecord,
  type LoggedMessage,
  type Target,
} from '../../functions/notifications/notification-records.ts';
import type { NotificationStores } from '../../functions/notifications/notification-stores.ts';
import { TestClock } from '../support/fakes.ts';

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
  smsTaken = 0;
  constructor(private readonly clock: TestClock) {}

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
      openMessage: async () => {},
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
      awaitReceipt: async () => {},
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
