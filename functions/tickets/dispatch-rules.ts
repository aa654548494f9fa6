// The hard dispatch rules (SPEC X4): who may be put on a work ticket. Pure: each rule looks
// at the draft and what is known of the people on it, and returns every violation it finds —
// a ticket is refused with all of them, never just the first.

import { setting } from '../domain/settings.ts';
import { DEFAULT_THRESHOLDS } from '../domain/status.ts';
import { type CertificateFacts, evaluateCertificate } from '../domain/status-rules.ts';
import { distanceKm } from '../domain/travel.ts';
import { addMonths, type CalendarDate, compareDates, todayInShanghai } from '../shared/calendar.ts';
import type { MessageCode } from '../shared/i18n/messages.ts';
import {
  isRoleOf,
  type Qualification,
  qualificationsFor,
  rolesOf,
  stricterHours,
  TICKET_TYPE_RULES,
  type TicketType,
} from './ticket-types.ts';

/** The gate checks the same distance (travel.ts); dispatch reads it from here too. */
export { distanceKm };

export interface TicketDraft {
  siteId: string;
  type: TicketType;
  grade?: string;
  /** Instants (ISO 8601). */
  plannedFrom: string;
  plannedTo: string;
  workers: { personId: string; role: string }[];
  leaderId: string;
  guardianId?: string;
  /**
   * Planned shifts inside the window (instants), where the dispatcher gives them. A permit's
   * validity is not anyone's working time: without shifts, fatigue is the gate's to judge
   * from each person's actual presence.
   */
  shifts?: { from: string; to: string }[];
}

export interface SiteLocation {
  siteId: string;
  lat: number;
  lng: number;
}

/** What the rules need to know of one person on the ticket. */
export interface PersonOnTicket {
  personId: string;
  frozen: boolean;
  /** On the alliance blacklist on the day the work starts (O4). */
  blacklisted?: { expiresOn: string; organisation?: string };
  /** No longer working for the tenant by the day the work starts (terminated subcontractor, departure). */
  engagementEnded?: { on: string; reason: string };
  homeSiteId?: string;
  certificates: (CertificateFacts & { subType?: string | null })[];
  /** Check-ins of the last days (site and instant), for the distance rule. */
  checkIns: { siteId: string; at: string }[];
  /** The last time they worked in this ticket's type (a ticket or a check-in), if ever. */
  lastWorkedInType?: string;
  /** A recorded practical re-exam (MEM Order 30 Art. 32), if any. */
  practicalReexamOn?: CalendarDate;
  /** The last practice in the type that hr declared (work before the product knew them), if any. */
  practiceDeclaredOn?: CalendarDate;
  /** Approved cross-site permits to the ticket's site: their windows. */
  crossSitePermits: { toSiteId: string; from: string; to: string }[];
}

export interface DispatchSettings {
  /** Tenant limits per type (and grade): only ever stricter than the standard's. */
  maxHours?: Partial<Record<TicketType, number>>;
  distanceKm: number;
  distanceHours: number;
  /** Months away from the work type after which a practical re-exam is needed. */
  monthsAwayForReexam: number;
  maxContinuousMinutes: number;
  /** Most planned work within any 24 hours (the fatigue threshold maxMinutesIn24h). */
  maxMinutesIn24h: number;
  /** Tickets one guardian may guard at once. */
  maxTicketsPerGuardian: number;
}

export const DEFAULT_DISPATCH_SETTINGS: DispatchSettings = {
  distanceKm: 50,
  distanceHours: 24,
  monthsAwayForReexam: 6,
  maxContinuousMinutes: 720,
  maxMinutesIn24h: 840,
  maxTicketsPerGuardian: 1,
};

/** What a tenant sets (GET/PUT /settings/dispatch-policy); the shift limit comes from its fatigue thresholds. */
export interface DispatchPolicy extends Omit<DispatchSettings, 'maxContinuousMinutes' | 'maxMinutesIn24h'> {
  /** How long both managers have to co-sign a cross-site permit before it lapses. */
  permitSignatureHours: number;
}

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  distanceKm: 50,
  distanceHours: 24,
  monthsAwayForReexam: 6,
  maxTicketsPerGuardian: 1,
  permitSignatureHours: 48,
  maxHours: {},
};

