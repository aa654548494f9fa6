// The local stand-in for EventBridge Scheduler: fires the same schedules (same
// expressions, same time zone) by calling the jobs handler in-process.
import { CronExpressionParser } from 'cron-parser';
import { SCHEDULES, type ScheduleDefinition, toStandardCron } from '../../functions/jobs/schedules.ts';

export interface LocalScheduler {
  next: { name: string; at: Date }[];
  stop(): void;
}

export function nextRun(schedule: ScheduleDefinition, after: Date): Date {
  return CronExpressionParser.parse(toStandardCron(schedule.expression), {
    tz: schedule.timeZone,
    currentDate: after,
  })
    .next()
    .toDate();
}

export function startLocalScheduler(run: (job: ScheduleDefinition) => Promise<unknown>): LocalScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  const next: { name: string; at: Date }[] = [];
  const arm = (schedule: ScheduleDefinition) => {
    const at = nextRun(schedule, new Date());
    const entry = next.find((n) => n.name === schedule.name);
    if (entry) entry.at = at;
    else next.push({ name: schedule.name, at });
    // setTimeout tops out at ~24.8 days: re-arm in steps for the monthly job.
    const delay = Math.min(at.getTime() - Date.now(), 2 ** 31 - 1);
    timers.set(
      schedule.name,
      setTimeout(() => {
        if (Date.now() + 1000 < at.getTime()) return arm(schedule);
        run(schedule)
          .catch((error: unknown) => console.error(`scheduled job ${schedule.name} failed:`, error))
          .finally(() => arm(schedule));
      }, delay),
    );
  };
  for (const s of SCHEDULES) arm(s);
  return {
    next,
    stop: () => {
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
