// The sites port: what tickets, permits and reports ask of a tenant's sites.
import type { Site } from '../../schemas/sites.ts';
import type { Principal } from '../shared/auth/principal.ts';

export interface SiteRepository {
  create(principal: Principal, site: Site, requestId: string): Promise<void>;
  list(tenantId: string): Promise<Site[]>;
}
