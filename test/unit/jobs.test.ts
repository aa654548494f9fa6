import { describe, expect, it } from 'vitest';
import { daysToSweep } from '../../functions/jobs/expiry-sweep.ts';
import { SCHEDULES, toStandardCron } from '../../functions/jobs/schedules.ts';
import { nextRun } from '../../infra/local/scheduler.ts';

describe('which days a sweep covers', () => {
  it.each([
    ['a daily run', '2027-01-05', '2027-01-04', '2027-01-05', ['2027-01-05']],
    ['a re-run of the same day', '2027-01-05', '2027-01-05', '2027-01-05', ['2027-01-05']],
    [
      'catch-up after 3 missed days',
      '2027-01-05',
      '2027-01-01',
      '2027-01-05',
      ['2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05'],
    ],
    ['a day before the last completed one', '2027-01-03', '2027-01-05', '2027-01-05', ['2027-01-03']],
  ])('%s', (_, date, last, today, days) => {
    expect(daysToSweep(date, last, today)).toEqual(days);
  });

  it('looks back a month on a first run, from the real today when the date is simulated ahead', () => {
    const days = daysToSweep('2027-03-01', undefined, '2027-01-05');
    expect(days[0]).toBe('2026-12-05');
    expect(days.at(-1)).toBe('2027-03-01');
  });

  it('never catches up more than a year', () => {
    expect(daysToSweep('2027-01-05', '2020-01-01', '2027-01-05')).toHaveLength(367);
  });
});

describe('schedules', () => {
  it('turns EventBridge cron into standard cron', () => {
    expect(toStandardCron('cron(5 0 * * ? *)')).toBe('5 0 * * *');
    expect(toStandardCron('cron(0 8 5 * ? *)')).toBe('0 8 5 * *');
  });

  it.each([
    ['daily-expiry-sweep', '2026-11-28T10:00:00Z', '2026-11-28T16:05:00.000Z'], // 00:05 on the 29th in Shanghai
    ['daily-expiry-sweep', '2026-11-28T16:06:00Z', '2026-11-29T16:05:00.000Z'],
    ['monthly-health-report', '2026-11-28T10:00:00Z', '2026-12-05T00:00:00.000Z'], // 08:00 on the 5th in Shanghai
  ])('fires %s after %s at %s', (name, after, expected) => {
    const schedule = SCHEDULES.find((s) => s.name === name);
    expect(nextRun(schedule as (typeof SCHEDULES)[number], new Date(after)).toISOString()).toBe(expected);
  });
});
