// A work ticket's lifecycle (SPEC X4) as pure transitions: draft → approved (every approver
// signed) → active (gas analysis where the type needs one, inside the window) → closed;
// cancelled or expired on the way; suspended when someone on it turns red. Each transition
// returns the next ticket or throws the domain error the caller answers with.
import { Conflict, Forbidden, InvalidRequest, RulesBroken, type RuleViolation } from '../shared/errors.ts';
import type { TicketDraft } from './dispatch-rules.ts';
import { TICKET_TYPE_RULES } from './ticket-types.ts';

export type TicketStatus = 'draft' | 'approved' | 'active' | 'suspended' | 'closed' | 'cancelled' | 'expired';

export interface GasReadings {
  oxygenPct: number;
  flammable?: { volumePct: number; lowerExplosiveLimitPct: number };
}

export interface GasAnalysis {
  takenAt: string;
  analystId: string;
  readings: GasReadings;
  pass: boolean;
  failures: string[];
}

export interface WorkTicket extends TicketDraft {
  ticketId: string;
  location: string;
  approverIds: string[];
  /** Masked names of the people on it, as at drafting (for the permit board and the signed ticket). */
  names?: Record<string, string>;
  status: TicketStatus;
  approvals: { personId: string; at: string; comment?: string }[];
  gasAnalyses: GasAnalysis[];
  suspension?: { personId: string; at: string; reasons: string[] };
  createdAt: string;
  createdBy: string;
  activatedAt?: string;
  endedAt?: string;
  endReason?: string;
  version: number;
}

/** Until it ends, a ticket holds its people (guardian load, suspension on red). */
export const OPEN_STATES: readonly TicketStatus[] = ['draft', 'approved', 'active', 'suspended'];
export const isOpen = (status: TicketStatus) => OPEN_STATES.includes(status);

const MINUTE = 60_000;

function expectState(ticket: WorkTicket, ...allowed: TicketStatus[]): void {
  if (!allowed.includes(ticket.status)) throw new Conflict('ticket_state', { status: ticket.status });
}

/** One approver's signature; the last one approves. Signing again changes nothing. */
export function approve(
  ticket: WorkTicket,
  approverId: string | undefined,
  at: Date,
  comment?: string,
): WorkTicket {
  if (!approverId || !ticket.approverIds.includes(approverId)) throw new Forbidden('not_an_approver');
  if (ticket.approvals.some((a) => a.personId === approverId)) return ticket;
  expectState(ticket, 'draft');
  const approvals = [
    ...ticket.approvals,
    { personId: approverId, at: at.toISOString(), ...(comment ? { comment } : {}) },
  ];
  const allSigned = ticket.approverIds.every((id) => approvals.some((a) => a.personId === id));
  return { ...ticket, approvals, status: allSigned ? 'approved' : 'draft' };
}

/**
 * GB 30871-2022 via secondary sources (SPEC.md): oxygen 19.5–21 %; a flammable gas whose
 * LEL is ≥ 4 % may be at most 0.5 % by volume, one whose LEL is < 4 % at most 0.2 %.
 * Hot work needs the flammable reading.
 */
export function judgeGas(type: WorkTicket['type'], readings: GasReadings): string[] {
  const failures: string[] = [];
  if (readings.oxygenPct < 19.5 || readings.oxygenPct > 21) failures.push('oxygen_out_of_range');
  if (readings.flammable) {
    const limit = readings.flammable.lowerExplosiveLimitPct >= 4 ? 0.5 : 0.2;
    if (readings.flammable.volumePct > limit) failures.push('flammable_over_limit');
  } else if (type === 'hot_work') failures.push('flammable_reading_missing');
  return failures;
}

