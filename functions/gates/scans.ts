// One gate scan, from the gate's message to its decision (SPEC X2). The gate id names the
// tenant and site, so nothing is looked up to find them.

import * as z from 'zod';
import { GateId, GateScan } from '../../schemas/gates.ts';
import type { SiteInductions } from '../domain/gate-view.ts';
import type { NotificationRequest } from '../domain/notifications.ts';
import { type Location, type RecentIn, travelBreaches, travelCandidates } from '../domain/travel.ts';
import type { Clock } from '../shared/clock.ts';
import { errorForLog } from '../shared/error-log.ts';
import { switchedOff } from '../shared/kill-switches.ts';
import { logger } from '../shared/logger.ts';
import { ALLOWLIST_VALID_HOURS } from './allowlist.ts';
import {
  type Decision,
  decideScan,
  inductionExpired,
  quizAttribute,
  scanTimeAcceptable,
} from './decision.ts';
import type { ScanStore } from './scan-store.ts';

/** What the 50 km / 24 h alert needs, read only after the decision went out. */
export interface TravelAlerts {
  /** The tenant's distance rule and where the named sites are. */
  travelFacts(
    tenantId: string,
    siteIds: string[],
  ): Promise<{ policy: { distanceKm: number; distanceHours: number }; locations: Map<string, Location> }>;
  notify(tenantId: string, requests: NotificationRequest[], now: Date): Promise<void>;
}

export interface ScanDeps {
  scans: ScanStore;
  /** The site's induction quiz, opened for a person whose induction there is due. */
  inductions: SiteInductions;
  travel: TravelAlerts;
  clock: Clock;
  /**
   * A frozen or suspended person's badge tried at a gate for special work (E1): proposed as
   * a violation for a manager to confirm or dismiss — nothing is counted by itself.
   */
  refusedAtWork?: (fact: RefusedAtWork) => Promise<unknown>;
}

/** A frozen or suspended person's badge refused at a gate for special work. */
export interface RefusedAtWork {
  tenantId: string;
  personId: string;
  siteId: string;
  at: string;
  workType: string;
  reason: string;
  scanId: string;
}

/** A check-in that may break the distance rule: checked after the gate has its answer. */
export interface TravelCheck {
  tenantId: string;
  person: { personId: string; nameMasked: string };
  here: RecentIn;
  candidates: RecentIn[];
}

export function parseGateId(gateId: string): { tenantId: string; siteId: string; gate: string } | undefined {
  if (!GateId.safeParse(gateId).success) return undefined;
  const [tenantId, siteId, gate] = gateId.split(':') as [string, string, string];
  return { tenantId, siteId, gate };
}

export class InvalidScan extends Error {}

