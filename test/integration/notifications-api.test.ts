// Notifications over HTTP (N1–N3) against the emulator and the channel simulator, ending
// with the brief's own story: reminders "went out" for weeks and nobody got them — the WeCom
// app was never enabled, two people never followed it, one had no phone bound with the
// employee id, and the rule was on SMS with the quota at zero. The diagnosis finds exactly
// those four causes, each with its fix; after the fixes a real send reaches everyone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SIMULATED_ACCOUNTS as A,
  type ChannelSimulator,
  startChannelSimulator,
} from '../../infra/local/channel-simulator.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber } from '../support/fixtures.ts';

// Secrets Manager is shared by every test file on the emulator: a tenant of this run only.
const TENANT = `brief-${randomUUID().slice(0, 8)}`;
let sim: ChannelSimulator;
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let manager: ApiClient;
let poller: WorkPoller;
let siteId: string;
const people: Record<'wang' | 'li' | 'zhang' | 'zhao', string> = { wang: '', li: '', zhang: '', zhao: '' };
const phones = { wang: '13800000001', li: '13800000002', zhang: '13800000003', zhao: '13800000004' };

const jobs = async (job: 'notification-relay' | 'binding-check') => {
  const { jobsAdapters, jobsHandler } = await import('../../functions/jobs/handler.ts');
  await asFunction('jobs', () => jobsHandler(jobsAdapters())({ job }));
  await poller.drained();
};

/** A notice to each of our four people, as the status engine writes it, then relayed and delivered. */
async function sendToEveryone(kind: 'freeze_notice' | 'unfreeze_notice'): Promise<string[]> {
  const { notificationStore } = await import('../../functions/composition-root.ts');
  const ids: string[] = [];
  for (const personId of Object.values(people)) {
    const m = await notificationStore().postInbox(TENANT, {
      kind,
      mailbox: `PERSON#${personId}`,
      personId,
      nameMasked: '王*',
      reasons: [],
    });
    ids.push(m.messageId);
  }
  await jobs('notification-relay');
  return ids;
}

beforeAll(async () => {
  sim = await startChannelSimulator();
  // Read once, when the composition root builds the providers: before any handler is imported.
  Object.assign(process.env, {
    WECOM_BASE_URL: sim.url,
    DINGTALK_BASE_URL: sim.url,
    ALIYUN_SMS_ENDPOINT: sim.url,
  });
  api = await startTestApi();
  const { handler: worker } = await import('../../functions/worker/handler.ts');
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '一号工地', code: 'S1', location: { lat: 30.2, lng: 120.1 } }))
    .body.siteId;
  manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
  for (const [who, name] of [
    ['wang', '王建国'],
    ['li', '李卫东'],
    ['zhang', '张国庆'],
    ['zhao', '赵红旗'],
  ] as const) {
    const res = await hr.post('/people', { name, idNumber: newIdNumber(), homeSiteId: siteId });
    expect(res.status).toBe(201);
    people[who] = res.body.personId;
    const bound = await hr.put(`/people/${res.body.personId}/bindings`, {
      wecomUserId: who,
      // 赵 never had a phone verified with the employee id.
      ...(who === 'zhao' ? {} : { phone: phones[who], employeeId: `E-${who}`, phoneVerified: true }),
    });
    expect(bound.status).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await poller?.stop();
  await api?.close();
  await sim?.close();
});

