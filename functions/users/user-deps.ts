import type { Tenant, User } from '../../schemas/users.ts';
import type { Mailer } from '../domain/mailer.ts';
import type { Actor } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { maskEmail, maskName, maskPhone } from '../shared/identity-numbers.ts';
import type { CachedPrincipals } from './cached-principals.ts';
import type { UserDirectory } from './user-directory-store.ts';
import type { UserPool } from './user-pool.ts';
import type { TenantRecord, UserRecord } from './user-rules.ts';

/** What a new user's role points at must exist in the tenant (a site, a subcontractor, a person). */
export interface TenantReferences {
  sitesExist(tenantId: string, siteIds: string[]): Promise<boolean>;
  subcontractorExists(tenantId: string, subcontractorId: string): Promise<boolean>;
  /** The person's masked name, or undefined when the tenant has no such person. */
  personName(tenantId: string, personId: string): Promise<string | undefined>;
}

/** Puts the invitation notice in a person's inbox (and so on their channels). */
export interface InvitationNotices {
  toPerson(
    tenantId: string,
    personId: string,
    nameMasked: string,
    invitation: { code: string; expiresAt: string },
  ): Promise<void>;
}

export interface UserDeps {
  directory: UserDirectory;
  principals: Pick<CachedPrincipals, 'forget'>;
  pool: UserPool;
  mailer: Mailer;
  /** The address invitations are sent from (undefined: mail is not configured). */
  mailFrom?: string;
  references: TenantReferences;
  notices: InvitationNotices;
  clock: Clock;
}

export function userView(u: UserRecord): User {
  return {
    userId: u.userId,
    role: u.role,
    siteIds: u.siteIds,
    state: u.state,
    ...(u.subcontractorId ? { subcontractorId: u.subcontractorId } : {}),
    ...(u.personId ? { personId: u.personId } : {}),
    ...(u.name ? { nameMasked: maskName(u.name) } : {}),
    ...(u.email ? { emailMasked: maskEmail(u.email) } : {}),
    ...(u.phone ? { phoneMasked: maskPhone(u.phone) } : {}),
    ...(u.invitation && u.state === 'invited'
      ? { invitation: { expiresAt: u.invitation.expiresAt, sentVia: u.invitation.sentVia } }
      : {}),
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export function tenantView(t: TenantRecord, firstAdmin?: UserRecord): Tenant {
  return {
    tenantId: t.tenantId,
    name: t.name,
    unifiedSocialCreditCode: t.unifiedSocialCreditCode,
    state: t.state,
    settings: t.settings,
    createdAt: t.createdAt,
    ...(t.suspendedAt ? { suspendedAt: t.suspendedAt, suspensionReason: t.suspensionReason } : {}),
    ...(firstAdmin ? { firstAdmin: userView(firstAdmin) } : {}),
  };
}

export const actorOf = (p: Principal): Actor => ({ tenantId: p.tenantId, subject: p.subject, role: p.role });