/** The decision for a scan; a repeated scanId gets the first decision again and no second check-in. */
export async function handleScan(
  deps: ScanDeps,
  gateId: string,
  message: unknown,
): Promise<Decision & { scanId: string; duplicate: boolean; travel?: TravelCheck }> {
  const gate = parseGateId(gateId);
  const scan = GateScan.safeParse(message);
  if (!gate || !scan.success)
    throw new InvalidScan(gate ? z.prettifyError(scan.error as z.ZodError) : `bad gate id ${gateId}`);
  const { scanId, direction, at, workType } = scan.data;
  const badgeUid = scan.data.badgeUid.toUpperCase();
  const now = deps.clock.now();
  // A time no gate could truthfully send is refused and not recorded: it would reorder
  // presence and shift history (a scan dated 2099 would keep someone "on site" forever).
  if (!scanTimeAcceptable(at, now, ALLOWLIST_VALID_HOURS))
    return { scanId, decision: 'deny', reason: 'scan_time_invalid', duplicate: false };
  const { badge, site } = await deps.scans.badgeAndSite(gate.tenantId, badgeUid, gate.siteId);
  const view = badge?.active ? await deps.scans.gateView(gate.tenantId, badge.personId) : undefined;
  const today = deps.clock.today();
  const decision = decideScan(badge, view, direction, site, today);
  const stored = await deps.scans.recordScan(
    gate.tenantId,
    {
      scanId,
      gateId,
      siteId: gate.siteId,
      badgeUid,
      direction,
      at,
      ...(workType ? { workType } : {}),
      decision,
    },
    view,
  );
  // A person's first arrival at a site with a safety notice — or the first after their
  // induction there ran out: the notice and a quiz (X5). Allowed or not, so a newcomer
  // refused for quiz_required can take it and come back. A failure here must not hold back
  // the decision: the next arrival tries again.
  const quizDue = view && site && (!view[quizAttribute(gate.siteId)] || inductionExpired(view, site, today));
  if (quizDue && !stored.duplicate && direction === 'in')
    await deps.inductions
      .openOnArrival(gate.tenantId, view, gate.siteId)
      .catch((error: unknown) =>
        logger.error('could not open the site quiz', { siteId: gate.siteId, error: errorForLog(error) }),
      );
  const refused = stored.decision.decision === 'deny' ? stored.decision.reason : undefined;
  if (
    deps.refusedAtWork &&
    badge &&
    workType &&
    direction === 'in' &&
    !stored.duplicate &&
    (refused === 'person_frozen' || refused === 'suspended')
  )
    await deps
      .refusedAtWork({
        tenantId: gate.tenantId,
        personId: badge.personId,
        siteId: gate.siteId,
        at,
        workType,
        reason: refused,
        scanId,
      })
      .catch((error: unknown) =>
        logger.error('could not propose the violation', { error: errorForLog(error) }),
      );
  if (stored.reused) return { scanId, decision: 'deny', reason: 'scan_id_reused', duplicate: true };
  const here = { siteId: gate.siteId, at: new Date(at).toISOString() };
  const candidates =
    view && !stored.duplicate && direction === 'in' && stored.decision.decision === 'allow'
      ? travelCandidates(view.recentIns, here)
      : [];
  return {
    scanId,
    ...stored.decision,
    duplicate: stored.duplicate,
    ...(view && candidates.length
      ? {
          travel: {
            tenantId: gate.tenantId,
            person: { personId: view.personId, nameMasked: view.nameMasked },
            here,
            candidates,
          },
        }
      : {}),
  };
}

/**
 * The 50 km / 24 h alert (SPEC X4): both sites' managers hear of a check-in farther than the
 * tenant's distance from another one within its hours. Runs after the decision is published,
 * and only for people seen at another site lately, so the gate's two reads stay two.
 */
export async function raiseTravelAlerts(deps: Pick<ScanDeps, 'travel' | 'clock'>, check: TravelCheck) {
  if (switchedOff('travel-alert')) return [];
  const siteIds = [...new Set([check.here.siteId, ...check.candidates.map((c) => c.siteId)])];
  const { policy, locations } = await deps.travel.travelFacts(check.tenantId, siteIds);
  const breaches = travelBreaches(check.candidates, check.here, locations, policy);
  if (!breaches.length) return [];
  const requests = breaches.flatMap((travel) =>
    [travel.fromSiteId, travel.toSiteId].map(
      (siteId): NotificationRequest => ({
        kind: 'travel_alert',
        mailbox: `SITE#${siteId}#site_manager`,
        ...check.person,
        reasons: [],
        travel,
      }),
    ),
  );
  await deps.travel.notify(check.tenantId, requests, deps.clock.now());
  logger.warn('check-ins too far apart too soon', {
    personId: check.person.personId,
    breaches: breaches.map(({ fromSiteId, toSiteId, km, hours }) => ({ fromSiteId, toSiteId, km, hours })),
  });
  return breaches;
}

/** The message a gate receives on gates/{gateId}/decision (the contract has no `duplicate`), and what to check after. */
export async function decisionMessage(deps: ScanDeps, gateId: string, message: unknown) {
  const { duplicate: _duplicate, travel, ...decision } = await handleScan(deps, gateId, message);
  return { decision, ...(travel ? { travel } : {}) };
}
