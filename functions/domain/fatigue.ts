// The fatigue window (SPEC X3): continuous time on site and time on site in the last 24 h,
// from a person's in/out check-ins, against tenant thresholds. Pure. An "in" without an
// "out" is an open shift that runs until now; an "out" without an "in" is ignored.

export interface CheckIn {
  at: string; // ISO instant
  direction: 'in' | 'out';
  siteId: string;
  /** The work ticket's GB 30871 type, when the gate read one. */
  workType?: string;
  gateId?: string;
}

export interface FatigueThresholds {
  /** Longest continuous presence, in minutes (default 12 h). */
  maxContinuousMinutes: number;
  /** Most presence within any trailing 24 h, in minutes (default 14 h). */
  maxMinutesIn24h: number;
}

export const DEFAULT_FATIGUE: FatigueThresholds = { maxContinuousMinutes: 12 * 60, maxMinutesIn24h: 14 * 60 };

export interface FatigueWindow {
  onSite: boolean;
  siteId?: string;
  /** Minutes since the open shift began (0 when not on site). */
  continuousMinutes: number;
  minutesInLast24h: number;
  flagged: boolean;
  reasons: ('continuous_too_long' | 'too_long_in_24h')[];
}

/** Shifts as [start, end) intervals in ms; an open shift ends at `now`. */
function shifts(
  checkIns: CheckIn[],
  now: number,
): { start: number; end: number; siteId: string; open: boolean }[] {
  const sorted = [...checkIns].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const result: { start: number; end: number; siteId: string; open: boolean }[] = [];
  let open: { start: number; siteId: string } | undefined;
  for (const c of sorted) {
    const t = Date.parse(c.at);
    if (c.direction === 'in') {
      // A second "in" (moving to another gate or site) continues the same shift.
      open ??= { start: t, siteId: c.siteId };
      open.siteId = c.siteId;
    } else if (open) {
      result.push({ start: open.start, end: t, siteId: open.siteId, open: false });
      open = undefined;
    }
  }
  if (open)
    result.push({ start: open.start, end: Math.max(now, open.start), siteId: open.siteId, open: true });
  return result;
}

export interface Job {
  siteId: string;
  start: string;
  /** Absent while the shift is still open. */
  end?: string;
  workTypes: string[];
}

/**
 * The latest `count` jobs (shifts), newest first, with the work types declared at their
 * check-ins. A shift that moved between sites is counted at the site it ended at.
 */
export function recentJobs(checkIns: CheckIn[], count = 3): Job[] {
  const sorted = [...checkIns].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const jobs: Job[] = [];
  let open: Job | undefined;
  for (const c of sorted) {
    if (c.direction === 'in') {
      open ??= { siteId: c.siteId, start: c.at, workTypes: [] };
      open.siteId = c.siteId;
      if (c.workType && !open.workTypes.includes(c.workType)) open.workTypes.push(c.workType);
    } else if (open) {
      jobs.push({ ...open, end: c.at });
      open = undefined;
    }
  }
  if (open) jobs.push(open);
  return jobs.reverse().slice(0, count);
}

export function fatigueWindow(
  checkIns: CheckIn[],
  now: Date,
  t: FatigueThresholds = DEFAULT_FATIGUE,
): FatigueWindow {
  const nowMs = now.getTime();
  const dayAgo = nowMs - 24 * 3600_000;
  const all = shifts(checkIns, nowMs);
  const current = all.find((s) => s.open);
  const continuousMinutes = current ? Math.floor((nowMs - current.start) / 60_000) : 0;
  const minutesInLast24h = Math.floor(
    all.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, nowMs) - Math.max(s.start, dayAgo)), 0) / 60_000,
  );
  const reasons: FatigueWindow['reasons'] = [];
  if (continuousMinutes > t.maxContinuousMinutes) reasons.push('continuous_too_long');
  if (minutesInLast24h > t.maxMinutesIn24h) reasons.push('too_long_in_24h');
  return {
    onSite: !!current,
    ...(current ? { siteId: current.siteId } : {}),
    continuousMinutes,
    minutesInLast24h,
    flagged: reasons.length > 0,
    reasons,
  };
}

/** A closed work ticket a person worked on (their job history, tickets/ticket-store.ts). */
export interface TicketJob {
  ticketId: string;
  siteId: string;
  type: string;
  from: string;
  to: string;
}

/**
 * The work types of each shift from the closed tickets that overlap it at its site; a shift
 * with no such ticket keeps what the gate recorded at check-in.
 */
export function withTicketWorkTypes(jobs: Job[], tickets: TicketJob[], now: Date) {
  return jobs.map((job) => {
    const start = Date.parse(job.start);
    const end = job.end ? Date.parse(job.end) : now.getTime();
    const overlapping = tickets.filter(
      (t) => t.siteId === job.siteId && Date.parse(t.from) < end && Date.parse(t.to) > start,
    );
    if (!overlapping.length) return { ...job, workTypesFrom: 'gates' as const };
    return {
      ...job,
      workTypes: [...new Set(overlapping.map((t) => t.type))],
      workTypesFrom: 'tickets' as const,
      ticketIds: overlapping.map((t) => t.ticketId),
    };
  });
}
