// Federation use cases (SPEC O4): partners registered by the hub tenant's group admin; every
// partner request signed (RFC 9421) and used once; blinded pseudonym look-ups, rate-limited and
// counted; entries pushed by partners landing on our people in tenants that joined; and the
// feed of our own entries' changes, pulled with a cursor.
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type {
  CreatePartnerBody,
  InboundEntries,
  OprfBody,
  UpdatePartnerBody,
} from '../../schemas/federation.ts';
import type { PartnerHolds } from '../domain/blacklist-rules.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import {
  Forbidden,
  InvalidRequest,
  NotConfigured,
  NotFound,
  TooManyRequests,
  Unauthenticated,
} from '../shared/errors.ts';
import {
  ed25519PublicKeyPem,
  MAX_SIGNATURE_AGE_SECONDS,
  type SignedMessage,
  signRequest,
  verifyRequest,
} from '../shared/http-signatures.ts';
import { newId } from '../shared/ids.ts';
import { count, METRIC } from '../shared/metrics.ts';
import { OutboundCallFailed, type postOutbound } from '../shared/outbound-http.ts';
import { outboundPolicy, refuseOutboundUrl } from '../shared/outbound-url.ts';
import {
  inboundInForce,
  mayUse,
  OPRF_PER_MINUTE,
  type Partner,
  type PartnerOperation,
} from './federation-rules.ts';
import type { FederationStore } from './federation-store.ts';
import type { Propagation } from './propagation-workflow.ts';
import type { Pseudonyms } from './pseudonyms.ts';

export interface FederationDeps {
  /** Partners' entries landing on our people, and their removal (the blacklist capability). */
  holds: PartnerHolds;
  federation: FederationStore;
  pseudonyms: Pseudonyms;
  /** People of every tenant by pseudonym (the one cross-tenant read, by design). */
  peopleByPseudonym: (pseudonym: string) => Promise<{ tenantId: string; personId: string }[]>;
  /** The tenant whose group admins manage the alliance's partners (deployment setting). */
  hubTenant: string | undefined;
  clock: Clock;
}

function requireHubAdmin(deps: FederationDeps, principal: Principal) {
  authorize(principal, 'partner:manage');
  if (!deps.hubTenant) throw new NotConfigured('federation_hub_not_configured');
  if (principal.tenantId !== deps.hubTenant) throw new Forbidden('not_the_hub');
}

