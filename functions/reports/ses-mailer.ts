// SES v2 adapter of the Mailer port (the global profile; a China deployment plugs in SMTP).
// nodemailer's MailComposer builds the MIME message, SES sends it raw.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { awsClient } from '../shared/aws-client-config.ts';
import type { Mail, Mailer } from './mailer.ts';

export class SesMailer implements Mailer {
  private ses?: SESv2Client;

  async send(mail: Mail): Promise<string> {
    const raw = await new MailComposer({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      attachments: mail.attachments,
    })
      .compile()
      .build();
    this.ses ??= awsClient(SESv2Client);
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: mail.to },
        Content: { Raw: { Data: raw } },
        // Bounces and complaints come back as events with these tags (N1: suppression).
        ...(process.env.MAIL_CONFIGURATION_SET
          ? { ConfigurationSetName: process.env.MAIL_CONFIGURATION_SET }
          : {}),
        ...(mail.tags
          ? {
              EmailTags: Object.entries(mail.tags).map(([Name, Value]) => ({
                Name,
                Value: sesTagValue(Value),
              })),
            }
          : {}),
      }),
    );
    return out.MessageId ?? '';
  }
}

/** SES tag values allow ASCII letters, digits, _ - . @ only. */
const sesTagValue = (v: string) => v.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);
