// Delivery beyond the inbox (N1, N2) against the emulator and the channel simulator: a
// pending inbox message goes through the tenant's rule; first_success falls through a
// channel that does not reach the person; a redelivered queue message does not send twice;
// the product's SMS quota stops sends; the delivery log says what happened.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelCredentials,
  documentClient,
  notificationStore,
  personRepository,
  table,
} from '../../functions/composition-root.ts';
import { AliyunSmsProvider } from '../../functions/notifications/aliyun-sms-provider.ts';
import { AwsSmsProvider } from '../../functions/notifications/aws-sms-provider.ts';
import { deliverNotification, onMailEvent, relayPending } from '../../functions/notifications/deliveries.ts';
import { DingtalkProvider } from '../../functions/notifications/dingtalk-provider.ts';
import { InboxNotifier } from '../../functions/notifications/inbox-store.ts';
import type { PendingMessage } from '../../functions/notifications/notification-records.ts';
import { queueReceipts, readReceipt } from '../../functions/notifications/receipts.ts';
import { WecomProvider } from '../../functions/notifications/wecom-provider.ts';
import { systemClock } from '../../functions/shared/clock.ts';
import { transact } from '../../functions/shared/dynamo/transactions.ts';
import type { WorkMessage } from '../../functions/shared/work-queue.ts';
import {
  SIMULATED_ACCOUNTS as A,
  type ChannelSimulator,
  startChannelSimulator,
} from '../../infra/local/channel-simulator.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, newSubcontractor } from '../support/fixtures.ts';

// Secrets Manager is shared by every test file on the emulator: a tenant of this run only.
const TENANT = `notify-${randomUUID().slice(0, 8)}`;
let api: TestApi;
let admin: ApiClient;
let sim: ChannelSimulator;
let personId: string;
const queued: WorkMessage[] = [];
const mails: string[] = [];

const deps = () => ({
  notifications: notificationStore(),
  credentials: channelCredentials(),
  wecom: new WecomProvider(sim.url),
  dingtalk: new DingtalkProvider(sim.url),
  sms: new AliyunSmsProvider(sim.url),
  awsSms: new AwsSmsProvider(sim.url),
  mailer: { send: async (m: { to: string[] }) => (mails.push(...m.to), `mail-${mails.length}`) },
  workQueue: { send: async (m: WorkMessage[]) => void queued.push(...m) },
  people: personRepository(),
  clock: systemClock,
  mailFrom: 'safety@example.com',
});

async function notice(): Promise<PendingMessage> {
  const prepared = new InboxNotifier(table()).prepare(
    TENANT,
    [
      {
        kind: 'freeze_notice',
        mailbox: `PERSON#${personId}`,
        personId,
        nameMasked: '钱*傅',
        color: 'red',
        reasons: [],
      },
    ],
    new Date(),
  );
  await transact(documentClient(), prepared);
  queued.length = 0;
  await relayPending(deps());
  const mine = queued.filter((q) => q.type === 'deliver-notification') as (PendingMessage & {
    type: string;
  })[];
  expect(mine.length).toBeGreaterThan(0);
  return mine.at(-1) as PendingMessage;
}

const admin0 = { tenantId: TENANT, subject: 'test-admin', role: 'group_admin' as const, siteIds: [] };

beforeAll(async () => {
  api = await startTestApi();
  sim = await startChannelSimulator();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  const sub = await newSubcontractor(admin, '丙劳务公司');
  personId = (
    await admin.post('/people', {
      name: '钱师傅',
      idNumber: newIdNumber(),
      employer: { type: 'subcontractor', subcontractorId: sub },
    })
  ).body.personId;
  const store = notificationStore();
  await store.saveSetting(
    admin0 as never,
    'channels',
    {
      wecom: { enabled: true, corpId: A.wecom.corpId, agentId: A.wecom.agentId },
      dingtalk: { enabled: false },
      sms: {
        enabled: true,
        provider: 'aliyun',
        accessKeyId: A.aliyun.accessKeyId,
        signName: A.aliyun.signName,
        templateCode: A.aliyun.templateCode,
        monthlyQuota: 1,
      },
      email: { enabled: true },
    },
    'req-1',
  );
  await channelCredentials().merge(TENANT, {
    wecomSecret: A.wecom.secret,
    aliyunAccessKeySecret: A.aliyun.accessKeySecret,
  });
  await store.saveBindings(
    admin0 as never,
    personId,
    {
      wecomUserId: 'qian',
      phone: '13800138000',
      employeeId: 'E9',
      phoneVerified: true,
      email: 'qian@example.com',
    },
    'req-2',
  );
}, 60_000);
afterAll(async () => {
  await sim.close();
  await api.close();
});