/** The dispatch policy as a tenant setting (GET/PUT /settings/dispatch-policy). */
export const DISPATCH_POLICY = setting('dispatch-policy', DEFAULT_DISPATCH_POLICY);

export const dispatchSettings = (
  policy: DispatchPolicy,
  fatigue: { maxContinuousMinutes: number; maxMinutesIn24h: number },
): DispatchSettings => ({
  distanceKm: policy.distanceKm,
  distanceHours: policy.distanceHours,
  monthsAwayForReexam: policy.monthsAwayForReexam,
  maxTicketsPerGuardian: policy.maxTicketsPerGuardian,
  ...(policy.maxHours && Object.keys(policy.maxHours).length ? { maxHours: policy.maxHours } : {}),
  maxContinuousMinutes: fatigue.maxContinuousMinutes,
  maxMinutesIn24h: fatigue.maxMinutesIn24h,
});

export interface Violation {
  code: MessageCode;
  personId?: string;
  detail?: Record<string, string | number>;
}

const HOUR = 3600_000;

/** The window itself: a start before its end, a known grade, within the type's limit. */
export function windowViolations(draft: TicketDraft, settings: DispatchSettings): Violation[] {
  const from = Date.parse(draft.plannedFrom);
  const to = Date.parse(draft.plannedTo);
  if (!(to > from)) return [{ code: 'window_invalid' }];
  const rule = TICKET_TYPE_RULES[draft.type];
  let standard = rule.maxHours;
  if (rule.grades) {
    const grade = draft.grade === undefined ? undefined : rule.grades[draft.grade];
    if (!grade) return [{ code: 'grade_invalid', detail: { allowed: Object.keys(rule.grades).join(',') } }];
    standard = grade.maxHours;
  }
  const limit = stricterHours(standard, settings.maxHours?.[draft.type]);
  const hours = (to - from) / HOUR;
  return limit !== null && hours > limit
    ? [{ code: 'window_too_long', detail: { hours, maxHours: limit } }]
    : [];
}

/** In force from the first day of the window through its last (not only today). */
function coversWindow(cert: CertificateFacts, firstDay: CalendarDate, lastDay: CalendarDate): boolean {
  // Red on the first day includes "not yet valid": a certificate issued after the start.
  return [firstDay, lastDay].every(
    (day) => evaluateCertificate(cert, day, DEFAULT_THRESHOLDS).color !== 'red',
  );
}

const qualifies = (cert: CertificateFacts, q: Qualification) =>
  cert.scheme === q.scheme && cert.category === q.category;

/** Each worker whose role needs a certificate holds one in force through the whole window. */
export function certificateViolations(draft: TicketDraft, people: Map<string, PersonOnTicket>): Violation[] {
  const firstDay = todayInShanghai(new Date(draft.plannedFrom));
  const lastDay = todayInShanghai(new Date(draft.plannedTo));
  const out: Violation[] = [];
  for (const w of draft.workers) {
    // A role the type does not list is refused, never read as "needs nothing".
    if (!isRoleOf(draft.type, w.role)) {
      out.push({
        code: 'role_not_in_type',
        personId: w.personId,
        detail: { role: w.role, type: draft.type, roles: rolesOf(draft.type).join(', ') },
      });
      continue;
    }
    const needed = qualificationsFor(draft.type, w.role);
    if (!needed.length) continue;
    const person = people.get(w.personId);
    const held = person?.certificates.filter((c) => needed.some((q) => qualifies(c, q))) ?? [];
    if (!held.some((c) => coversWindow(c, firstDay, lastDay)))
      out.push({
        code: held.length ? 'certificate_not_valid_for_window' : 'certificate_missing',
        personId: w.personId,
        detail: { role: w.role, accepted: needed.map((q) => `${q.scheme}:${q.category}`).join(',') },
      });
  }
  return out;
}