export async function registerPartner(
  deps: FederationDeps,
  principal: Principal,
  body: z.output<typeof CreatePartnerBody>,
  requestId: string,
): Promise<Partner> {
  requireHubAdmin(deps, principal);
  const publicKeyPem = ed25519PublicKeyPem(body.publicKeyPem);
  if (!publicKeyPem)
    throw new InvalidRequest('validation_failed', [
      { field: 'publicKeyPem', code: 'not_ed25519_key', message: 'not_ed25519_key' },
    ]);
  const refusal = body.deliveryUrl ? refuseOutboundUrl(body.deliveryUrl, outboundPolicy()) : null;
  if (refusal)
    throw new InvalidRequest('validation_failed', [
      { field: 'deliveryUrl', code: refusal, message: refusal },
    ]);
  const partner: Partner = {
    partnerId: newId('ptn'),
    name: body.name,
    contact: body.contact,
    publicKeyPem,
    operations: body.operations,
    ...(body.deliveryUrl ? { deliveryUrl: body.deliveryUrl } : {}),
    state: 'active',
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.federation.createPartner(principal, partner, requestId);
  return partner;
}

/**
 * A partner suspended (a key thought compromised, membership paused), re-activated, or given
 * a new key: from the next request on, signatures are checked against what is stored now.
 */
export async function updatePartner(
  deps: FederationDeps,
  principal: Principal,
  partnerId: string,
  body: z.output<typeof UpdatePartnerBody>,
  requestId: string,
): Promise<Partner> {
  requireHubAdmin(deps, principal);
  let publicKeyPem: string | undefined;
  if (body.publicKeyPem !== undefined) {
    publicKeyPem = ed25519PublicKeyPem(body.publicKeyPem);
    if (!publicKeyPem)
      throw new InvalidRequest('validation_failed', [
        { field: 'publicKeyPem', code: 'not_ed25519_key', message: 'not_ed25519_key' },
      ]);
  }
  const partner = await deps.federation.partner(partnerId);
  if (!partner) throw new NotFound('partner_not_found');
  return deps.federation.updatePartner(
    principal,
    partner,
    { state: body.state ?? partner.state, publicKeyPem: publicKeyPem ?? partner.publicKeyPem },
    requestId,
  );
}

export async function listPartners(deps: FederationDeps, principal: Principal) {
  requireHubAdmin(deps, principal);
  const day = deps.clock.now().toISOString().slice(0, 10);
  const partners = await deps.federation.partners();
  return Promise.all(
    partners.map(async (p) => ({
      ...p,
      evaluationsToday: await deps.federation.evaluationsOn(p.partnerId, day),
    })),
  );
}

/**
 * A signed request's partner: the signature must verify under the partner's key, be fresh,
 * and carry a nonce not seen before (kept past the age window, so a replay always finds it).
 */
export async function signedBy(deps: FederationDeps, message: SignedMessage): Promise<string> {
  const now = deps.clock.now();
  const verified = await verifyRequest(
    message,
    async (partnerId) => {
      const partner = await deps.federation.partner(partnerId);
      return partner?.state === 'active' ? partner.publicKeyPem : undefined;
    },
    now,
  );
  const fresh = await deps.federation.useNonce(
    verified.keyId,
    verified.nonce,
    new Date(now.getTime() + 2 * MAX_SIGNATURE_AGE_SECONDS * 1000),
  );
  if (!fresh) throw new Unauthenticated('replayed_request');
  return verified.keyId;
}

async function partnerFor(deps: FederationDeps, partnerId: string | undefined, operation: PartnerOperation) {
  const partner = partnerId ? await deps.federation.partner(partnerId) : undefined;
  if (!mayUse(partner, operation)) throw new Forbidden('operation_not_allowed', { operation });
  return partner as Partner;
}

/** Blinded look-up: the partner sends group elements, never ID numbers; we never see the input. */
export async function evaluateBlinded(
  deps: FederationDeps,
  partnerId: string | undefined,
  body: z.output<typeof OprfBody>,
) {
  const partner = await partnerFor(deps, partnerId, 'oprf');
  const within = await deps.federation.countEvaluations(
    partner.partnerId,
    body.blindedElements.length,
    OPRF_PER_MINUTE,
  );
  // The window is the clock minute: it opens again at the next one.
  if (!within)
    throw new TooManyRequests(
      'oprf_rate_exceeded',
      { perMinute: OPRF_PER_MINUTE },
      60 - deps.clock.now().getUTCSeconds(),
    );
  let evaluation: string;
  try {
    evaluation = await deps.pseudonyms.evaluateBlinded(
      body.blindedElements.map((e) => Buffer.from(e, 'base64url')),
    );
  } catch {
    throw new InvalidRequest('validation_failed', [
      { field: 'blindedElements', code: 'not_a_group_element', message: 'not_a_group_element' },
    ]);
  }
  return {
    suite: 'P256-SHA256',
    mode: 'VOPRF',
    evaluation,
    publicKey: await deps.pseudonyms.publicKey(),
  };
}

/** A partner's entries and withdrawals; each lands in every tenant that joined and has the person. */
export async function receiveEntries(
  deps: FederationDeps,
  partnerId: string | undefined,
  body: z.output<typeof InboundEntries>,
  requestId: string,
) {
  const partner = await partnerFor(deps, partnerId, 'push');
  const today = deps.clock.today();
  let accepted = 0;
  for (const inbound of body.entries) {
    if (inbound.action === 'remove') {
      await deps.federation.dropPartnerEntry(partner.partnerId, inbound.pseudonym, inbound.entryRef);
      for (const landed of await deps.federation.inboundLinks(partner.partnerId, inbound.entryRef))
        await deps.holds.remove(partner.partnerId, landed, requestId);
    } else if (inboundInForce(inbound, today)) {
      const { action: _action, ...kept } = inbound;
      await deps.federation.keepPartnerEntry(partner.partnerId, kept);
      for (const target of await deps.peopleByPseudonym(inbound.pseudonym))
        await deps.holds.enter(partner, inbound, target, requestId);
    }
    accepted += 1;
  }
  // How many landed is not said: that would tell a partner which pseudonyms are our people.
  return { accepted };
}

export async function changesSince(
  deps: FederationDeps,
  partnerId: string | undefined,
  since: string | undefined,
  limit: number,
) {
  await partnerFor(deps, partnerId, 'pull');
  return deps.federation.feedSince(since, limit);
}

export interface DeliveryDeps {
  federation: Pick<FederationStore, 'partner' | 'noteAttempt'>;
  propagation: Pick<Propagation, 'answer'>;
  /** This service's signing key (functions/federation/service-key.ts). */
  serviceKey: () => Promise<{ keyId: string; privateKeyPem: string }>;
  clock: Clock;
  /** A POST through the outbound guard (functions/shared/outbound-http.ts). */
  post: typeof postOutbound;
}

/**
 * One delivery the workflow asked for: the change, signed by us, POSTed to the partner; the
 * partner's answer (2xx or not, or no answer within 10 s) goes back to the waiting task.
 */
export async function deliverToPartner(
  deps: DeliveryDeps,
  message: { partnerId: string; feed: Record<string, unknown>; taskToken: string },
) {
  const feed = message.feed as { entryRef?: string; version?: number };
  const failed = async (cause: string, kind: string) => {
    // The dimension is the kind of failure (a closed set), never the partner or the entry.
    count(METRIC.federationDelivery, { outcome: 'failed', cause: kind });
    if (feed.entryRef && feed.version)
      await deps.federation.noteAttempt(feed.entryRef, feed.version, message.partnerId, cause, message.feed);
    return deps.propagation.answer(message.taskToken, { delivered: false, cause });
  };
  const partner = await deps.federation.partner(message.partnerId);
  if (!partner?.deliveryUrl || partner.state !== 'active')
    return failed('partner suspended or without a delivery address', 'partner_inactive');
  const body = JSON.stringify({ entries: [message.feed] });
  const headers = await signRequest(
    { method: 'POST', url: partner.deliveryUrl, body },
    await deps.serviceKey(),
    deps.clock.now(),
    randomUUID(),
  );
  let res: { status: number };
  try {
    // Through the outbound guard: the address it resolves to now is checked, not only the text.
    res = await deps.post(partner.deliveryUrl, { headers, body, timeoutMs: 10_000 });
  } catch (error) {
    const cause = error instanceof OutboundCallFailed ? error.failure : 'unreachable';
    return failed(cause, cause);
  }
  if (res.status >= 200 && res.status < 300) {
    count(METRIC.federationDelivery, { outcome: 'delivered' });
    return deps.propagation.answer(message.taskToken, { delivered: true, status: res.status });
  }
  // The status only: what a partner's server answers is never shown back to a tenant.
  return failed(`http_${res.status}`, `http_${Math.floor(res.status / 100)}xx`);
}

/** What partners need to talk to us: our signing key and the OPRF's public key. */
export async function federationKeys(
  deps: Pick<FederationDeps, 'pseudonyms'>,
  serviceKey: DeliveryDeps['serviceKey'],
) {
  const key = await serviceKey();
  return {
    keyId: key.keyId,
    publicKeyPem: (key as { publicKeyPem?: string }).publicKeyPem ?? '',
    oprf: { suite: 'P256-SHA256', mode: 'VOPRF', publicKey: await deps.pseudonyms.publicKey() },
  };
}

/**
 * A person just registered in a tenant that joined: partners' entries in force on their
 * pseudonym land on them now (the worker blacklisted elsewhere who walks into the next company).
 */
export async function landPartnerEntries(
  deps: Pick<FederationDeps, 'federation' | 'holds' | 'clock'>,
  person: { tenantId: string; personId: string; pseudonym?: string },
  requestId: string,
): Promise<boolean> {
  if (!person.pseudonym) return false;
  const today = deps.clock.today();
  const entries = (await deps.federation.partnerEntriesOn(person.pseudonym)).filter((e) =>
    inboundInForce(e, today),
  );
  for (const e of entries) {
    const partner = await deps.federation.partner(e.partnerId);
    if (!partner || partner.state !== 'active') continue;
    const landed = await deps.holds.enter(partner, e, person, requestId);
    if (landed) return true; // one hold at a time
  }
  return false;
}

/**
 * The hourly re-run: every delivery whose last run failed is started again, grouped by entry
 * version, in an execution named by the hour (two runs in one hour are one execution). A
 * partner down for a day gets the change when it is back: never lost silently.
 */
export async function retryFailedDeliveries(
  deps: {
    federation: Pick<FederationStore, 'failedDeliveries'>;
    propagation: Pick<Propagation, 'start'>;
    clock: Clock;
  },
  limit = 500,
) {
  const failed = await deps.federation.failedDeliveries(limit);
  const byVersion = new Map<string, { feed: (typeof failed)[number]['feed']; partners: string[] }>();
  for (const f of failed) {
    const key = `${f.feed.entryRef}#${f.feed.version}`;
    const group = byVersion.get(key) ?? { feed: f.feed, partners: [] };
    group.partners.push(f.partnerId);
    byVersion.set(key, group);
  }
  const hour = deps.clock.now().toISOString().slice(0, 13).replace(/[-T]/g, '');
  for (const { feed, partners } of byVersion.values())
    await deps.propagation.start(feed, partners, `r${hour}`);
  return { retried: failed.length, executions: byVersion.size };
}
