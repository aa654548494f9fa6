// WeCom, DingTalk, Aliyun SMS and AWS End User Messaging SMS, simulated in one HTTP server (SPEC N1), for `npm start`
// and the tests: each speaks its provider's request and error shapes and checks what the
// real one checks (WeCom corp secret and token, robot keys; DingTalk app secret, robot
// signature within the hour and keyword; Aliyun's signature v1 over the query). Switches
// (POST /_sim/switches or the `switches` object): down, downOn (providers), slowMs, rateLimited,
// quotaExhausted, balanceExhausted, notFollowing and unknownUsers (user ids), optedOut and undeliverable (phones), badSignature, expireTokens.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { aliyunSignature } from '../../functions/notifications/aliyun-sms-provider.ts';
import { dingtalkSign } from '../../functions/notifications/dingtalk-provider.ts';

export interface ChannelSwitches {
  down: boolean;
  /** Only these providers are down: wecom, dingtalk, aliyun, aws. */
  downOn: string[];
  slowMs: number;
  rateLimited: boolean;
  quotaExhausted: boolean;
  balanceExhausted: boolean;
  notFollowing: string[];
  /** WeCom user ids the corp does not know (user/get answers 60111). */
  unknownUsers: string[];
  /** Phone numbers (E.164) that opted out of SMS (AWS End User Messaging: ConflictException). */
  optedOut: string[];
  /** Mainland numbers whose Aliyun receipt says "out of service" (QuerySendDetails SendStatus 2). */
  undeliverable: string[];
  /** Every signature is refused (DingTalk robots, Aliyun). */
  badSignature: boolean;
  /** The next send finds its token expired (42001 / 88), once. */
  expireTokens: boolean;
}

export interface SentMessage {
  provider: 'wecom_app' | 'wecom_robot' | 'dingtalk_work' | 'dingtalk_robot' | 'aliyun_sms' | 'aws_sms';
  to: string;
  body: Record<string, unknown>;
  /** The query string as received (where DingTalk's robot signature and WeCom's key travel). */
  query: string;
}

/** The accounts the simulated providers know (what a tenant would have in each console). */
export const SIMULATED_ACCOUNTS = {
  wecom: { corpId: 'ww-sim-corp', agentId: '1000002', secret: 'sim-wecom-secret' },
  wecomRobotKey: '693a91f6-7a8b-4bc4-97a0-0ec2a1fec2c6',
  dingtalk: { appKey: 'ding-sim-app', appSecret: 'sim-dingtalk-secret', agentId: '2000001' },
  // Like the console's: "SEC" and 64 hex digits (a shorter one fails the API's own check).
  dingtalkRobot: {
    key: 'sim-robot-token',
    secret: 'SEC98a64849bdb77e04935fd20e1ea47fd12e0bf7e84d1e78f3b078c8e6dca25200',
    keyword: '提醒',
  },
  awsSms: { originationIdentity: 'SpecialOps' },
  aliyun: {
    accessKeyId: 'LTAI-sim',
    accessKeySecret: 'sim-aliyun-secret',
    signName: '安全作业',
    templateCode: 'SMS_0001',
  },
};

export interface ChannelSimulator {
  url: string;
  switches: ChannelSwitches;
  sent: SentMessage[];
  /** Tokens handed out: a test can check a token was cached, not fetched per send. */
  tokensIssued: number;
  close(): Promise<void>;
}

