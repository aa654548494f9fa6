// The rules of the product's user directory (tenants and users), as pure functions: who may
// grant which role, what a role needs (sites, subcontractor, person), what a directory
// entry lets its holder do, when an invitation is still good, and the last group admin.

import { PLATFORM_ROLE, type Principal, type Role, type TenantRole } from '../shared/auth/principal.ts';
import type { MessageCode } from '../shared/i18n/messages.ts';

export type UserState = 'invited' | 'active' | 'disabled';
export type TenantState = 'active' | 'suspended';

export interface UserRecord {
  userId: string;
  /** Empty for a platform operator. */
  tenantId: string;
  role: Role;
  siteIds: string[];
  subcontractorId?: string;
  personId?: string;
  state: UserState;
  name?: string;
  email?: string;
  phone?: string;
  /** The identity this user signs in with, once bound (invitation accepted, or created in Cognito). */
  login?: { issuer: string; subject: string };
  invitation?: Invitation;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export interface Invitation {
  /** SHA-256 of the code: the code itself is never stored. */
  codeHash: string;
  expiresAt: string;
  /** How it went out: mail, inbox (and the person's channels), cognito (the pool's own message). */
  sentVia: ('mail' | 'inbox' | 'cognito')[];
}

export interface TenantRecord {
  tenantId: string;
  name: string;
  unifiedSocialCreditCode: string;
  state: TenantState;
  /** Where the tenant's data lives and which deployment profile serves it. */
  settings: { dataRegion?: string; profile: 'global' | 'china' };
  createdAt: string;
  createdBy: string;
  suspendedAt?: string;
  suspensionReason?: string;
  version: number;
}

/** How long an invitation code is good: a signing-to-first-site promise of 72 hours. */
export const INVITATION_HOURS = 72;

/**
 * The roles each role may hand out (and change, disable or remove holders of): nobody grants
 * a role above their own. The group admin manages every tenant role; hr only workers'
 * own accounts and subcontractor admins; nobody else manages users.
 */
export const GRANTS: Partial<Record<Role, readonly TenantRole[]>> = {
  group_admin: ['group_admin', 'site_manager', 'hr', 'subcontractor', 'auditor', 'worker'],
  hr: ['worker', 'subcontractor'],
};

export const mayManageUsers = (actor: Principal) => (GRANTS[actor.role]?.length ?? 0) > 0;

export const mayGrant = (actor: Principal, role: Role) =>
  (GRANTS[actor.role] as readonly Role[] | undefined)?.includes(role) ?? false;

export interface RoleShape {
  role: TenantRole;
  siteIds: string[];
  subcontractorId?: string;
  personId?: string;
}

/**
 * What a role needs to mean anything: a site manager their sites, a subcontractor admin
 * their company, a worker their person record. Returns the field errors (empty: fine).
 */
export function roleShapeProblems(u: RoleShape): { field: string; code: MessageCode }[] {
  const problems: { field: string; code: MessageCode }[] = [];
  if (u.role === 'site_manager' && u.siteIds.length === 0)
    problems.push({ field: 'siteIds', code: 'sites_required' });
  if (u.role !== 'site_manager' && u.siteIds.length > 0)
    problems.push({ field: 'siteIds', code: 'sites_not_for_role' });
  if (u.role === 'subcontractor' && !u.subcontractorId)
    problems.push({ field: 'subcontractorId', code: 'subcontractor_required' });
  if (u.role !== 'subcontractor' && u.subcontractorId)
    problems.push({ field: 'subcontractorId', code: 'subcontractor_not_for_role' });
  if (u.role === 'worker' && !u.personId) problems.push({ field: 'personId', code: 'person_required' });
  return problems;
}

/** Why a directory entry lets nobody in right now, or undefined when it does. */
export function refusal(
  user: Pick<UserRecord, 'state' | 'role'>,
  tenant: Pick<TenantRecord, 'state'> | undefined,
): 'account_disabled' | 'account_not_active' | 'tenant_suspended' | undefined {
  if (user.state === 'disabled') return 'account_disabled';
  if (user.state !== 'active') return 'account_not_active';
  if (user.role !== PLATFORM_ROLE && tenant?.state === 'suspended') return 'tenant_suspended';
  return undefined;
}

/** The caller a directory entry makes (after `refusal` said yes). */
export function principalOf(user: UserRecord): Principal {
  return {
    subject: user.login?.subject ?? user.userId,
    tenantId: user.tenantId,
    role: user.role,
    siteIds: user.siteIds,
    userId: user.userId,
    ...(user.subcontractorId ? { subcontractorId: user.subcontractorId } : {}),
    ...(user.personId ? { personId: user.personId } : {}),
  };
}

/** Whether an invitation can still be accepted at `now`. */
export function invitationProblem(
  user: Pick<UserRecord, 'state' | 'invitation'> | undefined,
  codeHash: string,
  now: Date,
): 'invitation_not_found' | 'invitation_expired' | 'invitation_used' | undefined {
  if (!user?.invitation || user.invitation.codeHash !== codeHash) return 'invitation_not_found';
  if (user.state !== 'invited') return 'invitation_used';
  if (now.getTime() >= Date.parse(user.invitation.expiresAt)) return 'invitation_expired';
  return undefined;
}

export const invitationExpiry = (now: Date) =>
  new Date(now.getTime() + INVITATION_HOURS * 3600_000).toISOString();

/**
 * Whether this change takes an active group admin away (demoted, disabled or removed): then
 * another active group admin must remain, checked in the same transaction.
 */
export const removesAnAdmin = (
  before: Pick<UserRecord, 'role' | 'state'>,
  after?: Pick<UserRecord, 'role' | 'state'>,
) =>
  before.role === 'group_admin' &&
  before.state === 'active' &&
  (!after || after.role !== 'group_admin' || after.state !== 'active');
