// The end of a person's engagement with the tenant: their subcontractor's contract
// terminated (issue 28), or they left. From its first day the gate refuses them (with the
// reason), dispatch puts them on no ticket, and their status reads red — whatever their
// certificates say. It is dated, so a termination set for next Monday takes effect on
// Monday without a job running first, and it is lifted by removing it (reversible).
import type { CalendarDate } from '../shared/calendar.ts';

export const ENGAGEMENT_END_REASONS = ['subcontractor_terminated', 'departed'] as const;
export type EngagementEndReason = (typeof ENGAGEMENT_END_REASONS)[number];

export interface EngagementEnd {
  /** The first day the person no longer works for the tenant (China date). */
  on: CalendarDate;
  reason: EngagementEndReason;
  /** For a termination: whose contract ended (a reversal lifts only its own ends). */
  subcontractorId?: string;
}

/** Whether the engagement has ended by `today` (China date). */
export const engagementEnded = (end: EngagementEnd | undefined, today: CalendarDate): end is EngagementEnd =>
  !!end && end.on <= today;