describe('delivery beyond the inbox', () => {
  it('first_success falls through a person who does not follow the app to SMS, once, and logs both', async () => {
    await notificationStore().saveSetting(
      admin0 as never,
      'notification-rules',
      { rules: { freeze_notice: { channels: ['wecom', 'sms'], mode: 'first_success' } } },
      'req-3',
    );
    sim.switches.notFollowing = ['qian'];
    const pending = await notice();
    await deliverNotification(deps(), pending);
    await deliverNotification(deps(), pending); // the queue redelivers
    expect(sim.sent.map((s) => s.provider)).toEqual(['aliyun_sms']);
    const log = await notificationStore().personLog(TENANT, personId, 10);
    expect(log[0]).toMatchObject({ kind: 'freeze_notice', delivered: true });
    expect(log[0]?.channels).toEqual(
      expect.arrayContaining([
        { channel: 'wecom', state: 'failed', cause: 'not_following', providerCode: '81013', attempts: 1 },
        { channel: 'sms', state: 'sent', providerCode: 'OK', attempts: 1 },
      ]),
    );
  });

  it('redundant mode reaches the person by email when the SMS quota is used up and WeCom does not reach them', async () => {
    await notificationStore().saveSetting(
      admin0 as never,
      'notification-rules',
      { rules: { freeze_notice: { channels: ['sms', 'wecom', 'email'], mode: 'redundant' } } },
      'req-4',
    );
    sim.sent.length = 0;
    const pending = await notice();
    await deliverNotification(deps(), pending);
    expect(sim.sent).toEqual([]); // SMS quota of 1 used above; WeCom: not following
    expect(mails).toEqual(['qian@example.com']);
    const log = await notificationStore().personLog(TENANT, personId, 1);
    expect(log[0]?.channels).toEqual(
      expect.arrayContaining([
        { channel: 'sms', state: 'skipped', cause: 'tenant_quota_exhausted', attempts: 0 },
        { channel: 'wecom', state: 'failed', cause: 'not_following', providerCode: '81013', attempts: 1 },
        { channel: 'email', state: 'sent', providerCode: 'accepted', attempts: 1 },
      ]),
    );
  });

  it('puts a message back on the queue when a channel is only rate-limited', async () => {
    await notificationStore().saveSetting(
      admin0 as never,
      'notification-rules',
      { rules: { freeze_notice: { channels: ['wecom'], mode: 'first_success' } } },
      'req-5',
    );
    sim.switches.notFollowing = [];
    sim.switches.rateLimited = true;
    const pending = await notice();
    await expect(deliverNotification(deps(), pending)).rejects.toThrow(/retrying/);
    sim.switches.rateLimited = false;
    await deliverNotification(deps(), pending);
    expect(sim.sent.filter((s) => s.provider === 'wecom_app')).toHaveLength(1);
  });

  it('stops mailing an address that bounced for good or complained, not one that bounced once', async () => {
    const store = notificationStore();
    expect(
      await onMailEvent(deps(), { eventType: 'Bounce', bounceType: 'Transient', tenantId: TENANT, personId }),
    ).toBe(false);
    expect((await store.bindings(TENANT, personId)).emailSuppressed).toBeUndefined();
    expect(await onMailEvent(deps(), { eventType: 'Complaint', tenantId: TENANT, personId })).toBe(true);
    expect((await store.bindings(TENANT, personId)).emailSuppressed).toBe(true);
    // Someone else's tenant or a person without an address: nothing to suppress.
    expect(await onMailEvent(deps(), { eventType: 'Complaint', tenantId: 'other', personId })).toBe(false);

    await store.saveSetting(
      admin0 as never,
      'notification-rules',
      { rules: { freeze_notice: { channels: ['email'], mode: 'first_success' } } },
      'req-6',
    );
    mails.length = 0;
    await deliverNotification(deps(), await notice());
    expect(mails).toEqual([]);
    const log = await store.personLog(TENANT, personId, 1);
    expect(log[0]?.channels).toEqual([
      { channel: 'email', state: 'skipped', cause: 'suppressed', attempts: 0 },
    ]);
  });

  it('reads SMS receipts back: delivered to the handset, or a number out of service with its fix', async () => {
    const store = notificationStore();
    const channels = await store.channels(TENANT);
    await store.saveSetting(
      admin0 as never,
      'channels',
      { ...channels, sms: { ...channels.sms, monthlyQuota: 100 } },
      'r7',
    );
    await store.saveSetting(
      admin0 as never,
      'notification-rules',
      { rules: { freeze_notice: { channels: ['sms'], mode: 'first_success' } } },
      'req-8',
    );
    const receipts = async () => {
      queued.length = 0;
      await queueReceipts(deps(), 500, 0);
      const due = queued.filter((q) => q.type === 'sms-receipt') as PendingMessage[];
      // An SMS of an earlier test whose receipt the simulator no longer has stays waiting.
      return (await Promise.all(due.map((k) => readReceipt(deps(), k)))).filter((r) => r !== 'waiting');
    };
    sim.switches.undeliverable = [];
    await deliverNotification(deps(), await notice());
    expect(await receipts()).toEqual(['delivered']);
    expect((await store.personLog(TENANT, personId, 1))[0]).toMatchObject({
      delivered: true,
      channels: [{ channel: 'sms', state: 'delivered', providerCode: 'DELIVERED' }],
    });
    expect(await receipts()).toEqual([]); // read once

    sim.switches.undeliverable = ['13800138000'];
    await deliverNotification(deps(), await notice());
    expect(await receipts()).toEqual(['failed']);
    expect((await store.personLog(TENANT, personId, 1))[0]).toMatchObject({
      delivered: false,
      channels: [
        {
          channel: 'sms',
          state: 'failed',
          cause: 'number_unreachable',
          providerCode: 'MOBILE_NOT_ON_SERVICE',
        },
      ],
    });
  });

  it('raises the undelivered alert of a message once, however often it is asked', async () => {
    const store = notificationStore();
    const m = await store.postInbox(TENANT, {
      kind: 'freeze_notice',
      mailbox: `PERSON#${personId}`,
      personId,
      nameMasked: '钱*傅',
      reasons: [],
    });
    await store.openMessage(TENANT, {
      messageId: m.messageId,
      personId,
      kind: m.kind,
      createdAt: m.createdAt,
    });
    const alert = {
      kind: 'undelivered_alert' as const,
      mailbox: 'ROLE#hr' as const,
      personId,
      nameMasked: '钱*傅',
      reasons: [],
      undelivered: { messageId: m.messageId, kind: m.kind },
    };
    expect(await store.raiseUndelivered(TENANT, m.messageId, alert)).toBe(true);
    expect(await store.raiseUndelivered(TENANT, m.messageId, alert)).toBe(false);
  });

  it('relays a burst page after page in one run, each message once', async () => {
    const store = notificationStore();
    await relayPending(deps()); // what earlier tests left pending (alerts)
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await store.postInbox(TENANT, {
            kind: 'review_task',
            mailbox: `PERSON#${personId}`,
            personId,
            nameMasked: '钱*傅',
            reasons: [],
          })
        ).messageId,
      );
    queued.length = 0;
    expect(await relayPending(deps(), 2)).toBe(5);
    const relayed = queued.map((q) => (q as PendingMessage).sk);
    expect(new Set(relayed).size).toBe(5);
    expect(ids.every((id) => relayed.some((sk) => sk.endsWith(id)))).toBe(true);
    expect(await relayPending(deps(), 2)).toBe(0);
  });

  it('goes on to the next channel of a first-success rule when the SMS receipt says it failed', async () => {
    const store = notificationStore();
    await store.saveSetting(
      admin0 as never,
      'notification-rules',
      { rules: { freeze_notice: { channels: ['sms', 'wecom'], mode: 'first_success' } } },
      'req-9',
    );
    sim.switches.undeliverable = ['13800138000'];
    sim.switches.notFollowing = [];
    sim.sent.length = 0;
    await deliverNotification(deps(), await notice());
    expect(sim.sent.map((m) => m.provider)).toEqual(['aliyun_sms']); // accepted: the first success
    queued.length = 0;
    await queueReceipts(deps(), 500, 0);
    for (const k of queued.filter((q) => q.type === 'sms-receipt') as PendingMessage[])
      await readReceipt(deps(), k);
    expect(sim.sent.map((m) => m.provider)).toEqual(['aliyun_sms', 'wecom_app']);
    const log = (await store.personLog(TENANT, personId, 1))[0];
    expect(log?.delivered).toBe(true);
    expect(log?.channels).toEqual(
      expect.arrayContaining([
        {
          channel: 'sms',
          state: 'failed',
          cause: 'number_unreachable',
          providerCode: 'MOBILE_NOT_ON_SERVICE',
          attempts: 1,
        },
        { channel: 'wecom', state: 'sent', providerCode: '0', attempts: 1 },
      ]),
    );
  });
});
