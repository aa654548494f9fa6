// Cross-site permits as use cases: request (starts the co-sign workflow), sign (a site
// manager of either site), the signature request reaching the signers (work queue), and
// the permit as anyone concerned sees it. The outcome is written by the workflow itself.
import type { PersonRepository } from '../domain/person.ts';
import type { SiteRepository } from '../domain/sites.ts';
import type { Actor } from '../shared/audit.ts';
import { authorize, canSeePerson, canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { InvalidRequest, NotFound, RulesBroken } from '../shared/errors.ts';
import { maskName } from '../shared/identity-numbers.ts';
import { type CrossSitePermit, type Decision, type PermitSide, permitIdFor, sideToSign } from './permit.ts';
import type { PermitStore, StoredPermit } from './permit-store.ts';
import type { PermitWorkflow } from './permit-workflow.ts';
import type { PermitExecutionInput } from './permit-workflow-definition.ts';

export interface PermitDeps {
  permits: PermitStore;
  workflow: PermitWorkflow;
  people: Pick<PersonRepository, 'get'>;
  sites: Pick<SiteRepository, 'list'>;
  /** How long both managers have to co-sign (the tenant's dispatch policy), in hours. */
  signingWindowHours: (tenantId: string) => Promise<number>;
  clock: Clock;
}

export interface PermitRequest {
  personId: string;
  fromSiteId: string;
  toSiteId: string;
  from: string;
  to: string;
  reason: string;
}

const actorOf = (p: Principal): Actor => ({ tenantId: p.tenantId, subject: p.subject, role: p.role });

export const executionInput = (tenantId: string, p: CrossSitePermit): PermitExecutionInput => ({
  tenantId,
  permitId: p.permitId,
  fromSiteId: p.fromSiteId,
  toSiteId: p.toSiteId,
  timeoutSeconds: p.timeoutSeconds,
  keys: {
    permit: keys.permit(tenantId, p.permitId),
    link: keys.permitLink(tenantId, p.personId, p.permitId),
  },
});

/** The permit as callers see it: no task tokens. */
export const permitView = ({ tokens, ...permit }: StoredPermit, state?: string) => ({
  ...permit,
  ...(state ? { workflow: state } : {}),
});

/** Starts the co-sign; a repeated request answers the permit (and execution) it started. */
export async function requestPermit(
  deps: PermitDeps,
  principal: Principal,
  input: PermitRequest,
  requestId: string,
) {
  authorize(principal, 'permit:request');
  if (!canSeeSite(principal, input.fromSiteId) && !canSeeSite(principal, input.toSiteId))
    throw new NotFound('site_not_found');
  if (input.fromSiteId === input.toSiteId) throw new InvalidRequest('permit_same_site');
  if (!(Date.parse(input.to) > Date.parse(input.from))) throw new InvalidRequest('window_invalid');
  const [person, sites, signingHours] = await Promise.all([
    deps.people.get(principal.tenantId, input.personId),
    deps.sites.list(principal.tenantId),
    deps.signingWindowHours(principal.tenantId),
  ]);
  // A site manager asks for people of either of the two sites (theirs, or the ones coming to theirs).
  const visible =
    person &&
    (canSeePerson(principal, person) ||
      (principal.role === 'site_manager' && principal.siteIds.includes(input.toSiteId)));
  if (!person || !visible) throw new NotFound('person_not_found');
  for (const siteId of [input.fromSiteId, input.toSiteId])
    if (!sites.some((s) => s.siteId === siteId)) throw new NotFound('site_not_found');
  if (person.homeSiteId !== input.fromSiteId)
    throw new RulesBroken('permit_rules_broken', [
      { code: 'not_home_site', personId: person.personId, detail: { homeSiteId: person.homeSiteId ?? '' } },
    ]);
  const window = { from: new Date(input.from).toISOString(), to: new Date(input.to).toISOString() };
  const permit: CrossSitePermit = {
    permitId: permitIdFor(principal.tenantId, { ...input, ...window }),
    personId: person.personId,
    nameMasked: maskName(person.name),
    fromSiteId: input.fromSiteId,
    toSiteId: input.toSiteId,
    ...window,
    reason: input.reason,
    status: 'pending',
    signatures: {},
    requestedBy: principal.subject,
    requestedAt: deps.clock.now().toISOString(),
    timeoutSeconds: signingHours * 3600,
  };
  const created = await deps.permits.create(actorOf(principal), permit, requestId, deps.clock.now());
  const stored = created
    ? { ...permit, tokens: {} }
    : ((await deps.permits.get(principal.tenantId, permit.permitId)) as StoredPermit);
  // Idempotent by execution name: also restarts a request whose first try stopped right here.
  await deps.workflow.start(executionInput(principal.tenantId, stored));
  return { created, permit: permitView(stored) };
}

/** Group admins, HR and auditors, a manager of either site, the person themself. */
function maySee(principal: Principal, p: CrossSitePermit): boolean {
  if (principal.personId === p.personId) return true;
  if (principal.role === 'site_manager')
    return principal.siteIds.includes(p.fromSiteId) || principal.siteIds.includes(p.toSiteId);
  return ['group_admin', 'hr', 'auditor'].includes(principal.role);
}

export async function findPermit(
  deps: Pick<PermitDeps, 'permits' | 'workflow'>,
  principal: Principal,
  permitId: string,
) {
  const permit = /^pmt_[0-9A-Za-z]{10,40}$/.test(permitId)
    ? await deps.permits.get(principal.tenantId, permitId)
    : undefined;
  if (!permit || !maySee(principal, permit)) throw new NotFound('permit_not_found');
  return permitView(permit, await deps.workflow.state(permitId));
}

/** A site manager signs their side; the workflow hears of it at once if it is waiting already. */
export async function signPermit(
  deps: PermitDeps,
  principal: Principal,
  permitId: string,
  decision: Decision,
  comment: string | undefined,
  requestId: string,
) {
  const permit = await deps.permits.get(principal.tenantId, permitId);
  if (!permit || !maySee(principal, permit)) throw new NotFound('permit_not_found');
  const side = sideToSign(permit, principal, decision);
  if (!side) return permitView(permit);
  const now = deps.clock.now();
  const signed = await deps.permits.sign(
    actorOf(principal),
    permitId,
    side,
    {
      decision,
      by: principal.subject,
      ...(principal.personId ? { personId: principal.personId } : {}),
      at: now.toISOString(),
      ...(comment ? { comment } : {}),
    },
    requestId,
    now,
  );
  const token = signed.tokens[side];
  if (token) await deps.workflow.answer(token, decision, comment);
  return permitView(signed);
}

/**
 * The workflow asks one side to sign (a work-queue message with its task token): keep the
 * token, and either answer at once (the manager signed before the request arrived) or put
 * the request in the inbox of that site's managers.
 */
export async function onSignatureRequest(
  deps: Pick<PermitDeps, 'permits' | 'workflow' | 'clock'>,
  message: { tenantId: string; permitId: string; side: PermitSide; siteId: string; taskToken: string },
) {
  const permit = await deps.permits.keepToken(
    message.tenantId,
    message.permitId,
    message.side,
    message.taskToken,
  );
  if (!permit) return; // no such permit: the task times out into "expired"
  const signature = permit.signatures[message.side];
  if (signature) {
    await deps.workflow.answer(message.taskToken, signature.decision, signature.comment);
    return;
  }
  await deps.permits.notify(
    message.tenantId,
    [
      {
        kind: 'permit_signature_request',
        mailbox: `SITE#${message.siteId}#site_manager`,
        personId: permit.personId,
        nameMasked: permit.nameMasked,
        reasons: [],
        permit: {
          permitId: permit.permitId,
          side: message.side,
          fromSiteId: permit.fromSiteId,
          toSiteId: permit.toSiteId,
        },
      },
    ],
    deps.clock.now(),
  );
}