const defaults = (): ChannelSwitches => ({
  down: false,
  downOn: [],
  slowMs: 0,
  rateLimited: false,
  quotaExhausted: false,
  balanceExhausted: false,
  notFollowing: [],
  unknownUsers: [],
  optedOut: [],
  undeliverable: [],
  badSignature: false,
  expireTokens: false,
});

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function startChannelSimulator(port = 0): Promise<ChannelSimulator> {
  const a = SIMULATED_ACCOUNTS;
  const tokens = new Set<string>();
  const sim: ChannelSimulator = {
    url: '',
    switches: defaults(),
    sent: [],
    tokensIssued: 0,
    close: async () => {},
  };
  const issue = () => {
    const token = randomUUID();
    tokens.add(token);
    sim.tokensIssued++;
    return token;
  };
  /** A token the provider no longer accepts: unknown, or expired by the switch. */
  const tokenProblem = (token: string | null) => {
    if (!token || !tokens.has(token)) return true;
    if (sim.switches.expireTokens) {
      sim.switches.expireTokens = false;
      tokens.delete(token);
      return true;
    }
    return false;
  };

  const handle = async (req: IncomingMessage, url: URL): Promise<[number, unknown]> => {
    const s = sim.switches;
    const q = url.searchParams;
    const path = url.pathname;
    if (path === '/_sim/switches' && req.method === 'POST') {
      Object.assign(s, await readBody(req));
      return [200, s];
    }
    if (path === '/_sim/reset' && req.method === 'POST') {
      sim.switches = defaults();
      sim.sent.length = 0;
      return [200, {}];
    }
    if (path === '/_sim/sent') return [200, sim.sent];
    if (s.down) return [503, { error: 'down' }];
    const provider = req.headers['x-amz-target']
      ? 'aws'
      : path.startsWith('/cgi-bin/')
        ? 'wecom'
        : q.get('Version') === '2017-05-25'
          ? 'aliyun'
          : 'dingtalk';
    if (s.downOn.includes(provider)) return [503, { error: 'down' }];
    if (s.slowMs) await new Promise((r) => setTimeout(r, s.slowMs));

    // --- AWS End User Messaging SMS (JSON 1.0 protocol: X-Amz-Target, errors as __type)
    const target = req.headers['x-amz-target'];
    if (target === 'PinpointSMSVoiceV2.SendTextMessage') {
      const body = await readBody(req);
      const fail = (type: string, extra: Record<string, string> = {}) =>
        [400, { __type: type, message: type, ...extra }] as [number, unknown];
      if (body.OriginationIdentity !== a.awsSms.originationIdentity) return fail('ResourceNotFoundException');
      if (s.rateLimited) return fail('ThrottlingException');
      if (s.quotaExhausted) return fail('ServiceQuotaExceededException');
      const to = String(body.DestinationPhoneNumber ?? '');
      if (!/^\+[1-9][0-9]{6,14}$/.test(to)) return fail('ValidationException');
      if (s.optedOut.includes(to))
        return fail('ConflictException', { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' });
      if (body.DryRun) return [200, { MessageId: '' }];
      sim.sent.push({ provider: 'aws_sms', to, body, query: url.search.slice(1) });
      return [200, { MessageId: randomUUID() }];
    }

    // --- WeCom
    if (path === '/cgi-bin/gettoken') {
      if (q.get('corpid') !== a.wecom.corpId) return [200, { errcode: 40013, errmsg: 'invalid corpid' }];
      if (q.get('corpsecret') !== a.wecom.secret)
        return [200, { errcode: 40001, errmsg: 'invalid credential' }];
      return [200, { errcode: 0, errmsg: 'ok', access_token: issue(), expires_in: 7200 }];
    }
    if (path === '/cgi-bin/message/send') {
      if (tokenProblem(q.get('access_token')))
        return [200, { errcode: 42001, errmsg: 'access_token expired' }];
      if (s.rateLimited) return [200, { errcode: 45009, errmsg: 'api freq out of limit' }];
      const body = await readBody(req);
      const markdown = (body.markdown as { content?: string } | undefined)?.content ?? '';
      if (Buffer.byteLength(markdown) > 4096)
        return [200, { errcode: 45002, errmsg: 'content size out of limit' }];
      const user = String(body.touser ?? '');
      if (s.notFollowing.includes(user))
        return [200, { errcode: 81013, errmsg: 'user & party & tag all invalid' }];
      sim.sent.push({ provider: 'wecom_app', to: user, body, query: url.search.slice(1) });
      return [200, { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomUUID() }];
    }
    if (path === '/cgi-bin/user/get') {
      if (tokenProblem(q.get('access_token')))
        return [200, { errcode: 42001, errmsg: 'access_token expired' }];
      const user = q.get('userid') ?? '';
      if (s.unknownUsers.includes(user)) return [200, { errcode: 60111, errmsg: 'userid not found' }];
      return [200, { errcode: 0, errmsg: 'ok', userid: user, status: s.notFollowing.includes(user) ? 4 : 1 }];
    }
    if (path === '/cgi-bin/webhook/send') {
      if (q.get('key') !== a.wecomRobotKey) return [200, { errcode: 93000, errmsg: 'invalid webhook url' }];
      if (s.rateLimited) return [200, { errcode: 45009, errmsg: 'api freq out of limit' }];
      const body = await readBody(req);
      sim.sent.push({ provider: 'wecom_robot', to: String(q.get('key')), body, query: url.search.slice(1) });
      return [200, { errcode: 0, errmsg: 'ok' }];
    }

    // --- DingTalk
    if (path === '/gettoken') {
      if (q.get('appkey') !== a.dingtalk.appKey || q.get('appsecret') !== a.dingtalk.appSecret)
        return [200, { errcode: 40089, errmsg: '不合法的corpid或corpsecret' }];
      return [200, { errcode: 0, errmsg: 'ok', access_token: issue(), expires_in: 7200 }];
    }
    if (path === '/topapi/message/corpconversation/asyncsend_v2') {
      if (tokenProblem(q.get('access_token'))) return [200, { errcode: 88, errmsg: 'access_token expired' }];
      if (s.rateLimited)
        return [200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }];
      const body = await readBody(req);
      const user = String(body.userid_list ?? '');
      if (s.notFollowing.includes(user)) return [200, { errcode: 33012, errmsg: '无效的userid' }];
      sim.sent.push({ provider: 'dingtalk_work', to: user, body, query: url.search.slice(1) });
      return [200, { errcode: 0, errmsg: 'ok', task_id: Date.now() }];
    }
    if (path === '/robot/send') {
      if (q.get('access_token') !== a.dingtalkRobot.key)
        return [200, { errcode: 300001, errmsg: 'token is not exist' }];
      const timestamp = Number(q.get('timestamp'));
      const expected = dingtalkSign(a.dingtalkRobot.secret, timestamp);
      // URLSearchParams decoded the sign once; compare in the same form.
      if (
        s.badSignature ||
        !timestamp ||
        Math.abs(Date.now() - timestamp) > 3600_000 ||
        decodeURIComponent(expected) !== q.get('sign')
      )
        return [200, { errcode: 310000, errmsg: 'sign not match, more: https://ding-doc.dingtalk.com' }];
      if (s.rateLimited)
        return [200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }];
      const body = await readBody(req);
      const text = JSON.stringify(body);
      if (!text.includes(a.dingtalkRobot.keyword))
        return [200, { errcode: 310000, errmsg: 'keywords not in content' }];
      sim.sent.push({
        provider: 'dingtalk_robot',
        to: a.dingtalkRobot.key,
        body,
        query: url.search.slice(1),
      });
      return [200, { errcode: 0, errmsg: 'ok' }];
    }

    // --- Aliyun SMS (RPC, signature v1 over the query)
    if (path === '/' && q.get('Version') === '2017-05-25') {
      const params = Object.fromEntries([...q.entries()].filter(([k]) => k !== 'Signature'));
      if (params.AccessKeyId !== a.aliyun.accessKeyId)
        return [404, { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' }];
      const { signature } = aliyunSignature(params, a.aliyun.accessKeySecret);
      if (s.badSignature || signature !== q.get('Signature'))
        return [400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' }];
      if (params.Action === 'QuerySmsSign')
        return [200, { Code: 'OK', SignStatus: params.SignName === a.aliyun.signName ? 1 : 2 }];
      if (params.Action === 'QuerySendDetails') {
        const sent = sim.sent.find((m) => m.provider === 'aliyun_sms' && m.body.BizId === params.BizId);
        if (!sent || sent.to !== params.PhoneNumber)
          return [200, { Code: 'OK', TotalCount: 0, SmsSendDetailDTOs: { SmsSendDetailDTO: [] } }];
        const failed = s.undeliverable.includes(sent.to);
        const detail = {
          PhoneNum: sent.to,
          SendStatus: failed ? 2 : 3,
          ErrCode: failed ? 'MOBILE_NOT_ON_SERVICE' : 'DELIVERED',
          OutId: sent.body.OutId,
        };
        return [200, { Code: 'OK', TotalCount: 1, SmsSendDetailDTOs: { SmsSendDetailDTO: [detail] } }];
      }
      if (params.Action !== 'SendSms') return [400, { Code: 'InvalidAction', Message: 'unknown action' }];
      if (params.SignName !== a.aliyun.signName)
        return [200, { Code: 'isv.SMS_SIGNATURE_ILLEGAL', Message: '签名不合法' }];
      if (params.TemplateCode !== a.aliyun.templateCode)
        return [200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法' }];
      if (s.balanceExhausted) return [200, { Code: 'isv.OUT_OF_SERVICE', Message: '业务停机' }];
      if (s.quotaExhausted) return [200, { Code: 'isv.DAY_LIMIT_CONTROL', Message: '触发日发送限额' }];
      if (s.rateLimited) return [200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' }];
      if (!/^1\d{10}$/.test(params.PhoneNumbers ?? ''))
        return [200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' }];
      const bizId = `${Date.now()}${sim.sent.length}^0`;
      sim.sent.push({
        query: url.search.slice(1),
        provider: 'aliyun_sms',
        to: params.PhoneNumbers as string,
        body: { ...params, BizId: bizId },
      });
      return [200, { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: randomUUID() }];
    }
    return [404, { error: 'not simulated' }];
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    handle(req, url)
      .then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      })
      .catch(() => {
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  sim.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  sim.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sim;
}
