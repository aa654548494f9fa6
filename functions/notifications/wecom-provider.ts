// WeCom (企业微信) adapter: application messages (corp id + agent secret → access_token,
// cached until shortly before it expires and fetched again once when WeCom says it is no
// longer valid) and group robots (webhook key). Contract:
// developer.work.weixin.qq.com/document/path/91039 (gettoken), /90236 (message/send),
// /91770 (group robot).
import { type ProviderOutcome, wecomOutcome } from './channel-rules.ts';
import {
  callProvider,
  isOutcome,
  type OutgoingMessage,
  type Robot,
  type WecomApp,
  type WecomChannel,
} from './channels.ts';

interface WecomAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  invaliduser?: string;
  msgid?: string;
  /** user/get: 1 joined, 2 disabled, 4 not joined yet, 5 left. */
  status?: number;
}

export class WecomProvider implements WecomChannel {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly baseUrl = 'https://qyapi.weixin.qq.com',
    private readonly timeoutMs = 5000,
    private readonly now = () => Date.now(),
  ) {}

  private async token(app: WecomApp, fresh: boolean): Promise<string | ProviderOutcome> {
    const key = `${app.corpId}/${app.agentId}`;
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.expiresAt > this.now()) return cached.token;
    const url = `${this.baseUrl}/cgi-bin/gettoken?corpid=${encodeURIComponent(app.corpId)}&corpsecret=${encodeURIComponent(app.secret)}`;
    const answer = await callProvider<WecomAnswer>(url, { method: 'GET' }, this.timeoutMs);
    if (isOutcome(answer)) return answer;
    if (answer.errcode !== 0 || !answer.access_token) return wecomOutcome(answer);
    // Refreshed a minute early: a token that expires mid-send costs a retry.
    this.tokens.set(key, {
      token: answer.access_token,
      expiresAt: this.now() + ((answer.expires_in ?? 7200) - 60) * 1000,
    });
    return answer.access_token;
  }

  async check(app: WecomApp): Promise<ProviderOutcome> {
    const token = await this.token(app, true);
    return typeof token === 'string' ? { ok: true, providerCode: '0' } : token;
  }

  /**
   * Whether a member follows (has joined) the app: user/get (contract /90196). A member
   * outside the app's visible range answers 60011, an unknown user id 60111.
   */
  async following(app: WecomApp, userId: string): Promise<boolean | ProviderOutcome> {
    for (const fresh of [false, true]) {
      const token = await this.token(app, fresh);
      if (typeof token !== 'string') return token;
      const answer = await callProvider<WecomAnswer>(
        `${this.baseUrl}/cgi-bin/user/get?access_token=${encodeURIComponent(token)}&userid=${encodeURIComponent(userId)}`,
        { method: 'GET' },
        this.timeoutMs,
      );
      if (isOutcome(answer)) return answer;
      if (answer.errcode === 0) return answer.status === 1;
      if (answer.errcode === 60011 || answer.errcode === 60111) return false;
      const outcome = wecomOutcome(answer);
      if (outcome.cause !== 'token_expired') return outcome;
    }
    return { ok: false, providerCode: '42001', cause: 'token_expired' };
  }

  async sendApp(app: WecomApp, userId: string, message: OutgoingMessage): Promise<ProviderOutcome> {
    const body = JSON.stringify({
      touser: userId,
      msgtype: 'markdown',
      agentid: Number(app.agentId),
      markdown: { content: message.markdown },
      // WeCom drops an identical message within the interval: a redelivered send is not doubled.
      enable_duplicate_check: 1,
      duplicate_check_interval: 1800,
    });
    for (const fresh of [false, true]) {
      const token = await this.token(app, fresh);
      if (typeof token !== 'string') return token;
      const answer = await callProvider<WecomAnswer>(
        `${this.baseUrl}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body },
        this.timeoutMs,
      );
      const outcome = isOutcome(answer) ? answer : wecomOutcome(answer);
      if (outcome.cause !== 'token_expired' || fresh) return outcome;
    }
    throw new Error('unreachable');
  }

  async sendRobot(robot: Robot, message: OutgoingMessage): Promise<ProviderOutcome> {
    const answer = await callProvider<WecomAnswer>(
      `${this.baseUrl}/cgi-bin/webhook/send?key=${encodeURIComponent(robot.key)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: message.markdown } }),
      },
      this.timeoutMs,
    );
    return isOutcome(answer) ? answer : wecomOutcome(answer);
  }
}
