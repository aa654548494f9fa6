// What a signed work ticket and a permit-board link say (compact JWS, ES256, the service's
// KMS key — the same one as the gate allowlists, published at GET /.well-known/jwks.json).
// Pure: the claims, and the checks a verifier makes after the signature.
import type { WorkTicket } from './ticket-lifecycle.ts';

export const ISSUER = 'special-ops';
export const TICKET_TYP = 'work-ticket+jws';
/** The QR's compact core: enough to check offline, the details fetched online (POST /work-tickets/verify). */
export const TICKET_REF_TYP = 'wt-ref+jws';
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

/**
 * What the printed QR carries (a compact JWS of a few hundred characters, so phone and browser
 * scanners read it — the full ticket with 20 named workers made a version-23 code jsqr could
 * not). Offline, a guard sees the ticket, site, type, window, state at signing and how many
 * people are on it; `h` binds the people (who, in what role, leader, guardian) to what the
 * online check returns, so a swapped list would not match.
 */
export interface TicketRefClaims {
  sub: string;
  ten: string;
  site: string;
  t: string;
  g?: string;
  nbf: number;
  exp: number;
  st: string;
  n: number;
  h: string;
}

/** A short digest of who is on the ticket and as what (base64url, 12 characters = 72 bits). */
export function peopleDigest(
  t: Pick<WorkTicket, 'workers' | 'leaderId' | 'guardianId'>,
  sha256: (text: string) => Buffer,
): string {
  const people = [
    ...t.workers.map((w) => `${w.personId}:${w.role}`).sort(),
    `leader:${t.leaderId}`,
    ...(t.guardianId ? [`guardian:${t.guardianId}`] : []),
  ].join('|');
  return sha256(people).subarray(0, 9).toString('base64url');
}

export function ticketRefClaims(
  tenantId: string,
  t: WorkTicket,
  sha256: (text: string) => Buffer,
): TicketRefClaims {
  return {
    sub: t.ticketId,
    ten: tenantId,
    site: t.siteId,
    t: t.type,
    ...(t.grade ? { g: t.grade } : {}),
    nbf: seconds(t.plannedFrom),
    exp: seconds(t.plannedTo),
    st: t.status,
    n: t.workers.length,
    h: peopleDigest(t, sha256),
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
  // The QR's compact core carries no issuer: its kind (typ) and our key say whose it is.
  if (header.typ !== typ || (typ !== TICKET_REF_TYP && claims.iss !== ISSUER)) return 'wrong_kind';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return 'expired';
  return undefined;
}
