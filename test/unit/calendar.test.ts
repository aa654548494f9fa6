import { describe, expect, it, vi } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  daysBetween,
  isCalendarDate,
  todayInShanghai,
} from '../../functions/shared/calendar.ts';

describe('Asia/Shanghai calendar dates', () => {
  it.each([
    ['2026-11-28T15:59:59.999Z', '2026-11-28'],
    ['2026-11-28T16:00:00.000Z', '2026-11-29'], // midnight in Shanghai, still the 28th in UTC
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
    ['2028-02-28T16:00:00.000Z', '2028-02-29'],
    // Around the end of China's last daylight-saving time (1991-09-15, UTC+9 → UTC+8) and the
    // switch from the time-zone database to the fixed offset (1991-10-01T00:00Z).
    ['1991-09-14T14:59:59.999Z', '1991-09-14'],
    ['1991-09-14T15:00:00.000Z', '1991-09-15'], // midnight at UTC+9
    ['1991-09-30T15:59:59.999Z', '1991-09-30'],
    ['1991-09-30T16:00:00.000Z', '1991-10-01'],
    ['1991-10-01T00:00:00.000Z', '1991-10-01'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01'],
    ['1969-12-31T15:59:59.999Z', '1969-12-31'],
    ['1969-12-31T16:00:00.000Z', '1970-01-01'],
  ])('instant %s is %s in Shanghai', (instant, date) => {
    expect(todayInShanghai(new Date(instant))).toBe(date);
  });

  it('needs no time-zone database for an instant since 1991 (no ICU zone data at a cold start)', async () => {
    vi.resetModules();
    const formatter = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      const fresh = await import('../../functions/shared/calendar.ts');
      expect(fresh.todayInShanghai(new Date('2026-11-28T16:00:00.000Z'))).toBe('2026-11-29');
      expect(formatter).not.toHaveBeenCalled();
      expect(fresh.todayInShanghai(new Date('1988-06-01T15:30:00.000Z'))).toBe('1988-06-02'); // UTC+9 then
      expect(formatter).toHaveBeenCalledTimes(1);
    } finally {
      formatter.mockRestore();
    }
  });

  it.each([
    ['2026-11-28', '2026-11-28', 0],
    ['2026-11-28', '2027-01-27', 60],
    ['2027-03-01', '2027-02-28', -1],
    ['2028-02-28', '2028-03-01', 2],
  ])('from %s to %s is %i days', (a, b, days) => {
    expect(daysBetween(a, b)).toBe(days);
  });

  it('constrains 29 February when adding years', () => {
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
  });

  it.each([
    ['2027-02-28', true],
    ['2027-02-29', false],
    ['2027-2-28', false],
    ['2027-13-01', false],
    ['2024-02-29', true],
    // ISO 8601 forms a parser accepts but a date field must not: basic format, a time, junk around it.
    ['20261128', false],
    ['2026-11-28T10:00', false],
    ['x2026-11-28', false],
    ['2026-11-28 ', false],
  ])('%s is a calendar date: %s', (value, ok) => expect(isCalendarDate(value)).toBe(ok));
});

describe('dates that are not days', () => {
  it('are refused by the arithmetic, not rolled over into another day', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-04-31', '20261128', '2026-11-28T10:00', ''])
      for (const op of [
        () => addDays(bad, 1),
        () => addMonths(bad, 1),
        () => addYears(bad, 1),
        () => daysBetween(bad, '2026-11-28'),
        () => compareDates('2026-11-28', bad),
      ])
        expect(op, bad).toThrow(RangeError);
  });
});
