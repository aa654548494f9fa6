import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aliyunReceipt,
  aliyunSmsOutcome,
  awsSmsOutcome,
  type Bindings,
  type ChannelState,
  DEFAULT_RULE,
  diagnose,
  dingtalkOutcome,
  dingtalkRobotToken,
  fitBytes,
  guideChannel,
  isTransient,
  nextChannels,
  otherChannels,
  quotaMonth,
  RULE_KINDS,
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

describe('channels outside the rule (the brief’s case: SMS only, WeCom off)', () => {
  const smsOnly = { channels: ['sms' as const], mode: 'first_success' as const };
  const wecomOff: ChannelState = { ...allOn(), wecom: { enabled: false, configured: true } };
  it.each<[string, ChannelState, Bindings, object, string, string[]]>([
    ['off, bound and following: once switched on', wecomOff, bound, {}, 'if_enabled', ['channel_disabled']],
    [
      'off and not following: not even then',
      wecomOff,
      { ...bound, wecomFollowing: false },
      {},
      'no',
      ['channel_disabled', 'not_following'],
    ],
    ['on and bound: now (add it to the rule)', allOn(), bound, {}, 'now', []],
    [
      'on, refused credentials: no',
      allOn(),
      bound,
      { wecom: 'invalid_credentials' },
      'no',
      ['invalid_credentials'],
    ],
    [
      'off and refused credentials: not by switching on alone',
      wecomOff,
      bound,
      { wecom: 'invalid_credentials' },
      'no',
      ['channel_disabled', 'invalid_credentials'],
    ],
    [
      'off and not configured: no',
      { ...allOn(), wecom: { enabled: false, configured: false } },
      bound,
      {},
      'no',
      ['channel_disabled', 'not_configured'],
    ],
  ])('WeCom %s', (_, state, b, problems, reaches, causes) => {
    const wecom = otherChannels(smsOnly, state, b, problems).find((o) => o.channel === 'wecom');
    expect(wecom).toEqual({ channel: 'wecom', reaches, causes });
  });

  it('lists every channel the rule leaves out, and none it uses', () => {
    expect(otherChannels(smsOnly, allOn(), bound).map((o) => o.channel)).toEqual([
      'wecom',
      'dingtalk',
      'email',
    ]);
    expect(
      otherChannels({ channels: ['wecom', 'dingtalk', 'sms', 'email'], mode: 'redundant' }, allOn(), bound),
    ).toEqual([]);
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

// Every provider code the adapters know, against the cause docs/notifications.md promises:
// the table in the docs and this one must say the same.
describe('provider code → cause, every entry', () => {
  it.each([
    [40001, 'invalid_credentials'],
    [40013, 'invalid_credentials'],
    [40056, 'invalid_credentials'],
    [40014, 'token_expired'],
    [42001, 'token_expired'],
    [60020, 'ip_not_allowed'],
    [81013, 'not_following'],
    [45009, 'rate_limited'],
    [45033, 'rate_limited'],
    [45002, 'content_too_long'],
    [93000, 'invalid_webhook'],
    [60011, 'permission_denied'],
    [301002, 'permission_denied'],
    [-1, 'provider_down'],
    [12345, 'unknown'],
  ] as const)('WeCom %i → %s', (errcode, cause) => {
    expect(wecomOutcome({ errcode })).toEqual({ ok: false, providerCode: String(errcode), cause });
  });

  it('WeCom: a missing errcode is "system busy"; success keeps the message id', () => {
    expect(wecomOutcome({})).toEqual({ ok: false, providerCode: '-1', cause: 'provider_down' });
    expect(wecomOutcome({ errcode: 0, msgid: 'm1' })).toEqual({
      ok: true,
      providerCode: '0',
      providerMessageId: 'm1',
    });
    expect(wecomOutcome({ errcode: 0 })).toEqual({ ok: true, providerCode: '0' });
    expect(wecomOutcome({ errcode: 0, invaliduser: '' })).toEqual({ ok: true, providerCode: '0' });
  });

  it.each([
    [310000, 'keywords not in content', 'keyword_missing'],
    [310000, 'sign not match, more: [https://…]', 'bad_signature'],
    [310000, 'ip X not in whitelist', 'ip_not_allowed'],
    [310000, 'something else', 'unknown'],
    [130101, 'send too fast', 'rate_limited'],
    [130102, 'throttled', 'rate_limited'],
    [99999, 'Send Too Fast, exceed 20 times per minute', 'rate_limited'],
    [300001, 'token is not exist', 'invalid_webhook'],
    [300005, 'token is not exist', 'invalid_webhook'],
    [400013, 'robot gone', 'invalid_webhook'],
    [40014, 'invalid token', 'token_expired'],
    [42001, 'expired', 'token_expired'],
    [88, 'expired', 'token_expired'],
    [40089, 'invalid appkey', 'invalid_credentials'],
    [40091, 'invalid appsecret', 'invalid_credentials'],
    [40035, 'invalid parameter', 'invalid_credentials'],
    [60011, 'no privilege', 'permission_denied'],
    [60020, 'ip not allowed', 'ip_not_allowed'],
    [33012, 'invalid userid', 'not_following'],
    [-1, 'busy', 'provider_down'],
    [777, 'new code', 'unknown'],
  ] as const)('DingTalk %i "%s" → %s', (errcode, errmsg, cause) => {
    expect(dingtalkOutcome({ errcode, errmsg })).toEqual({ ok: false, providerCode: String(errcode), cause });
  });

  it('DingTalk: success keeps the task id; a missing errcode is "busy"', () => {
    expect(dingtalkOutcome({ errcode: 0, task_id: 42 })).toEqual({
      ok: true,
      providerCode: '0',
      providerMessageId: '42',
    });
    expect(dingtalkOutcome({ errcode: 0 })).toEqual({ ok: true, providerCode: '0' });
    expect(dingtalkOutcome({})).toEqual({ ok: false, providerCode: '-1', cause: 'provider_down' });
  });

  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 'rate_limited'],
    ['isv.DAY_LIMIT_CONTROL', 'provider_quota_exhausted'],
    ['isv.AMOUNT_NOT_ENOUGH', 'balance_exhausted'],
    ['isv.OUT_OF_SERVICE', 'balance_exhausted'],
    ['isv.DENY_IP_RANGE', 'outside_mainland'],
    ['isv.SMS_SIGNATURE_ILLEGAL', 'template_not_approved'],
    ['isv.SMS_SIGN_ILLEGAL', 'template_not_approved'],
    ['isv.SMS_TEMPLATE_ILLEGAL', 'template_not_approved'],
    ['isv.SMS_SIGNATURE_SCENE_ILLEGAL', 'template_not_approved'],
    ['isv.MOBILE_NUMBER_ILLEGAL', 'not_bound'],
    ['isv.BLACK_KEY_CONTROL_LIMIT', 'template_not_approved'],
    ['isp.RAM_PERMISSION_DENY', 'permission_denied'],
    ['Forbidden.RAM', 'permission_denied'],
    ['InvalidAccessKeyId.NotFound', 'invalid_credentials'],
    ['SignatureDoesNotMatch', 'invalid_credentials'],
    ['isp.SYSTEM_ERROR', 'provider_down'],
    ['Throttling.User', 'rate_limited'],
    ['isv.SOMETHING_NEW', 'unknown'],
  ] as const)('Aliyun SMS %s → %s', (Code, cause) => {
    expect(aliyunSmsOutcome({ Code })).toEqual({ ok: false, providerCode: Code, cause });
  });

  it('Aliyun SMS: OK keeps the BizId; no code at all is unknown', () => {
    expect(aliyunSmsOutcome({ Code: 'OK', BizId: 'b1' })).toEqual({
      ok: true,
      providerCode: 'OK',
      providerMessageId: 'b1',
    });
    expect(aliyunSmsOutcome({ Code: 'OK' })).toEqual({ ok: true, providerCode: 'OK' });
    expect(aliyunSmsOutcome({})).toEqual({ ok: false, providerCode: 'unknown', cause: 'unknown' });
  });

  it.each([
    [
      { SendStatus: 3, ErrCode: 'DELIVERED' },
      { state: 'delivered', providerCode: 'DELIVERED' },
    ],
    [{ SendStatus: 1 }, { state: 'waiting', providerCode: 'WAITING' }],
    [undefined, { state: 'waiting', providerCode: 'WAITING' }],
    [
      { SendStatus: 2, ErrCode: 'MOBILE_NOT_ON_SERVICE' },
      { state: 'failed', providerCode: 'MOBILE_NOT_ON_SERVICE', cause: 'number_unreachable' },
    ],
    [
      { SendStatus: 2, ErrCode: 'MOBILE_ACCOUNT_ABNORMAL' },
      { state: 'failed', providerCode: 'MOBILE_ACCOUNT_ABNORMAL', cause: 'number_unreachable' },
    ],
    [
      { SendStatus: 2, ErrCode: 'EMPTY_NUMBER' },
      { state: 'failed', providerCode: 'EMPTY_NUMBER', cause: 'number_unreachable' },
    ],
    [
      { SendStatus: 2, ErrCode: 'MOBILE_IN_BLACK' },
      { state: 'failed', providerCode: 'MOBILE_IN_BLACK', cause: 'suppressed' },
    ],
    [
      { SendStatus: 2, ErrCode: 'SOME_CARRIER_CODE' },
      { state: 'failed', providerCode: 'SOME_CARRIER_CODE', cause: 'unknown' },
    ],
    [{ SendStatus: 2 }, { state: 'failed', providerCode: 'UNKNOWN', cause: 'unknown' }],
  ] as const)('Aliyun receipt %j → %j', (detail, receipt) => {
    expect(aliyunReceipt(detail)).toEqual(receipt);
  });

  it.each([
    ['ThrottlingException', undefined, 'ThrottlingException', 'rate_limited'],
    [
      'ConflictException',
      'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      'ConflictException/DESTINATION_PHONE_NUMBER_OPTED_OUT',
      'suppressed',
    ],
    ['ConflictException', 'OTHER', 'ConflictException/OTHER', 'unknown'],
    ['UnrecognizedClientException', undefined, 'UnrecognizedClientException', 'invalid_credentials'],
    ['InvalidSignatureException', undefined, 'InvalidSignatureException', 'invalid_credentials'],
  ] as const)('AWS SMS %s %s → %s, %s', (name, reason, providerCode, cause) => {
    expect(awsSmsOutcome(name, reason)).toEqual({ ok: false, providerCode, cause });
  });
});

describe('fixes and what the product applies itself', () => {
  const on = allOn();
  it.each([
    ['channel_disabled', 'enable_channel'],
    ['not_configured', 'configure_channel'],
    ['invalid_credentials', 'check_credentials'],
    ['token_expired', 'check_credentials'],
    ['ip_not_allowed', 'check_provider_console'],
    ['number_unreachable', 'bind_phone'],
  ] as const)('a dry call’s %s → %s', (cause, fix) => {
    const [finding] = diagnose({ channels: ['wecom', 'email'], mode: 'redundant' }, on, bound, {
      wecom: cause,
    });
    expect(finding).toMatchObject({ cause, channel: 'wecom', fix });
    // The guide and switching a configured channel on are the product's to do.
    expect(finding?.applicable).toBe(fix === 'bind_phone' || fix === 'enable_channel');
  });

  it('a not-configured channel cannot be switched on in one call', () => {
    const off = { ...on, dingtalk: { enabled: false, configured: false } };
    expect(diagnose({ channels: ['dingtalk', 'email'], mode: 'redundant' }, off, bound).slice(0, 2)).toEqual([
      { cause: 'channel_disabled', channel: 'dingtalk', fix: 'enable_channel', applicable: false },
      { cause: 'not_configured', channel: 'dingtalk', fix: 'configure_channel', applicable: false },
    ]);
  });

  it('lists the rule kinds a tenant can set, each once', () => {
    expect(new Set(RULE_KINDS).size).toBe(RULE_KINDS.length);
    expect(RULE_KINDS).toEqual(expect.arrayContaining(['review_task', 'freeze_notice', 'blacklist_notice']));
    expect(RULE_KINDS).not.toContain('binding_guide');
    expect(DEFAULT_RULE).toEqual({ channels: [], mode: 'first_success' });
  });
});