/** Nobody frozen (red) or blacklisted is put on a ticket in any role. */
export function frozenViolations(draft: TicketDraft, people: Map<string, PersonOnTicket>): Violation[] {
  return everyone(draft)
    .filter(
      (id) =>
        people.get(id)?.frozen !== false || people.get(id)?.blacklisted || people.get(id)?.engagementEnded,
    )
    .map((personId): Violation => {
      const person = people.get(personId);
      const ended = person?.engagementEnded;
      if (ended)
        return { code: 'person_engagement_ended', personId, detail: { on: ended.on, reason: ended.reason } };
      const hold = person?.blacklisted;
      if (hold)
        return {
          code: 'person_blacklisted',
          personId,
          detail: {
            expiresOn: hold.expiresOn,
            ...(hold.organisation ? { organisation: hold.organisation } : {}),
          },
        };
      return { code: person ? 'person_frozen' : 'person_unknown', personId };
    });
}

/** The 50 km / 24 h rule: no check-in within the hours before the start farther than the distance. */
export function distanceViolations(
  draft: TicketDraft,
  people: Map<string, PersonOnTicket>,
  sites: Map<string, SiteLocation>,
  settings: DispatchSettings,
): Violation[] {
  const site = sites.get(draft.siteId);
  if (!site) return [{ code: 'site_unknown' }];
  const start = Date.parse(draft.plannedFrom);
  const out: Violation[] = [];
  for (const personId of everyone(draft)) {
    for (const c of people.get(personId)?.checkIns ?? []) {
      const at = Date.parse(c.at);
      const where = sites.get(c.siteId);
      if (!where || at > start || start - at > settings.distanceHours * HOUR) continue;
      const km = distanceKm(where, site);
      if (km > settings.distanceKm) {
        out.push({
          code: 'too_far_too_soon',
          personId,
          detail: { fromSiteId: c.siteId, km: Math.round(km) },
        });
        break;
      }
    }
  }
  return out;
}

/** MEM Order 30 Art. 32: away from the work type for 6+ months → a practical re-exam first. */
export function awayViolations(
  draft: TicketDraft,
  people: Map<string, PersonOnTicket>,
  settings: DispatchSettings,
): Violation[] {
  const firstDay = todayInShanghai(new Date(draft.plannedFrom));
  const cutoff = addMonths(firstDay, -settings.monthsAwayForReexam);
  const out: Violation[] = [];
  for (const w of draft.workers) {
    const needed = qualificationsFor(draft.type, w.role).filter((q) => q.scheme === 'MEM');
    if (!needed.length) continue;
    const held = people.get(w.personId)?.certificates.filter((c) => needed.some((q) => qualifies(c, q)));
    // No certificate at all is certificate_missing, not a matter of practice.
    if (!held?.length) continue;
    const person = people.get(w.personId) as PersonOnTicket;
    // A certificate issued since, a recorded re-exam, declared practice or work in the type counts as recent.
    const recent = [
      ...held.map((c) => c.issuedOn),
      ...(person.practicalReexamOn ? [person.practicalReexamOn] : []),
      ...(person.practiceDeclaredOn ? [person.practiceDeclaredOn] : []),
      ...(person.lastWorkedInType ? [todayInShanghai(new Date(person.lastWorkedInType))] : []),
    ];
    if (!recent.some((day) => compareDates(day, cutoff) >= 0))
      out.push({
        code: 'practical_reexam_required',
        personId: w.personId,
        detail: { months: settings.monthsAwayForReexam },
      });
  }
  return out;
}

/** A guardian where the type needs one, who is not also working on it and not overloaded. */
export function guardianViolations(
  draft: TicketDraft,
  settings: DispatchSettings,
  guardingNow: number,
): Violation[] {
  if (!draft.guardianId) return [{ code: 'guardian_required' }];
  const out: Violation[] = [];
  if (draft.workers.some((w) => w.personId === draft.guardianId))
    out.push({ code: 'guardian_is_worker', personId: draft.guardianId });
  if (guardingNow >= settings.maxTicketsPerGuardian)
    out.push({
      code: 'guardian_overloaded',
      personId: draft.guardianId,
      detail: { guarding: guardingNow, max: settings.maxTicketsPerGuardian },
    });
  return out;
}

