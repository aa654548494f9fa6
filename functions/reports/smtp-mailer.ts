// SMTP adapter of the Mailer port, for deployments without SES (the AWS China regions have
// none): nodemailer's SMTP transport over an account the operator buys (Aliyun DirectMail,
// Tencent Exmail, the group's own relay). The account is a JSON secret
// {host, port, secure, user, pass} or, locally, an smtp:// URL.
import { createTransport, type Transporter } from 'nodemailer';
import type { Mail, Mailer } from './mailer.ts';

export interface SmtpAccount {
  host: string;
  port: number;
  /** TLS from the first byte (465); false: STARTTLS when the server offers it (587, 25). */
  secure: boolean;
  user?: string;
  pass?: string;
}

/** smtp://user:pass@host:port or smtps://… → an account. */
export function smtpAccountFromUrl(url: string): SmtpAccount {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`not an SMTP URL: ${u.protocol}`);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}

export class SmtpMailer implements Mailer {
  private transport?: Promise<Transporter>;

  constructor(private readonly account: () => Promise<SmtpAccount>) {}

  async send(mail: Mail): Promise<string> {
    this.transport ??= this.account().then((a) =>
      createTransport({
        host: a.host,
        port: a.port,
        secure: a.secure,
        ...(a.user ? { auth: { user: a.user, pass: a.pass ?? '' } } : {}),
        // A relay that does not answer must not hold a Lambda for its whole timeout.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    );
    const transport = await this.transport;
    const info = await transport.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      attachments: mail.attachments,
      // SMTP has no event stream for bounces; the tags at least travel with the message.
      ...(mail.tags ? { headers: { 'X-Special-Ops-Tags': new URLSearchParams(mail.tags).toString() } } : {}),
    });
    return String(info.messageId ?? '');
  }
}
