// A local SMTP server that keeps what it receives (the China profile's mail, locally and in
// the tests): built on smtp-server, the server half of the nodemailer project. Optional
// AUTH PLAIN/LOGIN with one account, so a wrong password is refused as a real relay would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(
  options: {
    port?: number;
    user?: string;
    pass?: string;
    /** Also write each message there as an .eml file (npm start: .local/mail/), to be read. */
    mailDir?: string;
  } = {},
): Promise<SmtpSink> {
  if (options.mailDir) mkdirSync(options.mailDir, { recursive: true });
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: !options.user,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass)
        return callback(null, { user: auth.username });
      return callback(new Error('535 Authentication failed'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        received.push(mail);
        if (options.mailDir) {
          // Sortable by arrival; the recipient in the name so a newcomer finds their invitation.
          const stamp = new Date().toISOString().replace(/[:.]/g, '-');
          const to = (mail.to[0] ?? 'unknown').replace(/[^A-Za-z0-9@._-]/g, '_');
          writeFileSync(join(options.mailDir, `${stamp}-${received.length}-${to}.eml`), mail.raw);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const auth = options.user
    ? `${encodeURIComponent(options.user)}:${encodeURIComponent(options.pass ?? '')}@`
    : '';
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
