// A suspension for training (SPEC E1), as every capability reads it off the person and their
// gate view: from `since`, red with reason `suspended`, gate and dispatch frozen, until a
// manager reinstates the person after the courses. And the review-at-risk mark (MEM Order 30
// Art. 25): two confirmed violations, or one serious — the MEM certificates' review at risk.
import type { CalendarDate } from '../shared/calendar.ts';

export interface Course {
  courseId: string;
  completedAt?: string;
  completedBy?: string;
  /** S3 keys of the proof (a training record, an attendance sheet). */
  evidence?: string[];
}

export interface Suspension {
  since: CalendarDate;
  /** The points in force when it began. */
  points: number;
  violationIds: string[];
  courses: Course[];
}

export interface ReviewAtRisk {
  since: CalendarDate;
  /**
   * The day the violations behind it stop meeting the rule (they leave the rolling window):
   * from then the mark no longer shows. Absent on marks set before it was kept (they hold).
   */
  until?: CalendarDate;
  violationIds: string[];
}

/** Whether the review-at-risk mark still shows on `today`. */
export const reviewAtRiskInForce = (mark: Pick<ReviewAtRisk, 'until'> | undefined, today: CalendarDate) =>
  !!mark && (!mark.until || today < mark.until);
