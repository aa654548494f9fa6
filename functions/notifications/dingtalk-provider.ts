// DingTalk adapter: work notifications of a corp app (appkey + appsecret → access_token,
// then corpconversation/asyncsend_v2) and custom robots with their security settings
// (keyword, signature, IP allowlist). Contract: open.dingtalk.com/document/orgapp/
// obtain-orgapp-token, asynchronous-sending-of-enterprise-session-messages,
// custom-robot-access (signature: HmacSHA256(secret, timestamp + "\n" + secret), Base64,
// URL-encoded; the timestamp must be within an hour of DingTalk's clock).
import { createHmac } from 'node:crypto';
import { dingtalkOutcome, type ProviderOutcome } from './channel-rules.ts';
import {
  callProvider,
  type DingtalkApp,
  type DingtalkChannel,
  isOutcome,
  type OutgoingMessage,
  type Robot,
} from './channels.ts';

interface DingtalkAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  task_id?: number;
}

export function dingtalkSign(secret: string, timestamp: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
}

export class DingtalkProvider implements DingtalkChannel {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly baseUrl = 'https://oapi.dingtalk.com',
    private readonly timeoutMs = 5000,
    private readonly now = () => Date.now(),
  ) {}

  private async token(app: DingtalkApp, fresh: boolean): Promise<string | ProviderOutcome> {
    const cached = this.tokens.get(app.appKey);
    if (!fresh && cached && cached.expiresAt > this.now()) return cached.token;
    const answer = await callProvider<DingtalkAnswer>(
      `${this.baseUrl}/gettoken?appkey=${encodeURIComponent(app.appKey)}&appsecret=${encodeURIComponent(app.appSecret)}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    if (isOutcome(answer)) return answer;
    if (answer.errcode !== 0 || !answer.access_token) return dingtalkOutcome(answer);
    this.tokens.set(app.appKey, {
      token: answer.access_token,
      expiresAt: this.now() + ((answer.expires_in ?? 7200) - 60) * 1000,
    });
    return answer.access_token;
  }

  async check(app: DingtalkApp): Promise<ProviderOutcome> {
    const token = await this.token(app, true);
    return typeof token === 'string' ? { ok: true, providerCode: '0' } : token;
  }

  async sendWork(app: DingtalkApp, userId: string, message: OutgoingMessage): Promise<ProviderOutcome> {
    const body = JSON.stringify({
      agent_id: Number(app.agentId),
      userid_list: userId,
      msg: { msgtype: 'markdown', markdown: { title: message.title, text: message.markdown } },
    });
    for (const fresh of [false, true]) {
      const token = await this.token(app, fresh);
      if (typeof token !== 'string') return token;
      const answer = await callProvider<DingtalkAnswer>(
        `${this.baseUrl}/topapi/message/corpconversation/asyncsend_v2?access_token=${encodeURIComponent(token)}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body },
        this.timeoutMs,
      );
      const outcome = isOutcome(answer) ? answer : dingtalkOutcome(answer);
      if (outcome.cause !== 'token_expired' || fresh) return outcome;
    }
    throw new Error('unreachable');
  }

  async sendRobot(robot: Robot, message: OutgoingMessage): Promise<ProviderOutcome> {
    const timestamp = this.now();
    const signed = robot.secret
      ? `&timestamp=${timestamp}&sign=${dingtalkSign(robot.secret, timestamp)}`
      : '';
    const answer = await callProvider<DingtalkAnswer>(
      `${this.baseUrl}/robot/send?access_token=${encodeURIComponent(robot.key)}${signed}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          msgtype: 'markdown',
          markdown: { title: message.title, text: message.markdown },
        }),
      },
      this.timeoutMs,
    );
    return isOutcome(answer) ? answer : dingtalkOutcome(answer);
  }
}
