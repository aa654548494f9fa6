// The Mailer port lives in the domain layer (functions/domain/mailer.ts); re-exported for the reports.
export type { Mail, Mailer } from '../domain/mailer.ts';
