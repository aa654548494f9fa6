import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aliyunSmsOutcome,
  awsSmsOutcome,
  type Bindings,
  type ChannelState,
  diagnose,
  dingtalkOutcome,
  dingtalkRobotToken,
  fitBytes,
  guideChannel,
  isTransient,
  nextChannels,
  quotaMonth,
  reachability,
  robotKey,
  wecomOutcome,
} from '../../functions/notifications/channel-rules.ts';
import { dingtalkSign } from '../../functions/notifications/dingtalk-provider.ts';

const allOn = (): ChannelState => ({
  wecom: { enabled: true, configured: true },
  dingtalk: { enabled: true, configured: true },
  sms: { enabled: true, configured: true, monthlyQuota: 100, usedThisMonth: 0 },
  email: { enabled: true, configured: true },
});
const bound: Bindings = {
  wecomUserId: 'zhangsan',
  wecomFollowing: true,
  dingtalkUserId: 'ding-1',
  phone: '13800138000',
  employeeId: 'E001',
  phoneVerified: true,
  email: 'a@example.com',
};

describe('provider answers → causes', () => {
  it.each([
    [{ errcode: 0, msgid: 'm1' }, true, undefined],
    [{ errcode: 0, invaliduser: 'zhangsan' }, false, 'not_following'],
    [{ errcode: 42001 }, false, 'token_expired'],
    [{ errcode: 40014 }, false, 'token_expired'],
    [{ errcode: 60020 }, false, 'ip_not_allowed'],
    [{ errcode: 81013 }, false, 'not_following'],
    [{ errcode: 45009 }, false, 'rate_limited'],
    [{ errcode: 45002 }, false, 'content_too_long'],
    [{ errcode: 93000 }, false, 'invalid_webhook'],
    [{ errcode: 40001 }, false, 'invalid_credentials'],
    [{ errcode: -1 }, false, 'provider_down'],
    [{ errcode: 12345 }, false, 'unknown'],
  ])('WeCom %j → ok %s, %s', (answer, ok, cause) => {
    const outcome = wecomOutcome(answer);
    expect(outcome.ok).toBe(ok);
    expect(outcome.cause).toBe(cause);
  });

  it.each([
    [{ errcode: 0, task_id: 7 }, undefined],
    [{ errcode: 310000, errmsg: 'keywords not in content' }, 'keyword_missing'],
    [{ errcode: 310000, errmsg: 'sign not match, more: https://…' }, 'bad_signature'],
    [{ errcode: 310000, errmsg: 'ip 1.2.3.4 not in whitelist' }, 'ip_not_allowed'],
    [{ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }, 'rate_limited'],
    [{ errcode: 300001, errmsg: 'token is not exist' }, 'invalid_webhook'],
    [{ errcode: 40089, errmsg: '不合法的corpid或corpsecret' }, 'invalid_credentials'],
    [{ errcode: 88, errmsg: 'access_token expired' }, 'token_expired'],
    [{ errcode: 33012, errmsg: '无效的userid' }, 'not_following'],
  ])('DingTalk %j → %s', (answer, cause) => {
    expect(dingtalkOutcome(answer).cause).toBe(cause);
    expect(dingtalkOutcome(answer).ok).toBe(cause === undefined);
  });

  it.each([
    ['OK', undefined],
    ['isv.BUSINESS_LIMIT_CONTROL', 'rate_limited'],
    ['isv.DAY_LIMIT_CONTROL', 'provider_quota_exhausted'],
    ['isv.OUT_OF_SERVICE', 'balance_exhausted'],
    ['isv.DENY_IP_RANGE', 'outside_mainland'],
    ['isv.SMS_SIGNATURE_ILLEGAL', 'template_not_approved'],
    ['isv.SMS_TEMPLATE_ILLEGAL', 'template_not_approved'],
    ['isp.RAM_PERMISSION_DENY', 'permission_denied'],
    ['SignatureDoesNotMatch', 'invalid_credentials'],
    ['isv.SOMETHING_NEW', 'unknown'],
  ])('Aliyun SMS %s → %s', (Code, cause) => {
    expect(aliyunSmsOutcome({ Code }).cause).toBe(cause);
  });

  it('retries only what heals by itself', () => {
    expect(isTransient('rate_limited')).toBe(true);
    expect(isTransient('provider_down')).toBe(true);
    expect(isTransient('token_expired')).toBe(true);
    expect(isTransient('not_following')).toBe(false);
    expect(isTransient('balance_exhausted')).toBe(false);
  });
});

