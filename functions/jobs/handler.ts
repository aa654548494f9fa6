// Scheduled jobs (EventBridge Scheduler in AWS, the local cron or `npm run job` locally).
// At-least-once delivery is fine: every job is idempotent.
import * as z from 'zod';
import { calendarDate } from '../../schemas/common.ts';
import { dynamoAdapters } from '../composition-root.ts';
import { publishChangedAllowlists, refreshAllAllowlists } from '../gates/allowlists.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { logger } from '../shared/logger.ts';
import { runExpirySweep } from './expiry-sweep.ts';
import { runMonthlyHealthReports } from './monthly-reports.ts';
import { JOBS } from './schedules.ts';

const JobEvent = z.object({
  job: z.enum(JOBS),
  date: calendarDate.optional(),
  dryRun: z.boolean().optional(),
});

export async function handler(event: unknown) {
  const parsed = JobEvent.safeParse(event);
  if (!parsed.success) {
    // A malformed schedule input is a deployment bug: fail loudly so the retry/DLQ sees it.
    logger.error('invalid job event', { issues: parsed.error.issues });
    throw new Error('invalid job event');
  }
  const { job, date, dryRun } = parsed.data;
  const day = date ?? todayInShanghai();
  switch (job) {
    case 'expiry-sweep':
      return runExpirySweep(dynamoAdapters(), day, { dryRun });
    case 'monthly-health-report':
      return runMonthlyHealthReports(dynamoAdapters(), day);
    case 'gate-allowlists-changed':
      return publishChangedAllowlists(dynamoAdapters());
    case 'gate-allowlists-refresh':
      return refreshAllAllowlists(dynamoAdapters());
  }
}
