// The gate view: one small item per person that the gate decision reads (SPEC X2). Status
// writes keep it current; check-ins count the person on a site through it; quizzes mark
// each site's induction on it. Its shape is vocabulary several capabilities share.

import type { BlacklistHold } from './blacklist.ts';
import type { EngagementEnd } from './engagement.ts';
import type { Counted } from './heat-counts.ts';
import type { RecentIn } from './travel.ts';

export interface GateView {
  personId: string;
  nameMasked: string;
  color: 'green' | 'yellow' | 'red';
  gateAccess: 'allowed' | 'frozen';
  reasons: string[];
  /** The day gate access lapses by date alone (China date), if it does. */
  accessLapsesOn?: string;
  /** Categories of the certificates in force: how the person counts on the heat map. */
  categories?: string[];
  updatedAt?: string;
  /** How the person counts on the heat map now (set while on site), and its version. */
  counted?: Counted;
  cv?: number;
  /** The latest check-in per site over the last week, newest first (the 50 km / 24 h alert). */
  recentIns?: RecentIn[];
  /** An alliance blacklist hold (O4): denied as `blacklisted` until it expires or is removed. */
  blacklist?: BlacklistHold;
  /** The end of the person's engagement (terminated subcontractor, departure): denied from its day. */
  engagementEnd?: EngagementEnd;
  /** The person's safety quiz per site (X5): `quiz_<siteId>`, and the day it was passed. */
  [quizOfSite: `quiz_${string}`]: 'pending' | 'passed' | undefined;
  [quizPassedOnAtSite: `quizPassedOn_${string}`]: string | undefined;
}

export const quizAttribute = (siteId: string) => `quiz_${siteId}` as const;
export const quizPassedOnAttribute = (siteId: string) => `quizPassedOn_${siteId}` as const;

/**
 * Where a person stands when their status is about to change, as their gate view records
 * it: how they are counted on a site's heat map (and that counting's version), and their
 * open work tickets. Read once before a status write; the write's participants act on it.
 */
export interface Presence {
  counted?: Counted;
  cv?: number;
  /** Open work tickets, each as `<ticketId> <siteId> <leaderId>`: a red status suspends them. */
  openTickets?: string[];
}

/** Site inductions as a gate needs them: open the site's quiz for a person arriving (X5). */
export interface SiteInductions {
  openOnArrival(tenantId: string, view: GateView, siteId: string): Promise<unknown>;
}