describe('message shape', () => {
  it('cuts markdown to 4,096 bytes on a character boundary', () => {
    const long = '证'.repeat(2000); // 6,000 bytes
    const cut = fitBytes(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('…')).toBe(true);
    expect(fitBytes('short')).toBe('short');
  });

  it.each([
    ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693A91F6-7XXX-4BC4-97A0-0EC2SIFEC2C6', undefined],
    [
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7a8b-4bc4-97a0-0ec2a1fec2c6',
      '693a91f6-7a8b-4bc4-97a0-0ec2a1fec2c6',
    ],
    [' 693A91F6-7A8B-4BC4-97A0-0EC2A1FEC2C6 ', '693a91f6-7a8b-4bc4-97a0-0ec2a1fec2c6'],
    ['not a key', undefined],
  ])('a robot key pasted as %j is %j', (input, key) => {
    expect(robotKey(input)).toBe(key);
  });

  it('signs a DingTalk robot call as its documentation says', () => {
    const secret = 'SEC0123';
    const timestamp = 1_700_000_000_000;
    const expected = encodeURIComponent(
      createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'),
    );
    expect(dingtalkSign(secret, timestamp)).toBe(expected);
  });

  it('counts the SMS quota by the China calendar month', () => {
    expect(quotaMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(quotaMonth(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
  });
});

describe('who can be reached', () => {
  it.each([
    ['wecom', { ...allOn(), wecom: { enabled: false, configured: true } }, bound, 'channel_disabled'],
    ['wecom', { ...allOn(), wecom: { enabled: true, configured: false } }, bound, 'not_configured'],
    ['wecom', allOn(), { ...bound, wecomFollowing: false }, 'not_following'],
    ['wecom', allOn(), { ...bound, wecomUserId: undefined }, 'not_bound'],
    ['dingtalk', allOn(), { ...bound, dingtalkUserId: undefined }, 'not_bound'],
    ['sms', allOn(), { ...bound, employeeId: undefined }, 'not_bound'],
    ['sms', allOn(), { ...bound, phoneVerified: false }, 'not_bound'],
    [
      'sms',
      { ...allOn(), sms: { enabled: true, configured: true, monthlyQuota: 5, usedThisMonth: 5 } },
      bound,
      'tenant_quota_exhausted',
    ],
    ['email', allOn(), { ...bound, emailSuppressed: true }, 'suppressed'],
    ['email', allOn(), bound, undefined],
  ] as const)('%s → %s', (channel, state, bindings, cause) => {
    expect(reachability(channel, state, bindings)).toBe(cause);
  });

  it('first_success tries one channel at a time and stops at the first delivery', () => {
    const rule = { channels: ['wecom', 'sms', 'email'] as const, mode: 'first_success' as const };
    const r = { ...rule, channels: [...rule.channels] };
    expect(nextChannels(r, [])).toEqual(['wecom']);
    expect(nextChannels(r, [{ channel: 'wecom', delivered: false, cause: 'not_following' }])).toEqual([
      'sms',
    ]);
    expect(
      nextChannels(r, [
        { channel: 'wecom', delivered: false, cause: 'not_following' },
        { channel: 'sms', delivered: true },
      ]),
    ).toEqual([]);
  });

  it('redundant sends on every channel not yet tried, even after a delivery', () => {
    const r = {
      channels: ['wecom', 'sms', 'email'] as ('wecom' | 'sms' | 'email')[],
      mode: 'redundant' as const,
    };
    expect(nextChannels(r, [])).toEqual(['wecom', 'sms', 'email']);
    expect(nextChannels(r, [{ channel: 'wecom', delivered: true }])).toEqual(['sms', 'email']);
  });
});

describe('AWS End User Messaging SMS answers', () => {
  it.each([
    ['ThrottlingException', undefined, 'rate_limited'],
    ['ServiceQuotaExceededException', undefined, 'provider_quota_exhausted'],
    ['AccessDeniedException', undefined, 'permission_denied'],
    ['ResourceNotFoundException', undefined, 'not_configured'],
    ['ValidationException', undefined, 'not_bound'],
    ['ConflictException', 'DESTINATION_PHONE_NUMBER_OPTED_OUT', 'suppressed'],
    ['ConflictException', 'SOMETHING_ELSE', 'unknown'],
    ['InternalServerException', undefined, 'provider_down'],
  ] as const)('%s %s → %s', (name, reason, cause) => {
    expect(awsSmsOutcome(name, reason)).toMatchObject({ ok: false, cause });
  });
});

describe('DingTalk robot tokens', () => {
  it.each([
    [
      'https://oapi.dingtalk.com/robot/send?access_token=0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    ],
    ['0f1e2d3c4b5a69788796a5b4c3d2e1f0', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
    ['https://oapi.dingtalk.com/robot/send?access_token=', undefined],
    ['not a token at all', undefined],
  ])('%s → %s', (input, token) => {
    expect(dingtalkRobotToken(input)).toBe(token);
  });
});

describe('diagnosis (N3)', () => {
  it('finds the brief’s four causes, each with its fix', () => {
    const state: ChannelState = {
      ...allOn(),
      wecom: { enabled: false, configured: true },
      sms: { enabled: true, configured: true, monthlyQuota: 0, usedThisMonth: 0 },
    };
    const rule = { channels: ['wecom' as const, 'sms' as const], mode: 'first_success' as const };
    expect(diagnose(rule, state, bound)).toEqual([
      { cause: 'channel_disabled', channel: 'wecom', fix: 'enable_channel', applicable: true },
      { cause: 'tenant_quota_exhausted', channel: 'sms', fix: 'raise_sms_quota', applicable: true },
      { cause: 'unreachable', fix: 'add_channel', applicable: false },
    ]);
    const on = { ...state, wecom: { enabled: true, configured: true } };
    expect(diagnose(rule, on, { ...bound, wecomFollowing: false, phone: undefined })).toEqual([
      { cause: 'not_following', channel: 'wecom', fix: 'send_binding_guide', applicable: true },
      { cause: 'not_bound', channel: 'sms', fix: 'bind_phone', applicable: true },
      { cause: 'tenant_quota_exhausted', channel: 'sms', fix: 'raise_sms_quota', applicable: true },
      { cause: 'unreachable', fix: 'add_channel', applicable: false },
    ]);
  });

  it('reports every cause on a channel at once, so fixing one does not reveal the next', () => {
    const off: ChannelState = {
      ...allOn(),
      wecom: { enabled: false, configured: true },
      sms: { enabled: true, configured: true, monthlyQuota: 0, usedThisMonth: 0 },
    };
    const rule = { channels: ['wecom' as const, 'sms' as const], mode: 'first_success' as const };
    expect(diagnose(rule, off, { ...bound, wecomFollowing: false, phone: undefined })).toEqual([
      { cause: 'channel_disabled', channel: 'wecom', fix: 'enable_channel', applicable: true },
      { cause: 'not_following', channel: 'wecom', fix: 'send_binding_guide', applicable: true },
      { cause: 'not_bound', channel: 'sms', fix: 'bind_phone', applicable: true },
      { cause: 'tenant_quota_exhausted', channel: 'sms', fix: 'raise_sms_quota', applicable: true },
      { cause: 'unreachable', fix: 'add_channel', applicable: false },
    ]);
    expect(diagnose(rule, { ...off, wecom: { enabled: false, configured: false } }, bound)[0]).toEqual({
      cause: 'channel_disabled',
      channel: 'wecom',
      fix: 'enable_channel',
      applicable: false,
    });
  });

  it('flags a rule with one channel in first_success mode, and one with none', () => {
    expect(diagnose({ channels: ['email'], mode: 'first_success' }, allOn(), bound)).toEqual([
      { cause: 'rule_single_channel', fix: 'use_redundant_mode', applicable: true },
    ]);
    expect(diagnose({ channels: [], mode: 'redundant' }, allOn(), bound)).toEqual([
      { cause: 'rule_without_channels', fix: 'add_channel', applicable: false },
    ]);
    expect(diagnose({ channels: ['email', 'sms'], mode: 'redundant' }, allOn(), bound)).toEqual([]);
  });

  it('reports a credential problem found by a dry call', () => {
    expect(
      diagnose({ channels: ['dingtalk', 'email'], mode: 'redundant' }, allOn(), bound, {
        dingtalk: 'invalid_credentials',
      }),
    ).toEqual([
      { cause: 'invalid_credentials', channel: 'dingtalk', fix: 'check_credentials', applicable: false },
    ]);
  });

  it('sends the binding guide through a channel that reaches the person', () => {
    expect(guideChannel(allOn(), { email: 'a@example.com' })).toBe('email');
    expect(guideChannel(allOn(), bound)).toBe('sms');
    expect(guideChannel(allOn(), {})).toBeUndefined();
  });
});
