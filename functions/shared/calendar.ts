// Calendar dates in China Standard Time. "Expires 2027-03-01" means valid through that
// day, so every day count is done on plain calendar dates (Temporal.PlainDate), never on
// UTC milliseconds. temporal-polyfill is the small, spec-tracking Temporal implementation.
import { Temporal } from 'temporal-polyfill';

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/** A `YYYY-MM-DD` calendar date. */
export type CalendarDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** Today's date in Asia/Shanghai for the given instant (defaults to now). */
export function todayInShanghai(now: Date = new Date()): CalendarDate {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(BUSINESS_TIME_ZONE)
    .toPlainDate()
    .toString();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Adds calendar years; 29 February lands on 28 February in common years. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  return Temporal.PlainDate.from(date).add({ years }, { overflow: 'constrain' }).toString();
}

export function addMonths(date: CalendarDate, months: number): CalendarDate {
  return Temporal.PlainDate.from(date).add({ months }, { overflow: 'constrain' }).toString();
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));
}

export function minDate(...dates: CalendarDate[]): CalendarDate | undefined {
  return dates.reduce<CalendarDate | undefined>(
    (m, d) => (m === undefined || compareDates(d, m) < 0 ? d : m),
    undefined,
  );
}
