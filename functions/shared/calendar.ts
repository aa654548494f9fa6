// Calendar dates in China Standard Time. "Expires 2027-03-01" means valid through that
// day, so every day count is done on plain calendar dates, never on instants.
// No date library: the one time-zone question ("which day is it in Shanghai?") is a fixed
// UTC+8 since China's last daylight-saving time ended in 1991 (the platform's ICU data,
// through Intl, answers for earlier instants), and calendar arithmetic on the proleptic
// Gregorian calendar is what `Date`'s UTC fields do exactly (no zone, no DST). This kept
// 54 KB of Temporal polyfill out of every Lambda bundle (docs/benchmarks.md).

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/** A `YYYY-MM-DD` calendar date. */
export type CalendarDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a year/month(1-12)/day; out-of-range parts roll over (31 April → 1 May). */
function dayNumber(year: number, month: number, day: number): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  return t.getTime() / MS_PER_DAY;
}

function parse(date: CalendarDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** A date that rolled over is not the day written: 2026-02-30 does not exist. */
function toDays(date: CalendarDate): number {
  const { year, month, day } = parse(date);
  const n = dayNumber(year, month, day);
  if (fromDays(n) !== date) throw new RangeError(`no such day: ${date}`);
  return n;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function fromDays(days: number): CalendarDate {
  const t = new Date(days * MS_PER_DAY);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}

export function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return !!m && fromDays(dayNumber(Number(m[1]), Number(m[2]), Number(m[3]))) === value;
}

/** China Standard Time is UTC+8 all year since daylight saving last ended (1991-09-15). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const FIXED_OFFSET_SINCE = Date.UTC(1991, 9, 1);

// Built only for an instant before 1991: creating a formatter with a time zone loads ICU's
// zone data, measured at ~15–35 ms of every cold start when it was built at import.
let shanghaiDay: Intl.DateTimeFormat | undefined;

/** Today's date in Asia/Shanghai for the given instant (defaults to now). */
export function todayInShanghai(now: Date = new Date()): CalendarDate {
  const ms = now.getTime();
  // `>` for `>=` is an equivalent mutant: at that instant both ways name the same day.
  if (ms >= FIXED_OFFSET_SINCE) return fromDays(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
  shanghaiDay ??= new Intl.DateTimeFormat('en-US', {
    timeZone: BUSINESS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const parts = Object.fromEntries(shanghaiDay.formatToParts(now).map((p) => [p.type, p.value]));
  return `${pad(Number(parts.year), 4)}-${parts.month}-${parts.day}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDays(to) - toDays(from);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDays(toDays(date) + days);
}

/** Adds calendar months; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  toDays(date); // refuses a day that does not exist
  const { year, month, day } = parse(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  const last = new Date(0);
  last.setUTCFullYear(y, m, 0); // day 0 of the next month: the last day of this one
  return fromDays(dayNumber(y, m, Math.min(day, last.getUTCDate())));
}

/** Adds calendar years; 29 February lands on 28 February in common years. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  return addMonths(date, years * 12);
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return Math.sign(toDays(a) - toDays(b));
}

export function minDate(...dates: CalendarDate[]): CalendarDate | undefined {
  // `<=` would pick an equal later date: the same date (an equivalent mutant).
  return dates.reduce<CalendarDate | undefined>(
    (m, d) => (m === undefined || compareDates(d, m) < 0 ? d : m),
    undefined,
  );
}
