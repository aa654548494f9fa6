// The daily expiry sweep (SPEC L3, L5): recomputes, as of a day, the status of exactly
// the people whose status may change that day. They are found through the sweep index
// (each person is keyed under its `nextChangeOn`), so the cost grows with the number of
// people changing, not with the number of certificates held. Idempotent: a recomputed
// person moves to its next change day, so a second run of the same day finds nobody.
// Catch-up: a run processes every day since the last completed one.

import type { CertificateRepository } from '../domain/certificate.ts';
import { statusOf } from '../domain/certificate.ts';
import type { PersonRepository } from '../domain/person.ts';
import { STATUS_THRESHOLDS, type TenantSettings } from '../domain/settings.ts';
import type { StatusThresholds } from '../domain/status.ts';
import { type StatusStore, statusDiffers } from '../domain/status-write.ts';
import { systemActor } from '../shared/audit.ts';
import { addDays, type CalendarDate, compareDates, daysBetween } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { errorForLog } from '../shared/error-log.ts';
import { logger } from '../shared/logger.ts';
import type { SweepIndex } from './sweep-index-store.ts';

export const JOB = 'expiry-sweep';
/** A first run, or a run after a long outage, looks back this far at most. */
export const MAX_CATCH_UP_DAYS = 366;
export const FIRST_RUN_LOOKBACK_DAYS = 31;
// People recomputed at once. The local runtime sets 1: moto fails concurrent transactions.
const PARALLEL_PEOPLE = Number(process.env.SWEEP_PARALLELISM ?? 8);

export interface SweepDeps {
  sweepIndex: SweepIndex;
  people: PersonRepository;
  certificates: CertificateRepository;
  settings: TenantSettings;
  statusStore: StatusStore;
  clock: Clock;
  /**
   * A person whose departure day the sweep reached: what they hold is given back (badges,
   * accounts, channels). A failure is logged, not the sweep's: the gate refuses them by date.
   */
  onDepartureDay?: (
    tenantId: string,
    personId: string,
    day: CalendarDate,
    requestId: string,
  ) => Promise<unknown>;
}

export interface SweepResult {
  date: CalendarDate;
  daysSwept: CalendarDate[];
  peopleChecked: number;
  statusesStored: number;
  colourChanges: number;
  dryRun?: boolean;
}

/**
 * The days a run for `date` covers: every day after the last completed one; on a first
 * run, a month back from the earlier of `date` and the real today (so a simulated future
 * date still finds the people due in between). Always at least `date` itself.
 */
export function daysToSweep(
  date: CalendarDate,
  lastCompleted: CalendarDate | undefined,
  today: CalendarDate,
): CalendarDate[] {
  const earliest = addDays(date, -MAX_CATCH_UP_DAYS);
  const anchor = compareDates(today, date) < 0 ? today : date;
  let from = lastCompleted ? addDays(lastCompleted, 1) : addDays(anchor, -FIRST_RUN_LOOKBACK_DAYS);
  if (compareDates(from, earliest) < 0) from = earliest;
  if (compareDates(from, date) > 0) from = date; // a re-run of a completed day looks at that day only
  return Array.from({ length: daysBetween(from, date) + 1 }, (_, i) => addDays(from, i));
}

export interface SweepOptions {
  /** Compute what would change, write nothing (also leaves the job state alone). */
  dryRun?: boolean;
}

export async function runExpirySweep(
  deps: SweepDeps,
  date: CalendarDate,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const now = deps.clock.now();
  const days = daysToSweep(date, await deps.sweepIndex.lastCompletedDay(), deps.clock.today());
  const thresholds = new Map<string, Promise<StatusThresholds>>();
  const thresholdsOf = (tenantId: string) => {
    let t = thresholds.get(tenantId);
    if (!t) {
      t = deps.settings.read(tenantId, STATUS_THRESHOLDS);
      thresholds.set(tenantId, t);
    }
    return t;
  };
  const result: SweepResult = {
    date,
    daysSwept: days,
    peopleChecked: 0,
    statusesStored: 0,
    colourChanges: 0,
  };

  const sweepPerson = async ({ tenantId, personId }: { tenantId: string; personId: string }) => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const person = await deps.people.get(tenantId, personId);
      // Index entries are eventually consistent: skip one the person has already left.
      if (!person?.status.nextChangeOn || compareDates(person.status.nextChangeOn, date) > 0) return;
      const [certs, t] = await Promise.all([
        deps.certificates.listForPerson(tenantId, personId),
        thresholdsOf(tenantId),
      ]);
      const status = statusOf(certs, date, t, person);
      if (!statusDiffers(person, status)) return;
      if (options.dryRun) {
        result.statusesStored++;
        if (person.status.color !== status.color) result.colourChanges++;
        return;
      }
      const saved = await deps.statusStore.save(
        systemActor(tenantId, JOB),
        person,
        status,
        'expiry-sweep',
        `${JOB}:${date}`,
        now,
      );
      if (saved) {
        result.statusesStored++;
        if (person.status.color !== status.color) result.colourChanges++;
        const departs = (s: { reasons: { code: string }[] }) => s.reasons.some((r) => r.code === 'departed');
        if (deps.onDepartureDay && departs(status) && !departs(person.status))
          await deps.onDepartureDay(tenantId, personId, date, `${JOB}:${date}`).catch((error: unknown) =>
            logger.error('could not complete a departure', {
              tenantId,
              personId,
              error: errorForLog(error),
            }),
          );
        return;
      }
    }
    logger.warn('sweep gave up on a person changing concurrently', { tenantId, personId });
  };

  for (const day of days) {
    const due = await deps.sweepIndex.peopleDueOn(day);
    result.peopleChecked += due.length;
    for (let i = 0; i < due.length; i += PARALLEL_PEOPLE) {
      await Promise.all(due.slice(i, i + PARALLEL_PEOPLE).map(sweepPerson));
    }
  }

  if (options.dryRun) return { ...result, dryRun: true };
  await deps.sweepIndex.markCompleted(date, now);
  logger.info('expiry sweep done', { ...result, daysSwept: days.length });
  return result;
}
