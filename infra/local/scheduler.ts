// The local stand-in for EventBridge Scheduler: fires the same schedules (same
// expressions, same time zone) by calling the jobs handler in-process. One-time schedules
// (work-ticket expiry) are created through the real Scheduler API in the emulator, which
// stores but never fires them: this reads them back and fires the ones that fell due.
import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  paginateListSchedules,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
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

/** When a one-time `at(yyyy-mm-ddThh:mm:ss)` schedule fires (UTC unless a zone is given; only UTC is used here). */
export function atInstant(expression: string, timeZone = 'UTC'): Date | undefined {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!m || timeZone !== 'UTC') return undefined;
  return new Date(`${m[1]}Z`);
}

/**
 * Fires every one-time schedule of the group that is due at `now` with its target input,
 * then deletes it (ActionAfterCompletion DELETE). Returns the inputs it fired.
 */
export async function fireDueOneTimeSchedules(
  group: string,
  run: (input: unknown) => Promise<unknown>,
  now = new Date(),
): Promise<unknown[]> {
  const client = new SchedulerClient({ maxAttempts: 1 });
  const fired: unknown[] = [];
  try {
    for await (const page of paginateListSchedules({ client }, { GroupName: group })) {
      for (const summary of page.Schedules ?? []) {
        const schedule = await client.send(new GetScheduleCommand({ Name: summary.Name, GroupName: group }));
        const at = atInstant(schedule.ScheduleExpression ?? '', schedule.ScheduleExpressionTimezone ?? 'UTC');
        if (!at || at > now) continue;
        const input = JSON.parse(schedule.Target?.Input ?? '{}') as unknown;
        await run(input);
        fired.push(input);
        if (schedule.ActionAfterCompletion === 'DELETE')
          await client.send(new DeleteScheduleCommand({ Name: summary.Name, GroupName: group }));
      }
    }
  } finally {
    client.destroy();
  }
  return fired;
}

/** Polls the group every few seconds (EventBridge itself fires within about a minute). */
export function startOneTimeSchedules(
  group: string,
  run: (input: unknown) => Promise<unknown>,
  everyMs = 10_000,
) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fireDueOneTimeSchedules(group, run)
      .catch((error: unknown) => console.error('one-time schedules failed:', error))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}
