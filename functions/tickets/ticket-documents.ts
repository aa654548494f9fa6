// The signed ticket, its QR code, the online check, and the permit board behind a signed,
// expiring link. Signatures come from the service's KMS key (the AllowlistSigner port);
// anyone verifies offline with the JWK Set at GET /.well-known/jwks.json.
import { createHash } from 'node:crypto';
import type { SiteRepository } from '../domain/sites.ts';
import type { AllowlistSigner } from '../shared/allowlist-signer.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFound, Unauthenticated } from '../shared/errors.ts';
import {
  BOARD_TYP,
  type BoardClaims,
  boardClaims,
  peopleDigest,
  TICKET_REF_TYP,
  TICKET_TYP,
  type TicketClaims,
  type TicketRefClaims,
  ticketClaims,
  ticketRefClaims,
  tokenProblem,
} from './ticket-document.ts';
import type { WorkTicket } from './ticket-lifecycle.ts';
import type { TicketStore } from './ticket-store.ts';
import { findTicket, openTicketsAtSite } from './work-tickets.ts';

export interface DocumentDeps {
  tickets: TicketStore;
  signer: AllowlistSigner;
  sites: Pick<SiteRepository, 'list'>;
  clock: Clock;
}

export async function signedTicket(deps: DocumentDeps, principal: Principal, ticketId: string) {
  const ticket = await findTicket(deps, principal, ticketId);
  const claims = ticketClaims(principal.tenantId, ticket, deps.clock.now());
  return { jws: await deps.signer.sign(claims, TICKET_TYP), claims };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** The QR's payload: the ticket's compact signed core (about 450 characters, whatever the crew). */
export async function ticketRef(deps: DocumentDeps, principal: Principal, ticketId: string) {
  const ticket = await findTicket(deps, principal, ticketId);
  return deps.signer.sign(ticketRefClaims(principal.tenantId, ticket, sha256), TICKET_REF_TYP);
}

/**
 * The ticket's QR code: its compact signed core, not the whole ticket, so that phone and
 * browser scanners (jsqr) read it printed or on a screen; 8 px a module and error correction
 * M, so it still reads at half the size or slightly blurred. Details come from the online check.
 */
export async function ticketQr(deps: DocumentDeps, principal: Principal, ticketId: string): Promise<Buffer> {
  const ref = await ticketRef(deps, principal, ticketId);
  // Loaded on first use: only this route needs the QR encoder.
  const QRCode = await import('qrcode');
  return QRCode.toBuffer(ref, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
}

type Verified<C> =
  | { ok: true; claims: C }
  | { ok: false; reason: 'bad_signature' | 'wrong_kind' | 'expired' };

/** Our signature, the right kind of document, in force now. */
async function verifyToken<C extends { exp: number }>(
  deps: Pick<DocumentDeps, 'signer' | 'clock'>,
  token: string,
  typ: string,
): Promise<Verified<C>> {
  const key = await deps.signer.publicKey();
  // jose is loaded by the first document checked: the other ticket routes never need it.
  const { compactVerify, decodeProtectedHeader, importJWK } = await import('jose');
  let header: { typ?: string; kid?: string };
  let claims: C;
  try {
    header = decodeProtectedHeader(token);
    if (header.kid !== key.kid) return { ok: false, reason: 'bad_signature' };
    const { payload } = await compactVerify(token, await importJWK(key, 'ES256'));
    claims = JSON.parse(new TextDecoder().decode(payload)) as C;
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  const problem = tokenProblem(header, claims as { iss?: unknown; exp?: unknown }, typ, deps.clock.now());
  return problem ? { ok: false, reason: problem } : { ok: true, claims };
}

/** Anyone holding the signed ticket (or its QR) may ask whether it is genuine and what state it is in now. */
export async function verifyTicketToken(deps: DocumentDeps, token: string) {
  let typ: string | undefined;
  try {
    typ = (
      JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { typ?: string }
    ).typ;
  } catch {
    return { valid: false, reason: 'bad_signature' as const };
  }
  if (typ === TICKET_REF_TYP) return verifyTicketRef(deps, token);
  const verified = await verifyToken<TicketClaims>(deps, token, TICKET_TYP);
  if (!verified.ok) return { valid: false, reason: verified.reason };
  return (await liveTicket(deps, verified.claims, verified.claims.ticket.status)).answer;
}

/** A ticket as anyone holding a board link or a QR code sees it: names masked, no person ids. */
function maskedTicket(t: WorkTicket) {
  const name = (personId: string) => t.names?.[personId] ?? '***';
  return {
    type: t.type,
    ...(t.grade ? { grade: t.grade } : {}),
    location: t.location,
    plannedFrom: t.plannedFrom,
    plannedTo: t.plannedTo,
    workers: t.workers.map((w) => ({ name: name(w.personId), role: w.role })),
    leader: name(t.leaderId),
    ...(t.guardianId ? { guardian: name(t.guardianId) } : {}),
  };
}

/** The ticket a genuine code names, as it is now, and what every kind of code answers about it. */
async function liveTicket(
  deps: DocumentDeps,
  claims: { ten: string; sub: string; exp: number },
  signedStatus: string,
) {
  const live = await deps.tickets.get(claims.ten, claims.sub);
  if (!live) return { live, answer: { valid: false, reason: 'unknown_ticket' as const } };
  return {
    live,
    answer: {
      valid: true,
      ticketId: claims.sub,
      signedStatus,
      status: live.status,
      validUntil: new Date(claims.exp * 1000).toISOString(),
    },
  };
}

/**
 * The QR's core, checked online: genuine, the state now, and the details the code leaves
 * out (names masked, as on the permit board); `peopleMatch` says the people on the ticket
 * are still the ones the code was signed for.
 */
async function verifyTicketRef(deps: DocumentDeps, token: string) {
  const verified = await verifyToken<TicketRefClaims>(deps, token, TICKET_REF_TYP);
  if (!verified.ok) return { valid: false, reason: verified.reason };
  const { claims } = verified;
  const { live, answer } = await liveTicket(deps, claims, claims.st);
  if (!live) return answer;
  return {
    ...answer,
    peopleMatch: peopleDigest(live, sha256) === claims.h,
    ticket: { siteId: live.siteId, ...maskedTicket(live) },
  };
}

export async function createBoardLink(
  deps: DocumentDeps,
  principal: Principal,
  siteId: string,
  hours: number,
) {
  authorize(principal, 'ticket:write');
  const sites = canSeeSite(principal, siteId) ? await deps.sites.list(principal.tenantId) : [];
  if (!sites.some((s) => s.siteId === siteId)) throw new NotFound('site_not_found');
  const claims = boardClaims(principal.tenantId, siteId, deps.clock.now(), hours);
  const token = await deps.signer.sign(claims, BOARD_TYP);
  return {
    token,
    path: `/permit-board?token=${token}`,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
  };
}

/** The board a gate guard or inspector sees: open tickets of one site, names masked, no ids of people. */
export async function permitBoard(deps: DocumentDeps, token: string) {
  const verified = await verifyToken<BoardClaims>(deps, token, BOARD_TYP);
  if (!verified.ok) throw new Unauthenticated(`board_link_${verified.reason}`);
  const { claims } = verified;
  // The link stands for a reader of that site's tickets, nothing more.
  const reader: Principal = { subject: 'permit-board', tenantId: claims.ten, role: 'auditor', siteIds: [] };
  const tickets = await openTicketsAtSite(deps, reader, claims.site);
  return {
    siteId: claims.site,
    generatedAt: deps.clock.now().toISOString(),
    validUntil: new Date(claims.exp * 1000).toISOString(),
    tickets: tickets.map((t) => {
      const gas = t.gasAnalyses.at(-1);
      return {
        ticketId: t.ticketId,
        ...maskedTicket(t),
        status: t.status,
        ...(gas ? { lastGasAnalysis: { takenAt: gas.takenAt, pass: gas.pass } } : {}),
      };
    }),
  };
}
