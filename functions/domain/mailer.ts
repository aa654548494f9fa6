// The Mailer port (reports, invitations, notifications by mail): SES or SMTP adapters implement it.
export interface Mail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  attachments: { filename: string; content: string; contentType: string }[];
  /** Carried back by the provider's bounce and complaint events (SES message tags). */
  tags?: Record<string, string>;
}

export interface Mailer {
  /** Sends it; resolves to the provider's message id. */
  send(mail: Mail): Promise<string>;
}
