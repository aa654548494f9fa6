// The SMTP adapter of the Mailer port (deployments without SES, e.g. the AWS China regions)
// against a local SMTP server: what arrives, authentication, and the composition root's
// choice of provider by MAIL_PROVIDER — including "none", which refuses clearly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer, smtpAccountFromUrl } from '../../functions/reports/smtp-mailer.ts';
import { type SmtpSink, startSmtpSink } from '../../infra/local/smtp-sink.ts';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ user: 'notify@example.cn', pass: 's3cret-pass' });
});
afterAll(async () => {
  await sink.close();
});

const mail = {
  from: 'safety@example.cn',
  to: ['wang@example.cn'],
  subject: '已冻结：王*',
  html: '<p>证书已过期</p>',
  attachments: [{ filename: 'report.csv', content: 'a,b\n1,2\n', contentType: 'text/csv' }],
  tags: { tenantId: 'acme', personId: 'per_01ABCDEFGHJK' },
};

describe('SMTP mailer', () => {
  it('reads an smtp:// URL as an account', () => {
    expect(smtpAccountFromUrl('smtps://u%40x:p@mail.example.cn')).toEqual({
      host: 'mail.example.cn',
      port: 465,
      secure: true,
      user: 'u@x',
      pass: 'p',
    });
    expect(smtpAccountFromUrl('smtp://relay.local:2525')).toEqual({
      host: 'relay.local',
      port: 2525,
      secure: false,
    });
    expect(() => smtpAccountFromUrl('https://example.cn')).toThrow(/not an SMTP URL/);
  });

  it('delivers the message with its attachment and tags, authenticated', async () => {
    const id = await new SmtpMailer(async () => smtpAccountFromUrl(sink.url)).send(mail);
    expect(id).toMatch(/@/);
    const got = sink.received.at(-1);
    expect(got).toMatchObject({ from: 'safety@example.cn', to: ['wang@example.cn'] });
    expect(got?.raw).toContain('filename=report.csv');
    expect(got?.raw).toContain('X-Special-Ops-Tags: tenantId=acme&personId=per_01ABCDEFGHJK');
  });

  it('fails when the relay refuses the password', async () => {
    const account = { ...smtpAccountFromUrl(sink.url), pass: 'wrong' };
    await expect(new SmtpMailer(async () => account).send(mail)).rejects.toThrow(/Authentication failed|535/);
  });

  it('is the deployment mailer when MAIL_PROVIDER=smtp; none refuses with a clear problem', async () => {
    const before = sink.received.length;
    Object.assign(process.env, { MAIL_PROVIDER: 'smtp', SMTP_URL: sink.url });
    const { mailer } = await import('../../functions/composition-root.ts');
    await mailer().send(mail);
    expect(sink.received.length).toBe(before + 1);

    const { ProviderNotConfigured } = await import('../../functions/shared/errors.ts');
    process.env.MAIL_PROVIDER = 'none';
    const { vi } = await import('vitest');
    vi.resetModules();
    const fresh = await import('../../functions/composition-root.ts');
    await expect(fresh.mailer().send(mail)).rejects.toSatisfy(
      (e: Error) => e.name === ProviderNotConfigured.name && e.message.includes('mail_not_configured'),
    );
  });
});