describe('channel settings', () => {
  it('refuses credentials the provider refuses, and stores nothing', async () => {
    const res = await admin.put('/settings/channels', {
      wecom: { enabled: true, corpId: A.wecom.corpId, agentId: A.wecom.agentId, secret: 'not-the-secret' },
    });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/^1 个渠道的验证调用被服务商拒绝/);
    expect(res.body.violations).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^wecom：服务商拒绝了验证调用（invalid_credentials，/),
        code: 'channel_refused',
        detail: expect.objectContaining({ channel: 'wecom', cause: 'invalid_credentials' }),
      }),
    ]);
    const after = await admin.get('/settings/channels');
    expect(after.body.wecom).toEqual({ enabled: false, secretSet: false });
  });

  it('asks for what enabling a channel needs', async () => {
    const res = await admin.put('/settings/channels', {
      sms: { enabled: true, accessKeyId: A.aliyun.accessKeyId },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['sms.signName', 'sms.templateCode', 'sms.secret']),
    );
  });

  it('keeps secrets write-only and lets only the group admin change channels', async () => {
    const res = await admin.put('/settings/channels', {
      // The brief's tenant: WeCom set up but never switched on; SMS on with no quota.
      wecom: { enabled: false, corpId: A.wecom.corpId, agentId: A.wecom.agentId, secret: A.wecom.secret },
      sms: {
        enabled: true,
        accessKeyId: A.aliyun.accessKeyId,
        accessKeySecret: A.aliyun.accessKeySecret,
        signName: A.aliyun.signName,
        templateCode: A.aliyun.templateCode,
        monthlyQuota: 0,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ sms: { ok: true, providerCode: 'OK' } });
    const read = await hr.get('/settings/channels');
    expect(read.body).toMatchObject({
      wecom: { secretSet: true },
      sms: { accessKeySecretSet: true, monthlyQuota: 0 },
    });
    expect(JSON.stringify(read.body)).not.toContain(A.wecom.secret);
    expect(JSON.stringify(read.body)).not.toContain(A.aliyun.accessKeySecret);
    expect((await manager.put('/settings/channels', { email: { enabled: false } })).status).toBe(403);
    expect((await hr.put('/settings/notification-rules', { rules: {} })).status).toBe(403);
  });

  it('takes group robots per mailbox, the webhook pasted whole and kept write-only', async () => {
    const bad = await admin.put('/settings/channels', {
      robots: [
        { mailbox: `SITE#${siteId}#site_manager`, provider: 'wecom', webhook: 'https://example.com/hook' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'robots.0.webhook', code: 'invalid_webhook' }),
    ]);
    const res = await admin.put('/settings/channels', {
      robots: [
        {
          mailbox: `SITE#${siteId}#site_manager`,
          provider: 'wecom',
          webhook: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${A.wecomRobotKey}`,
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.robots).toEqual([
      {
        robotId: 'robot-1',
        mailbox: `SITE#${siteId}#site_manager`,
        provider: 'wecom',
        webhookSet: true,
        signed: false,
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(A.wecomRobotKey);
    // The other channels kept what they had.
    expect(res.body.sms).toMatchObject({ enabled: true, accessKeySecretSet: true });
  });

  it('sets rules and refuses a channel listed twice', async () => {
    const bad = await admin.put('/settings/notification-rules', {
      rules: { freeze_notice: { channels: ['sms', 'sms'], mode: 'first_success' } },
    });
    expect(bad.status).toBe(400);
    const rule = { channels: ['sms', 'wecom'], mode: 'first_success' };
    const res = await admin.put('/settings/notification-rules', {
      rules: { freeze_notice: rule, unfreeze_notice: rule },
    });
    expect(res.status).toBe(200);
    expect((await manager.get('/settings/notification-rules')).body.rules.freeze_notice).toEqual(rule);
  });
});

describe('bindings', () => {
  it('shows phone and email masked, and answers 404 to another tenant and out of scope', async () => {
    const put = await hr.put(`/people/${people.wang}/bindings`, {
      wecomUserId: 'wang',
      phone: `+86${phones.wang}`,
      employeeId: 'E-wang',
      phoneVerified: true,
      email: 'wang.jianguo@example.com',
    });
    expect(put.body).toEqual({
      personId: people.wang,
      wecomUserId: 'wang',
      phoneMasked: '138****0001',
      employeeId: 'E-wang',
      phoneVerified: true,
      emailMasked: 'w***@example.com',
    });
    expect(JSON.stringify((await manager.get(`/people/${people.wang}/bindings`)).body)).not.toContain(
      phones.wang,
    );
    const other = await api.as({ tenantId: 'someone-else', role: 'group_admin' });
    expect((await other.get(`/people/${people.wang}/bindings`)).status).toBe(404);
    expect((await other.put(`/people/${people.wang}/bindings`, { wecomUserId: 'x' })).status).toBe(404);
    const elsewhere = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: ['site_0000000000'] });
    expect((await elsewhere.get(`/people/${people.wang}/bindings`)).status).toBe(404);
    expect((await manager.put(`/people/${people.wang}/bindings`, { wecomUserId: 'x' })).status).toBe(403);
  });

  it('refuses a phone that is not a mainland mobile and a verified phone without the employee id', async () => {
    expect((await hr.put(`/people/${people.li}/bindings`, { phone: '12345' })).status).toBe(400);
    const res = await hr.put(`/people/${people.li}/bindings`, {
      wecomUserId: 'li',
      phone: phones.li,
      phoneVerified: true,
    });
    expect(res.body.phoneVerified).toBe(false);
    await hr.put(`/people/${people.li}/bindings`, {
      wecomUserId: 'li',
      phone: phones.li,
      employeeId: 'E-li',
      phoneVerified: true,
    });
  });
});

describe('the brief’s case, end to end', () => {
  it('weeks of silence: nobody is reached, the site manager is told', async () => {
    sim.switches.notFollowing = ['li', 'zhang'];
    await jobs('binding-check');
    expect((await hr.get(`/people/${people.li}/bindings`)).body.wecomFollowing).toBe(false);
    expect((await hr.get(`/people/${people.wang}/bindings`)).body.wecomFollowing).toBe(true);

    const [first] = await sendToEveryone('freeze_notice');
    expect(sim.sent).toEqual([]);
    // The alerts go to the site managers' inbox, and their group robot posts them.
    await jobs('notification-relay');
    const posted = sim.sent.filter((m) => m.provider === 'wecom_robot');
    expect(posted).toHaveLength(4);
    expect(JSON.stringify(posted[0]?.body)).toContain('通知未送达');
    sim.sent.length = 0;
    const delivery = await hr.get(`/notifications/${first}`);
    expect(delivery.body).toMatchObject({ personId: people.wang, delivered: false });
    expect(delivery.body.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'sms', state: 'skipped', cause: 'tenant_quota_exhausted' }),
        expect.objectContaining({ channel: 'wecom', state: 'skipped', cause: 'channel_disabled' }),
      ]),
    );
    // Each channel's cause comes with what to do about it.
    expect(delivery.body.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'sms',
          fix: 'raise_sms_quota',
          fixText: expect.stringContaining('额度'),
        }),
        expect.objectContaining({ channel: 'wecom', fix: 'enable_channel', fixText: expect.any(String) }),
      ]),
    );
    const log = await hr.get(`/people/${people.wang}/notifications`);
    expect(log.body.items[0]).toMatchObject({ messageId: first, kind: 'freeze_notice', delivered: false });
    expect(log.body.items[0].channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'wecom', attempts: 0, fix: 'enable_channel' }), // skipped: never tried,
      ]),
    );
    // The worker reads their own delivery log (PIPL Art. 45), and nobody else's.
    const wang = await api.as({ tenantId: TENANT, role: 'worker', personId: people.wang });
    expect((await wang.get(`/people/${people.wang}/notifications`)).body.items[0]).toMatchObject({
      messageId: first,
    });
    expect((await wang.get(`/notifications/${first}`)).status).toBe(200);
    expect((await wang.get(`/people/${people.li}/notifications`)).status).toBe(404);
    const inbox = await manager.get('/me/inbox');
    const alerts = inbox.body.items.filter((m: { kind: string }) => m.kind === 'undelivered_alert');
    expect(alerts).toHaveLength(4);
    expect(alerts[0].title).toContain('通知未送达');
    // Another tenant cannot read the delivery.
    const other = await api.as({ tenantId: 'someone-else', role: 'group_admin' });
    expect((await other.get(`/notifications/${first}`)).status).toBe(404);
  });

  it('the tenant-wide diagnosis finds the four causes, each with its fix', async () => {
    const res = await admin.post('/diagnostics/notifications', { rule: 'freeze_notice' });
    expect(res.status).toBe(200);
    const byCause = Object.fromEntries(
      res.body.findings.map((f: { channel: string; cause: string }) => [`${f.channel}:${f.cause}`, f]),
    );
    expect(Object.keys(byCause).sort()).toEqual([
      'sms:not_bound',
      'sms:tenant_quota_exhausted',
      'wecom:channel_disabled',
      'wecom:not_following',
    ]);
    expect(byCause['wecom:channel_disabled']).toMatchObject({
      fix: 'enable_channel',
      applicable: true,
      people: 4,
    });
    expect(byCause['wecom:not_following']).toMatchObject({ fix: 'send_binding_guide', applicable: true });
    expect(byCause['wecom:not_following'].personIds.sort()).toEqual([people.li, people.zhang].sort());
    expect(byCause['sms:not_bound']).toMatchObject({ fix: 'bind_phone', personIds: [people.zhao] });
    expect(byCause['sms:tenant_quota_exhausted']).toMatchObject({ fix: 'raise_sms_quota', applicable: true });
    expect(byCause['sms:tenant_quota_exhausted'].explanation).toContain('短信额度');
    expect(res.body.unreachable).toHaveLength(4);

    const one = await manager.post('/diagnostics/notifications', {
      rule: 'freeze_notice',
      personId: people.zhao,
    });
    // Every cause on each channel of the rule, in the rule's order, then the verdict.
    expect(one.body.findings.map((f: { cause: string }) => f.cause)).toEqual([
      'not_bound',
      'tenant_quota_exhausted',
      'channel_disabled',
      'unreachable',
    ]);
    expect(one.body.recent[0]).toMatchObject({ kind: 'freeze_notice', delivered: false });
    // A site manager may diagnose one person of their site, not the whole tenant.
    expect((await manager.post('/diagnostics/notifications', { rule: 'freeze_notice' })).status).toBe(403);
  });

  it('with the rule on SMS only (as the brief has it), still finds WeCom switched off and who does not follow it', async () => {
    const rules = (await admin.get('/settings/notification-rules')).body.rules;
    const smsOnly = { channels: ['sms'], mode: 'first_success' };
    expect(
      (await admin.put('/settings/notification-rules', { rules: { ...rules, review_task: smsOnly } })).status,
    ).toBe(200);
    const res = await admin.post(
      '/diagnostics/notifications',
      { rule: 'review_task' },
      { 'accept-language': 'en' },
    );
    expect(res.status).toBe(200);
    const wecom = res.body.otherChannelsSummary.find((o: { channel: string }) => o.channel === 'wecom');
    // Off for everyone; two of them do not follow the app; the others would be reached once it is on.
    expect(wecom).toMatchObject({
      people: 4,
      now: 0,
      ifEnabled: 2,
      causes: { channel_disabled: 4, not_following: 2 },
    });
    expect(wecom.explanation).toBe('WeCom (not in the rule): reaches 0 now, 2 once switched on, of 4.');
    const li = await admin.post('/diagnostics/notifications', {
      rule: 'review_task',
      personId: people.li,
    });
    expect(li.body.otherChannels).toContainEqual(
      expect.objectContaining({
        channel: 'wecom',
        reaches: 'no',
        causes: ['channel_disabled', 'not_following'],
      }),
    );
    const wang = await admin.post('/diagnostics/notifications', {
      rule: 'review_task',
      personId: people.wang,
    });
    expect(wang.body.otherChannels).toContainEqual(
      expect.objectContaining({ channel: 'wecom', reaches: 'if_enabled', causes: ['channel_disabled'] }),
    );
    await admin.put('/settings/notification-rules', { rules });
  });

  it('after the fixes a real send reaches all of them', async () => {
    expect(
      (await hr.post('/diagnostics/notifications/fixes', { fix: 'enable_channel', channel: 'wecom' })).status,
    ).toBe(403);
    for (const fix of [
      { fix: 'enable_channel', channel: 'wecom' },
      { fix: 'raise_sms_quota', monthlyQuota: 100 },
    ])
      expect((await admin.post('/diagnostics/notifications/fixes', fix)).body).toEqual({
        fix: fix.fix,
        applied: true,
      });
    // The guide goes out through a channel that does reach each person.
    const guides = await hr.post('/diagnostics/notifications/fixes', {
      fix: 'send_binding_guide',
      personIds: [people.li, people.zhang],
    });
    expect(guides.body.guides).toEqual([
      { personId: people.li, channel: 'sms', sent: true },
      { personId: people.zhang, channel: 'sms', sent: true },
    ]);
    const phone = await hr.post('/diagnostics/notifications/fixes', {
      fix: 'bind_phone',
      personIds: [people.zhao],
    });
    expect(phone.body.guides).toEqual([{ personId: people.zhao, channel: 'wecom', sent: true }]);
    expect(sim.sent.map((s) => s.to).sort()).toEqual([phones.li, phones.zhang, 'zhao'].sort());

    // The people act on the guide: two follow the app, 赵 has the phone verified.
    sim.switches.notFollowing = [];
    await hr.put(`/people/${people.zhao}/bindings`, {
      wecomUserId: 'zhao',
      phone: phones.zhao,
      employeeId: 'E-zhao',
      phoneVerified: true,
    });
    await jobs('binding-check');
    const again = await admin.post('/diagnostics/notifications', { rule: 'freeze_notice' });
    expect(again.body.findings).toEqual([]);
    expect(again.body.unreachable).toEqual([]);

    sim.sent.length = 0;
    const ids = await sendToEveryone('unfreeze_notice');
    expect(
      sim.sent
        .filter((s) => s.provider === 'aliyun_sms')
        .map((s) => s.to)
        .sort(),
    ).toEqual(Object.values(phones).sort());
    for (const id of ids) expect((await hr.get(`/notifications/${id}`)).body.delivered).toBe(true);
  });
});
