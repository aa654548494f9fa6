// Scheduled jobs, once: EventBridge Scheduler schedules in CDK and the local runtime's
// cron both come from this list. Expressions are EventBridge cron (min hour dom month dow
// year) in the given time zone.

/** How often every offline allowlist is republished (the allowlist-age alarm is tied to it). */
export const ALLOWLIST_REFRESH_HOURS = 6;

export const JOBS = [
  'expiry-sweep',
  'monthly-health-report',
  'gate-allowlists-changed',
  'gate-allowlists-refresh',
  'heatmap-recount',
  'federation-retry',
  'blacklist-expiry',
  'notification-relay',
  'webhook-relay',
  'binding-check',
  'sms-receipts',
  'retention-erasure',
  'records-expiry',
  'audit-seal',
  // Not on a schedule of its own: one-time schedules per work ticket (tickets/ticket-timers.ts).
  'ticket-expiry',
] as const;
export type JobName = (typeof JOBS)[number];

export interface ScheduleDefinition {
  name: string;
  job: JobName;
  expression: string;
  timeZone: string;
  description: string;
}

export const SCHEDULES: ScheduleDefinition[] = [
  {
    name: 'daily-expiry-sweep',
    job: 'expiry-sweep',
    expression: 'cron(5 0 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Recompute the status of everyone whose colour may change today (00:05 China time)',
  },
  {
    name: 'monthly-health-report',
    job: 'monthly-health-report',
    expression: 'cron(0 8 5 * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Certificate health report per tenant on the 5th of each month, 08:00 China time',
  },
  {
    name: 'gate-allowlists-changed',
    job: 'gate-allowlists-changed',
    expression: 'cron(* * * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Republish the offline allowlists of sites where gate access changed (every minute)',
  },
  {
    name: 'gate-allowlists-refresh',
    job: 'gate-allowlists-refresh',
    expression: `cron(15 */${ALLOWLIST_REFRESH_HOURS} * * ? *)`,
    timeZone: 'Asia/Shanghai',
    description: 'Republish every gate allowlist every 6 hours, well before the 24-hour expiry',
  },
  {
    name: 'heatmap-recount',
    job: 'heatmap-recount',
    expression: 'cron(40 2 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description:
      'Recount who is on site and report (and repair) any heat-map counter that drifted (02:40 China time)',
  },
  {
    name: 'federation-retry',
    job: 'federation-retry',
    expression: 'cron(20 * * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Deliver again every alliance change a partner did not take (hourly, at :20)',
  },
  {
    name: 'blacklist-expiry',
    job: 'blacklist-expiry',
    expression: 'cron(10 0 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Send the alliance the blacklist entries whose 3 years end today (00:10 China time)',
  },
  {
    name: 'notification-relay',
    job: 'notification-relay',
    expression: 'cron(* * * * ? *)',
    timeZone: 'Asia/Shanghai',
    description:
      'Hand new inbox messages to the work queue for WeCom/DingTalk/SMS/email delivery (every minute)',
  },
  {
    name: 'webhook-relay',
    job: 'webhook-relay',
    expression: 'cron(* * * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Hand new events to the webhook subscriptions that want them (every minute)',
  },
  {
    name: 'sms-receipts',
    job: 'sms-receipts',
    expression: 'cron(*/5 * * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Read back the handset receipts of SMS sent through Aliyun (every 5 minutes)',
  },
  {
    name: 'retention-erasure',
    job: 'retention-erasure',
    expression: 'cron(50 3 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description:
      'Erase the personal data of leavers whose retention period ended (03:50 China time); figures and the masked audit trail stay',
  },
  {
    name: 'records-expiry',
    job: 'records-expiry',
    expression: 'cron(10 4 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description:
      'Delete the documents of the regulator’s file whose retention ended, file and record (04:10 China time)',
  },
  {
    name: 'audit-seal',
    job: 'audit-seal',
    expression: 'cron(30 0 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description:
      'Seal yesterday’s audit chain of every tenant: records numbered and linked, the head signed with the tenant’s KMS key (00:30 China time)',
  },
  {
    name: 'binding-check',
    job: 'binding-check',
    expression: 'cron(30 6 * * ? *)',
    timeZone: 'Asia/Shanghai',
    description: 'Refresh whether each bound person follows the tenant’s WeCom app (06:30 China time)',
  },
];

/** EventBridge's 6-field cron → the 5-field form a standard cron library reads. */
export function toStandardCron(expression: string): string {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  if (!m) throw new Error(`Not a cron expression: ${expression}`);
  const fields = (m[1] as string).split(/\s+/);
  if (fields.length !== 6) throw new Error(`EventBridge cron has 6 fields: ${expression}`);
  return fields
    .slice(0, 5)
    .map((f) => (f === '?' ? '*' : f))
    .join(' ');
}
