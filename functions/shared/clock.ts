// The Clock port: "now" and "today in Asia/Shanghai" come from here, never from a bare
// `new Date()` inside a use case, so a test can stand at 23:59 and at 00:00 of an expiry
// day without waiting for one (and a job can run "as of" a date).
import { type CalendarDate, todayInShanghai } from './calendar.ts';

export interface Clock {
  now(): Date;
  /** The calendar day in China Standard Time. */
  today(): CalendarDate;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => todayInShanghai(new Date()),
};

/** A clock stopped at one instant (tests; "as of" runs). */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant), today: () => todayInShanghai(instant) };
}
