// Aliyun SMS (dysmsapi, API version 2017-05-25) adapter: the usual provider for mainland
// numbers. RPC-style GET signed with signature version 1.0 (HMAC-SHA1 over the sorted,
// percent-encoded query; key = AccessKeySecret + "&"): help.aliyun.com/document_detail/315526.
// The signature and template must be approved in the console; OutId carries our
// idempotency key so a delivery receipt (QuerySendDetails) can be matched back.
import { createHmac, randomUUID } from 'node:crypto';
import { aliyunReceipt, aliyunSmsOutcome, type ProviderOutcome } from './channel-rules.ts';
import {
  type AliyunSms,
  callProvider,
  isOutcome,
  type OutgoingMessage,
  type SmsProvider,
  type SmsReceipt,
} from './channels.ts';

/** RFC 3986 encoding as Aliyun's signature wants it. */
export const aliyunEncode = (value: string) =>
  encodeURIComponent(value).replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');

/** The canonical query and its signature (signature version 1.0). */
export function aliyunSignature(params: Record<string, string>, accessKeySecret: string, method = 'GET') {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${aliyunEncode(k)}=${aliyunEncode(params[k] as string)}`)
    .join('&');
  const stringToSign = `${method}&${aliyunEncode('/')}&${aliyunEncode(canonical)}`;
  const signature = createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
  return { canonical, signature };
}

interface AliyunAnswer {
  Code?: string;
  Message?: string;
  BizId?: string;
  SignStatus?: number;
  SmsSendDetailDTOs?: { SmsSendDetailDTO?: { SendStatus?: number; ErrCode?: string }[] };
}

/** yyyyMMdd of an instant in China time (QuerySendDetails' SendDate). */
const chinaDay = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

export class AliyunSmsProvider implements SmsProvider {
  constructor(
    private readonly endpoint = 'https://dysmsapi.aliyuncs.com',
    private readonly timeoutMs = 5000,
  ) {}

  private async call(account: AliyunSms, action: string, extra: Record<string, string>) {
    const params: Record<string, string> = {
      AccessKeyId: account.accessKeyId,
      Action: action,
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      ...extra,
    };
    const { canonical, signature } = aliyunSignature(params, account.accessKeySecret);
    return callProvider<AliyunAnswer>(
      `${this.endpoint}/?Signature=${aliyunEncode(signature)}&${canonical}`,
      { method: 'GET' },
      this.timeoutMs,
    );
  }

  async send(account: AliyunSms, phone: string, message: OutgoingMessage): Promise<ProviderOutcome> {
    const answer = await this.call(account, 'SendSms', {
      PhoneNumbers: phone,
      SignName: account.signName,
      TemplateCode: account.templateCode,
      TemplateParam: JSON.stringify(message.smsParams),
      OutId: message.idempotencyKey.slice(0, 64),
    });
    return isOutcome(answer) ? answer : aliyunSmsOutcome(answer);
  }

  async receipt(account: AliyunSms, phone: string, bizId: string, sentAt: Date): Promise<SmsReceipt> {
    const answer = await this.call(account, 'QuerySendDetails', {
      PhoneNumber: phone,
      BizId: bizId,
      SendDate: chinaDay(sentAt),
      PageSize: '10',
      CurrentPage: '1',
    });
    // Not readable now (provider down, throttled): still waiting; the next run asks again.
    if (isOutcome(answer) || answer.Code !== 'OK') return { state: 'waiting', providerCode: 'WAITING' };
    return aliyunReceipt(answer.SmsSendDetailDTOs?.SmsSendDetailDTO?.[0]);
  }

  async check(account: AliyunSms): Promise<ProviderOutcome> {
    const answer = await this.call(account, 'QuerySmsSign', { SignName: account.signName });
    if (isOutcome(answer)) return answer;
    const outcome = aliyunSmsOutcome(answer);
    // SignStatus 1 = approved; 0 = under review, 2 = rejected.
    if (outcome.ok && answer.SignStatus !== 1)
      return { ok: false, providerCode: `SignStatus=${answer.SignStatus}`, cause: 'template_not_approved' };
    return outcome;
  }
}
