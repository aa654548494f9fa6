// The channel adapters against the local provider simulators (N1): every failure mode a
// tenant meets in production answers with its provider code and our cause.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AliyunSmsProvider } from '../../functions/notifications/aliyun-sms-provider.ts';
import { AwsSmsProvider } from '../../functions/notifications/aws-sms-provider.ts';
import type { OutgoingMessage } from '../../functions/notifications/channels.ts';
import { DingtalkProvider } from '../../functions/notifications/dingtalk-provider.ts';
import { WecomProvider } from '../../functions/notifications/wecom-provider.ts';
import {
  SIMULATED_ACCOUNTS as A,
  type ChannelSimulator,
  startChannelSimulator,
} from '../../infra/local/channel-simulator.ts';

let sim: ChannelSimulator;
const message: OutgoingMessage = {
  title: '证书提醒',
  markdown: '**提醒**：张\\*三 的焊工证 30 天后到期',
  smsParams: { name: '张*三', days: '30' },
  idempotencyKey: 'msg_1#sms',
};

beforeAll(async () => {
  sim = await startChannelSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

describe('WeCom', () => {
  it('sends an app message with a cached token, and fetches a new one once when told it expired', async () => {
    const wecom = new WecomProvider(sim.url);
    expect(await wecom.sendApp(A.wecom, 'zhangsan', message)).toMatchObject({ ok: true, providerCode: '0' });
    expect(await wecom.sendApp(A.wecom, 'lisi', message)).toMatchObject({ ok: true });
    expect(sim.tokensIssued).toBe(1);
    sim.switches.expireTokens = true;
    expect(await wecom.sendApp(A.wecom, 'wangwu', message)).toMatchObject({ ok: true });
    expect(sim.tokensIssued).toBe(2);
    expect(sim.sent.map((s) => s.to)).toEqual(['zhangsan', 'lisi', 'wangwu']);
    expect(sim.sent[0]?.body).toMatchObject({ msgtype: 'markdown', enable_duplicate_check: 1 });
  });

  it.each([
    ['a wrong secret', { secret: 'nope' }, {}, '40001', 'invalid_credentials'],
    ['a user who does not follow the app', {}, { notFollowing: ['zhaoliu'] }, '81013', 'not_following'],
    ['the rate limit', {}, { rateLimited: true }, '45009', 'rate_limited'],
    ['the provider down', {}, { down: true }, 'http_503', 'provider_down'],
  ])('maps %s', async (_, app, switches, providerCode, cause) => {
    Object.assign(sim.switches, switches);
    const outcome = await new WecomProvider(sim.url).sendApp({ ...A.wecom, ...app }, 'zhaoliu', message);
    expect(outcome).toEqual({ ok: false, providerCode, cause });
    expect(sim.sent).toEqual([]);
  });

  it('takes a robot key, and says what a wrong one is', async () => {
    const wecom = new WecomProvider(sim.url);
    expect(await wecom.sendRobot({ kind: 'wecom', key: A.wecomRobotKey }, message)).toMatchObject({
      ok: true,
    });
    expect(await wecom.sendRobot({ kind: 'wecom', key: 'not-the-key' }, message)).toMatchObject({
      cause: 'invalid_webhook',
    });
  });

  it('answers "provider down" when the provider is slower than the timeout', async () => {
    sim.switches.slowMs = 500;
    expect(await new WecomProvider(sim.url, 100).check(A.wecom)).toEqual({
      ok: false,
      providerCode: 'no_answer',
      cause: 'provider_down',
    });
  });
});

describe('DingTalk', () => {
  it('sends a work notification and a signed robot message', async () => {
    const ding = new DingtalkProvider(sim.url);
    expect(await ding.sendWork(A.dingtalk, 'ding-1', message)).toMatchObject({ ok: true });
    const robot = { kind: 'dingtalk' as const, key: A.dingtalkRobot.key, secret: A.dingtalkRobot.secret };
    expect(await ding.sendRobot(robot, message)).toMatchObject({ ok: true });
    expect(sim.sent.map((s) => s.provider)).toEqual(['dingtalk_work', 'dingtalk_robot']);
    // The signature travels in the query, and the simulator shows what it received.
    const query = new URLSearchParams(sim.sent[1]?.query);
    expect(query.get('access_token')).toBe(A.dingtalkRobot.key);
    expect(query.get('timestamp')).toMatch(/^\d{13}$/);
    expect(query.get('sign')).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('uses a robot secret the settings API itself accepts, so the signed path can be driven locally', async () => {
    const { ChannelSettingsBody } = await import('../../schemas/notifications.ts');
    const parsed = ChannelSettingsBody.safeParse({
      robots: [
        {
          mailbox: 'ROLE#hr',
          provider: 'dingtalk',
          webhook: A.dingtalkRobot.key,
          secret: A.dingtalkRobot.secret,
          keyword: A.dingtalkRobot.keyword,
        },
      ],
    });
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(A.dingtalkRobot.secret).toMatch(/^SEC[0-9a-f]{64}$/);
  });

  it.each([
    ['a wrong robot secret', { secret: 'SECwrong' }, message, 'bad_signature'],
    [
      'a message without the keyword',
      {},
      { ...message, title: 'x', markdown: 'no keyword here' },
      'keyword_missing',
    ],
    ['a robot that does not exist', { key: 'gone' }, message, 'invalid_webhook'],
  ])('maps %s', async (_, robot, msg, cause) => {
    const outcome = await new DingtalkProvider(sim.url).sendRobot(
      { kind: 'dingtalk', key: A.dingtalkRobot.key, secret: A.dingtalkRobot.secret, ...robot },
      msg,
    );
    expect(outcome).toMatchObject({ ok: false, cause });
  });

  it('signs with a clock within the hour only', async () => {
    const skewed = new DingtalkProvider(sim.url, 5000, () => Date.now() - 2 * 3600_000);
    const robot = { kind: 'dingtalk' as const, key: A.dingtalkRobot.key, secret: A.dingtalkRobot.secret };
    expect(await skewed.sendRobot(robot, message)).toMatchObject({ cause: 'bad_signature' });
  });

  it('maps wrong app credentials and "send too fast"', async () => {
    expect(await new DingtalkProvider(sim.url).check({ ...A.dingtalk, appSecret: 'x' })).toMatchObject({
      cause: 'invalid_credentials',
    });
    sim.switches.rateLimited = true;
    expect(await new DingtalkProvider(sim.url).sendWork(A.dingtalk, 'ding-1', message)).toMatchObject({
      cause: 'rate_limited',
    });
  });
});

describe('Aliyun SMS', () => {
  it('sends with a valid signature v1 and the approved sign and template', async () => {
    const sms = new AliyunSmsProvider(sim.url);
    expect(await sms.check(A.aliyun)).toEqual({ ok: true, providerCode: 'OK' });
    const outcome = await sms.send(A.aliyun, '13800138000', message);
    expect(outcome).toMatchObject({ ok: true, providerCode: 'OK' });
    expect(sim.sent[0]?.body).toMatchObject({
      TemplateParam: JSON.stringify(message.smsParams),
      OutId: 'msg_1#sms',
    });
  });

  it.each([
    ['a wrong key secret', { accessKeySecret: 'x' }, {}, 'SignatureDoesNotMatch', 'invalid_credentials'],
    [
      'an unapproved signature',
      { signName: '别的签名' },
      {},
      'isv.SMS_SIGNATURE_ILLEGAL',
      'template_not_approved',
    ],
    ['the day limit', {}, { quotaExhausted: true }, 'isv.DAY_LIMIT_CONTROL', 'provider_quota_exhausted'],
    ['an empty balance', {}, { balanceExhausted: true }, 'isv.OUT_OF_SERVICE', 'balance_exhausted'],
    ['the minute limit', {}, { rateLimited: true }, 'isv.BUSINESS_LIMIT_CONTROL', 'rate_limited'],
  ])('maps %s', async (_, account, switches, providerCode, cause) => {
    Object.assign(sim.switches, switches);
    const outcome = await new AliyunSmsProvider(sim.url).send(
      { ...A.aliyun, ...account },
      '13800138000',
      message,
    );
    expect(outcome).toEqual({ ok: false, providerCode, cause });
  });

  it('reports a signature under review on the dry call', async () => {
    expect(await new AliyunSmsProvider(sim.url).check({ ...A.aliyun, signName: '审核中' })).toMatchObject({
      ok: false,
      cause: 'template_not_approved',
    });
  });
});

describe('AWS End User Messaging SMS', () => {
  const account = { originationIdentity: A.awsSms.originationIdentity };

  it('sends from the origination identity to the number in E.164', async () => {
    const sms = new AwsSmsProvider(sim.url);
    const out = await sms.send(account, '13800138000', message);
    expect(out).toMatchObject({ ok: true, providerCode: 'OK' });
    expect(sim.sent.at(-1)).toMatchObject({
      provider: 'aws_sms',
      to: '+8613800138000',
      body: { MessageType: 'TRANSACTIONAL', OriginationIdentity: 'SpecialOps' },
    });
    expect(await sms.check(account)).toMatchObject({ ok: true });
    expect(sim.sent).toHaveLength(1); // the dry run sent nothing
  });

  it.each([
    [{ rateLimited: true }, account, 'ThrottlingException', 'rate_limited'],
    [{ quotaExhausted: true }, account, 'ServiceQuotaExceededException', 'provider_quota_exhausted'],
    [
      { optedOut: ['+8613800138000'] },
      account,
      'ConflictException/DESTINATION_PHONE_NUMBER_OPTED_OUT',
      'suppressed',
    ],
    [{}, { originationIdentity: 'NotOurs' }, 'ResourceNotFoundException', 'not_configured'],
  ] as const)('maps %j to our cause', async (switches, from, code, cause) => {
    Object.assign(sim.switches, switches);
    expect(await new AwsSmsProvider(sim.url).send(from, '13800138000', message)).toEqual({
      ok: false,
      providerCode: code,
      cause,
    });
  });

  it('answers "provider down" when nothing answers', async () => {
    expect(
      await new AwsSmsProvider('http://127.0.0.1:9').send(account, '13800138000', message),
    ).toMatchObject({
      ok: false,
      cause: 'provider_down',
    });
  });
});
