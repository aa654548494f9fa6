// The offline allowlist of a site (SPEC X2): what each known badge would get at this site's
// gates now, for a gate that has lost its connection. Pure. Badges not listed are unknown
// and denied; revoked badges are left out for the same reason (the list stays small).
import { todayInShanghai } from '../shared/calendar.ts';
import {
  type BadgeBinding,
  type DenyReason,
  decideScan,
  type GateView,
  inductionLapsesOn,
  type SiteEntryPolicy,
} from './decision.ts';

/** How long a device may rely on a list; lists are republished every 6 h and on changes. */
export const ALLOWLIST_VALID_HOURS = 24;

export interface Allowlist {
  typ: 'gate-allowlist';
  tenantId: string;
  siteId: string;
  /** Increases with every list published for the site: a device ignores an older one. */
  version: number;
  /** This part's index, and how many parts make the list (see buildAllowlist). */
  part: number;
  parts: number;
  issuedAt: string;
  /** After this instant a device must not use the list (it denies, or asks online). */
  expiresAt: string;
  /** Badge UIDs (hex, upper case) let in. */
  allow: string[];
  /** Known badges refused, with the reason a gate would give online. */
  deny: Record<string, DenyReason>;
  /**
   * Allowed badges whose access lapses by date (a certificate expiring, a review falling
   * due) before the list might be replaced: from this instant the gate refuses them.
   */
  until: Record<string, string>;
}

/** Badges per part: ~17 bytes each once signed, so a part stays far below 128 KB. */
export const ALLOWLIST_PART_BADGES = 5000;

/**
 * The list in parts of at most `partSize` badges (in UID order), each signed and published
 * on its own; a device uses a version once it holds all `parts` parts of it.
 */
export function buildAllowlist(
  input: {
    tenantId: string;
    siteId: string;
    version: number;
    now: Date;
    badges: BadgeBinding[];
    views: Map<string, GateView>;
    site?: SiteEntryPolicy;
  },
  partSize = ALLOWLIST_PART_BADGES,
): Allowlist[] {
  const today = todayInShanghai(input.now);
  const active = input.badges.filter((b) => b.active).sort((a, b) => a.badgeUid.localeCompare(b.badgeUid));
  const parts = Math.max(1, Math.ceil(active.length / partSize));
  return Array.from({ length: parts }, (_, part) => {
    const allow: string[] = [];
    const deny: Record<string, DenyReason> = {};
    const until: Record<string, string> = {};
    for (const badge of active.slice(part * partSize, (part + 1) * partSize)) {
      const view = input.views.get(badge.personId);
      const decision = decideScan(badge, view, 'in', input.site, today);
      if (decision.decision === 'allow') {
        allow.push(badge.badgeUid);
        // Midnight in China, when the day of the lapse begins: certificate or induction, the first.
        const lapses = [
          view?.accessLapsesOn,
          view?.engagementEnd?.on,
          input.site?.quizRequired && view ? inductionLapsesOn(view, input.site) : undefined,
        ]
          .filter((d): d is string => !!d)
          .sort()[0];
        if (lapses) until[badge.badgeUid] = `${lapses}T00:00:00+08:00`;
      } else deny[badge.badgeUid] = decision.reason as DenyReason;
    }
    return {
      typ: 'gate-allowlist' as const,
      tenantId: input.tenantId,
      siteId: input.siteId,
      version: input.version,
      part,
      parts,
      issuedAt: input.now.toISOString(),
      expiresAt: new Date(input.now.getTime() + ALLOWLIST_VALID_HOURS * 3600_000).toISOString(),
      allow,
      deny,
      until,
    };
  });
}
