// The words every capability uses about a person's standing (SPEC L5): colours, reasons,
// a certificate's and a person's status, the thresholds. Computed by certificates/status.ts;
// read by gates, tickets, reports, notifications and the rest.
import type { CalendarDate } from '../shared/calendar.ts';

export type Color = 'green' | 'yellow' | 'red';
export type Access = 'allowed' | 'frozen';

export interface StatusThresholds {
  /** Days before a deadline at which reminders start (L3). */
  reminderDays: number;
  /** A certificate with this many days left or fewer is yellow (L5). */
  yellowDays: number;
  /** Yellow escalates (urgent) at this many days left or fewer. */
  escalateDays: number;
}

/** The brief's values; tenants may change them (they are product policy, not law). */
export const DEFAULT_THRESHOLDS: StatusThresholds = { reminderDays: 90, yellowDays: 60, escalateDays: 30 };

/** What the registry said (functions/verification/outcome.ts), as the engine needs it. */
export type RegistryOutcome = 'valid' | 'expired' | 'revoked' | 'not_found' | 'mismatch' | 'name_review';

export type ReasonCode =
  | 'no_certificate'
  | 'revoked'
  | 'expired'
  | 'review_missed'
  | 'vacuum_period'
  | 'not_yet_valid'
  | 'expiring'
  | 'expiring_urgent'
  | 'review_due'
  | 'review_due_urgent'
  | 'reminder_window'
  | 'renewal_entered'
  | 'registry_revoked'
  | 'registry_expired'
  | 'registry_not_found'
  | 'registry_mismatch'
  | 'registry_name_review'
  | 'forgery_review'
  | 'forgery_confirmed'
  | 'blacklisted'
  | 'subcontractor_terminated'
  | 'departed'
  | 'suspended'
  | 'review_at_risk';

export interface StatusReason {
  code: ReasonCode;
  certificateId?: string;
  /** The date the reason is about (expiry, review due, vacuum end …). */
  date?: CalendarDate;
  /** Days left (negative: days overdue). */
  days?: number;
  /** blacklisted: the registered partner association whose entry it is (absent: the tenant's own). */
  source?: string;
}

export interface VacuumPeriod {
  from: CalendarDate;
  to: CalendarDate;
}

export interface CertificateStatus {
  certificateId: string;
  color: Color;
  daysLeft: number;
  expiresOn: CalendarDate;
  reviewDueOn: CalendarDate | null;
  vacuumPeriod?: VacuumPeriod;
  /** True when this certificate is the one in force today in its renewal chain. */
  current: boolean;
  /** The registry's last answer; null = never verified (flagged, never assumed valid). */
  verification: { outcome: RegistryOutcome; at: string } | null;
  reasons: StatusReason[];
}

export interface PersonStatus {
  color: Color;
  reasons: StatusReason[];
  gateAccess: Access;
  dispatch: Access;
  certificates: CertificateStatus[];
  computedOn: CalendarDate;
  /** Categories of the certificates in force (one per renewal chain), sorted: what the heat map filters by. */
  categories: string[];
  /** The first day after `computedOn` on which the status may change by date alone. */
  nextChangeOn: CalendarDate | null;
  /**
   * The first day on which gate access lapses by date alone (expiry, missed review, …),
   * looked ahead over the coming change days; absent when access is frozen already or
   * does not lapse by date. Offline gate allowlists stop letting the person in that day.
   */
  accessLapsesOn?: CalendarDate;
}
