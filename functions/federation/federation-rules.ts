// The federation's rules (SPEC O4), pure: what a partner is and may do, what crosses the
// border of this service (pseudonym, reason, organisation, dates — never a name or an ID
// number), and how much a partner may ask of the OPRF.

import type { ReasonCode } from '../domain/blacklist.ts';

export { type FeedEntry, feedEntryOf } from '../domain/blacklist-rules.ts';

export const PARTNER_OPERATIONS = ['oprf', 'push', 'pull'] as const;
export type PartnerOperation = (typeof PARTNER_OPERATIONS)[number];

/** OPRF evaluations a partner may ask per minute: enough for a gate queue, far too few to enumerate. */
export const OPRF_PER_MINUTE = 60;
/** Blinded elements per request. */
export const OPRF_BATCH = 10;

export interface Partner {
  partnerId: string;
  name: string;
  contact: { name: string; email?: string; phone?: string };
  /** Ed25519 public key (SPKI PEM): verifies the partner's requests. */
  publicKeyPem: string;
  operations: PartnerOperation[];
  /** Where our entries' changes are delivered (signed POST); none: the partner pulls. */
  deliveryUrl?: string;
  state: 'active' | 'suspended';
  createdAt: string;
}

/** A partner's entry as it arrives (and is kept under its pseudonym for people registered later). */
export interface InboundEntry {
  entryRef: string;
  pseudonym: string;
  reasonCode: ReasonCode;
  organisation: string;
  createdOn: string;
  expiresOn: string;
}

/** A partner may use an operation only while active and granted it. */
export const mayUse = (partner: Partner | undefined, operation: PartnerOperation) =>
  !!partner && partner.state === 'active' && partner.operations.includes(operation);

/** Whether an inbound entry still counts on `today` (an expired one is recorded as nothing). */
export const inboundInForce = (entry: { expiresOn: string }, today: string) => today < entry.expiresOn;

/** Partners that receive deliveries: active, with a delivery address. */
export const deliveryTargets = (partners: readonly Partner[]) =>
  partners.filter((p) => p.state === 'active' && !!p.deliveryUrl).map((p) => p.partnerId);
