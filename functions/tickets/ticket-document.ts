// What a signed work ticket and a permit-board link say (compact JWS, ES256, the service's
// KMS key — the same one as the gate allowlists, published at GET /.well-known/jwks.json).
// Pure: the claims, and the checks a verifier makes after the signature.
import type { WorkTicket } from './ticket-lifecycle.ts';

export const ISSUER = 'special-ops';
export const TICKET_TYP = 'work-ticket+jws';
export const BOARD_TYP = 'permit-board+jws';
/** A board link lives at most a week: a guard's tablet gets a new one each shift or week. */
export const MAX_BOARD_LINK_HOURS = 7 * 24;

export interface TicketClaims {
  iss: typeof ISSUER;
  sub: string;
  ten: string;
  iat: number;
  nbf: number;
  exp: number;
  ticket: {
    site: string;
    type: string;
    grade?: string;
    location: string;
    from: string;
    to: string;
    status: string;
    workers: { personId: string; role: string; name?: string }[];
    leader: { personId: string; name?: string };
    guardian?: { personId: string; name?: string };
    approvedBy: string[];
  };
}

const seconds = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000);

/** The ticket as signed: who does what, where and when, in what state at signing; names masked. */
export function ticketClaims(tenantId: string, t: WorkTicket, now: Date): TicketClaims {
  const named = (personId: string) => ({
    personId,
    ...(t.names?.[personId] ? { name: t.names[personId] } : {}),
  });
  return {
    iss: ISSUER,
    sub: t.ticketId,
    ten: tenantId,
    iat: seconds(now),
    nbf: seconds(t.plannedFrom),
    exp: seconds(t.plannedTo),
    ticket: {
      site: t.siteId,
      type: t.type,
      ...(t.grade ? { grade: t.grade } : {}),
      location: t.location,
      from: t.plannedFrom,
      to: t.plannedTo,
      status: t.status,
      workers: t.workers.map((w) => ({ ...named(w.personId), role: w.role })),
      leader: named(t.leaderId),
      ...(t.guardianId ? { guardian: named(t.guardianId) } : {}),
      approvedBy: t.approvals.map((a) => a.personId),
    },
  };
}

export interface BoardClaims {
  iss: typeof ISSUER;
  aud: 'permit-board';
  ten: string;
  site: string;
  iat: number;
  exp: number;
}

export function boardClaims(tenantId: string, siteId: string, now: Date, hours: number): BoardClaims {
  return {
    iss: ISSUER,
    aud: 'permit-board',
    ten: tenantId,
    site: siteId,
    iat: seconds(now),
    exp: seconds(now) + Math.min(hours, MAX_BOARD_LINK_HOURS) * 3600,
  };
}

/** After a good signature: is the document of the right kind and in force at `now`? */
export function tokenProblem(
  header: { typ?: string },
  claims: { iss?: unknown; exp?: unknown },
  typ: string,
  now: Date,
): 'wrong_kind' | 'expired' | undefined {
  if (header.typ !== typ || claims.iss !== ISSUER) return 'wrong_kind';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return 'expired';
  return undefined;
}
