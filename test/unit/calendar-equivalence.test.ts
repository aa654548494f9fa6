// The calendar module does its arithmetic on Date's UTC fields and asks Intl for the day
// in Shanghai. Here it must answer exactly as Temporal (temporal-polyfill, a dev
// dependency only) does, on a thousand seeded random dates each, month ends and leap days.
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  daysBetween,
  isCalendarDate,
  todayInShanghai,
} from '../../functions/shared/calendar.ts';

let seed = 20261201;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const plain = (d: string) => Temporal.PlainDate.from(d);

/** Random days between 1900 and 2200, biased to month ends and 29 February. */
const dates = Array.from({ length: 1000 }, (_, i) => {
  const year = int(1900, 2200);
  const month = int(1, 12);
  const last = Temporal.PlainYearMonth.from({ year, month }).daysInMonth;
  const day = i % 3 === 0 ? last : int(1, last);
  return `${year}-${pad(month)}-${pad(day)}`;
});

describe('calendar arithmetic equals Temporal’s', () => {
  it('adds days, months and years (constraining to the month’s last day) like Temporal.PlainDate', () => {
    for (const d of dates) {
      const days = int(-4000, 4000);
      const months = int(-60, 60);
      const years = int(-10, 10);
      expect(addDays(d, days), `${d} + ${days} d`).toBe(plain(d).add({ days }).toString());
      expect(addMonths(d, months), `${d} + ${months} m`).toBe(
        plain(d).add({ months }, { overflow: 'constrain' }).toString(),
      );
      expect(addYears(d, years), `${d} + ${years} y`).toBe(
        plain(d).add({ years }, { overflow: 'constrain' }).toString(),
      );
    }
  });

  it('counts and compares days like Temporal.PlainDate', () => {
    for (let i = 1; i < dates.length; i++) {
      const [a, b] = [dates[i - 1] as string, dates[i] as string];
      expect(daysBetween(a, b)).toBe(plain(a).until(plain(b), { largestUnit: 'days' }).days);
      expect(compareDates(a, b)).toBe(Temporal.PlainDate.compare(plain(a), plain(b)));
    }
  });

  it('tells real days from impossible ones like Temporal.PlainDate with overflow: reject', () => {
    for (let i = 0; i < 1000; i++) {
      const candidate = `${int(1899, 2201)}-${pad(int(0, 13))}-${pad(int(0, 32))}`;
      let real = true;
      try {
        Temporal.PlainDate.from(candidate, { overflow: 'reject' });
      } catch {
        real = false;
      }
      expect(isCalendarDate(candidate), candidate).toBe(real);
    }
  });

  it('names the day in Shanghai like Temporal’s time-zone database, at any instant', () => {
    for (let i = 0; i < 1000; i++) {
      const ms = int(-2_208_988_800, 7_258_118_400) * 1000 + int(0, 999); // 1900 … 2200
      const expected = Temporal.Instant.fromEpochMilliseconds(ms)
        .toZonedDateTimeISO('Asia/Shanghai')
        .toPlainDate()
        .toString();
      expect(todayInShanghai(new Date(ms)), new Date(ms).toISOString()).toBe(expected);
    }
  });
});