/** A worker from another site needs an approved cross-site permit covering the window. */
export function crossSiteViolations(draft: TicketDraft, people: Map<string, PersonOnTicket>): Violation[] {
  const from = Date.parse(draft.plannedFrom);
  const to = Date.parse(draft.plannedTo);
  const out: Violation[] = [];
  for (const personId of everyone(draft)) {
    const person = people.get(personId);
    if (!person?.homeSiteId || person.homeSiteId === draft.siteId) continue;
    const covered = person.crossSitePermits.some(
      (p) => p.toSiteId === draft.siteId && Date.parse(p.from) <= from && Date.parse(p.to) >= to,
    );
    if (!covered)
      out.push({ code: 'cross_site_permit_required', personId, detail: { homeSiteId: person.homeSiteId } });
  }
  return out;
}

/**
 * Planned shifts, where given, fit the tenant's fatigue thresholds: each inside the permit's
 * window, none longer than the continuous limit, and no 24 hours holding more than the daily
 * limit. The window itself is never read as a shift (a 72 h grade-2 permit is legal).
 */
export function fatigueViolations(draft: TicketDraft, settings: DispatchSettings): Violation[] {
  const shifts = (draft.shifts ?? [])
    .map((s, index) => ({ index, from: Date.parse(s.from), to: Date.parse(s.to) }))
    .sort((a, b) => a.from - b.from);
  const windowFrom = Date.parse(draft.plannedFrom);
  const windowTo = Date.parse(draft.plannedTo);
  const out: Violation[] = [];
  for (const s of shifts) {
    if (!(s.to > s.from) || s.from < windowFrom || s.to > windowTo) {
      out.push({ code: 'shift_outside_window', detail: { shift: s.index + 1 } });
      continue;
    }
    const minutes = (s.to - s.from) / MINUTE;
    if (minutes > settings.maxContinuousMinutes)
      out.push({
        code: 'fatigue_limit',
        detail: { shift: s.index + 1, minutes, max: settings.maxContinuousMinutes },
      });
  }
  if (out.length) return out;
  for (let i = 1; i < shifts.length; i++)
    if ((shifts[i] as Shift).from < (shifts[i - 1] as Shift).to)
      return [{ code: 'shifts_overlap', detail: { shift: (shifts[i] as Shift).index + 1 } }];
  // The busiest 24 hours start at some shift's start.
  for (const start of shifts) {
    const end = start.from + DAY;
    const minutes = shifts.reduce(
      (sum, s) => sum + Math.max(0, Math.min(s.to, end) - Math.max(s.from, start.from)) / MINUTE,
      0,
    );
    if (minutes > settings.maxMinutesIn24h)
      return [
        {
          code: 'fatigue_24h_limit',
          detail: { from: new Date(start.from).toISOString(), minutes, max: settings.maxMinutesIn24h },
        },
      ];
  }
  return [];
}

type Shift = { index: number; from: number; to: number };
const MINUTE = 60_000;
const DAY = 24 * HOUR;

/** Everyone named on the ticket, once: workers, the leader, the guardian. */
function everyone(draft: TicketDraft): string[] {
  return [
    ...new Set([
      ...draft.workers.map((w) => w.personId),
      draft.leaderId,
      ...(draft.guardianId ? [draft.guardianId] : []),
    ]),
  ];
}

/** Every rule at once: all violations, in a stable order. */
export function dispatchViolations(
  draft: TicketDraft,
  people: Map<string, PersonOnTicket>,
  sites: Map<string, SiteLocation>,
  settings: DispatchSettings = DEFAULT_DISPATCH_SETTINGS,
  guardingNow = 0,
): Violation[] {
  const window = windowViolations(draft, settings);
  if (window.some((v) => v.code === 'window_invalid')) return window;
  return [
    ...window,
    ...fatigueViolations(draft, settings),
    ...frozenViolations(draft, people),
    ...certificateViolations(draft, people),
    ...awayViolations(draft, people, settings),
    ...distanceViolations(draft, people, sites, settings),
    ...crossSiteViolations(draft, people),
    ...guardianViolations(draft, settings, guardingNow),
  ];
}
