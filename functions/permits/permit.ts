// Cross-site permits (SPEC X4): a person from one site works at another only with a permit
// co-signed by both sites' safety managers. Pure rules: who may sign which side, what a
// repeated or late signature means, and whether a permit covers a ticket's window.
import { createHash } from 'node:crypto';
import { Conflict, Forbidden, NotFound } from '../shared/errors.ts';

export type PermitSide = 'from' | 'to';
export type PermitStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export type Decision = 'approve' | 'reject';

export interface Signature {
  decision: Decision;
  by: string;
  personId?: string;
  at: string;
  comment?: string;
}

export interface CrossSitePermit {
  permitId: string;
  personId: string;
  nameMasked: string;
  fromSiteId: string;
  toSiteId: string;
  from: string;
  to: string;
  reason: string;
  status: PermitStatus;
  signatures: Partial<Record<PermitSide, Signature>>;
  requestedBy: string;
  requestedAt: string;
  timeoutSeconds: number;
}

/**
 * One request, one permit: the id is derived from what is asked (person, sites, window), so
 * a retried request finds the permit (and the workflow execution named by it) it started.
 */
export function permitIdFor(
  tenantId: string,
  p: Pick<CrossSitePermit, 'personId' | 'fromSiteId' | 'toSiteId' | 'from' | 'to'>,
): string {
  const digest = createHash('sha256')
    .update([tenantId, p.personId, p.fromSiteId, p.toSiteId, p.from, p.to].join('\n'))
    .digest('base64url')
    .replace(/[-_]/g, '')
    .slice(0, 26);
  return `pmt_${digest}`;
}

export interface Signer {
  subject: string;
  role: string;
  siteIds: string[];
  personId?: string;
}

const sitesOf = (p: CrossSitePermit): Record<PermitSide, string> => ({ from: p.fromSiteId, to: p.toSiteId });

/**
 * The side this signer signs, or undefined when the signature is already recorded (a
 * repeat: idempotent). Only a site_manager of that side's site signs it; one person never
 * signs both sides; nothing is signed on a finished permit.
 */
export function sideToSign(
  permit: CrossSitePermit,
  signer: Signer,
  decision: Decision,
): PermitSide | undefined {
  if (signer.role !== 'site_manager') throw new Forbidden('role_not_allowed', { role: signer.role });
  const sites = sitesOf(permit);
  const mine = (['from', 'to'] as const).filter((side) => signer.siteIds.includes(sites[side]));
  if (!mine.length) throw new NotFound('permit_not_found');
  const signed = mine.find((side) => permit.signatures[side]?.by === signer.subject);
  if (signed) {
    const otherSide: PermitSide = signed === 'from' ? 'to' : 'from';
    // A manager of both sites signing again: not a repeat to swallow, the other site's
    // signature is missing and must come from its own manager.
    if (mine.includes(otherSide) && !permit.signatures[otherSide] && permit.status === 'pending')
      throw new Conflict('other_site_signs_for_itself', { siteId: sites[otherSide] });
    if (permit.signatures[signed]?.decision === decision) return undefined; // the same again
    throw new Conflict('permit_already_signed');
  }
  if (permit.status !== 'pending') throw new Conflict('permit_finished', { status: permit.status });
  const other = (side: PermitSide) => permit.signatures[side === 'from' ? 'to' : 'from'];
  const open = mine.filter((side) => !permit.signatures[side]);
  if (!open.length) throw new Conflict('permit_already_signed');
  const side = open[0] as PermitSide;
  // A manager of both sites signs one of them; the other needs someone else.
  if (other(side)?.by === signer.subject) throw new Forbidden('one_signature_per_person');
  return side;
}

/** An approved permit to the site that spans the whole window. */
export function permitCovers(
  permit: Pick<CrossSitePermit, 'status' | 'toSiteId' | 'from' | 'to'>,
  siteId: string,
  from: string,
  to: string,
): boolean {
  return (
    permit.status === 'approved' &&
    permit.toSiteId === siteId &&
    Date.parse(permit.from) <= Date.parse(from) &&
    Date.parse(permit.to) >= Date.parse(to)
  );
}
