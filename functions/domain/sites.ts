// The sites port: what tickets, permits and reports ask of a tenant's sites.
import type { Site } from '../../schemas/sites.ts';
import type { Principal } from '../shared/auth/principal.ts';

/** A site as stored, with the version a correction names (sites made before versions: 1). */
export interface VersionedSite {
  site: Site;
  version: number;
}

export type SiteChanges = Partial<Pick<Site, 'name' | 'code' | 'location' | 'address' | 'regionCode'>> & {
  /** Closing (set) or reopening (null) the site. */
  closed?: Site['closed'] | null;
  /** A new boundary, or null to remove it. */
  geofence?: Site['geofence'] | null;
};

export interface SiteRepository {
  create(principal: Principal, site: Site, requestId: string): Promise<void>;
  list(tenantId: string): Promise<Site[]>;
  get(tenantId: string, siteId: string): Promise<VersionedSite | undefined>;
  /**
   * Stores the corrected site if it is still at `expected` (else PreconditionFailed), moves
   * its code's guard when the code changes (Conflict when another site has it), and audits
   * the fields before and after — one transaction.
   */
  update(
    principal: Principal,
    current: VersionedSite,
    expected: number,
    changes: SiteChanges,
    requestId: string,
  ): Promise<VersionedSite>;
}