export function recordGasAnalysis(
  ticket: WorkTicket,
  analysis: Omit<GasAnalysis, 'pass' | 'failures'>,
  now: Date,
): WorkTicket {
  if (TICKET_TYPE_RULES[ticket.type].gasAnalysisMinutesBefore === null)
    throw new InvalidRequest('gas_analysis_not_needed');
  expectState(ticket, 'draft', 'approved', 'active');
  if (Date.parse(analysis.takenAt) > now.getTime() + MINUTE)
    throw new InvalidRequest('gas_analysis_in_future');
  const failures = judgeGas(ticket.type, analysis.readings);
  return {
    ...ticket,
    gasAnalyses: [...ticket.gasAnalyses, { ...analysis, pass: failures.length === 0, failures }],
  };
}

/** What stops the work from starting now (besides the dispatch rules, checked again by the caller). */
export function activationViolations(ticket: WorkTicket, now: Date): RuleViolation[] {
  const out: RuleViolation[] = [];
  const t = now.getTime();
  if (t < Date.parse(ticket.plannedFrom)) out.push({ code: 'window_not_started' });
  if (t >= Date.parse(ticket.plannedTo)) out.push({ code: 'window_ended' });
  const minutes = TICKET_TYPE_RULES[ticket.type].gasAnalysisMinutesBefore;
  if (minutes !== null) {
    const fresh = ticket.gasAnalyses.some(
      (g) => g.pass && Date.parse(g.takenAt) <= t && t - Date.parse(g.takenAt) <= minutes * MINUTE,
    );
    if (!fresh) out.push({ code: 'gas_analysis_required', detail: { minutes } });
  }
  return out;
}

/** Starts the work: approved, inside the window, a fresh passing gas analysis where needed. */
export function activate(ticket: WorkTicket, now: Date, ruleViolations: RuleViolation[] = []): WorkTicket {
  expectState(ticket, 'approved');
  const violations = [...activationViolations(ticket, now), ...ruleViolations];
  if (violations.length) throw new RulesBroken('dispatch_rules_broken', violations);
  return { ...ticket, status: 'active', activatedAt: now.toISOString() };
}

export function close(ticket: WorkTicket, now: Date, reason?: string): WorkTicket {
  expectState(ticket, 'active', 'suspended');
  return {
    ...ticket,
    status: 'closed',
    endedAt: now.toISOString(),
    ...(reason ? { endReason: reason } : {}),
  };
}

export function cancel(ticket: WorkTicket, now: Date, reason?: string): WorkTicket {
  expectState(ticket, 'draft', 'approved', 'suspended');
  return {
    ...ticket,
    status: 'cancelled',
    endedAt: now.toISOString(),
    ...(reason ? { endReason: reason } : {}),
  };
}

/** The window is over: an open ticket expires (an active one too — work past the permit is not allowed). */
export function expire(ticket: WorkTicket, now: Date): WorkTicket | undefined {
  if (!isOpen(ticket.status) || now.getTime() < Date.parse(ticket.plannedTo)) return undefined;
  return { ...ticket, status: 'expired', endedAt: now.toISOString(), endReason: 'window_ended' };
}

/** Someone on the ticket turned red: the work stops at once. */
export function suspend(
  ticket: WorkTicket,
  personId: string,
  reasons: string[],
  now: Date,
): WorkTicket | undefined {
  if (!['draft', 'approved', 'active'].includes(ticket.status)) return undefined;
  return { ...ticket, status: 'suspended', suspension: { personId, at: now.toISOString(), reasons } };
}

/** Everyone on a ticket with their part in it, once each. */
export function peopleOnTicket(ticket: TicketDraft): { personId: string; part: string }[] {
  const parts = new Map<string, string>();
  for (const w of ticket.workers) parts.set(w.personId, `worker:${w.role}`);
  if (!parts.has(ticket.leaderId)) parts.set(ticket.leaderId, 'leader');
  if (ticket.guardianId && !parts.has(ticket.guardianId)) parts.set(ticket.guardianId, 'guardian');
  return [...parts].map(([personId, part]) => ({ personId, part }));
}
