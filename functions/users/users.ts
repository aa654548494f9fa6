import type { CreateUserBody, UpdateUserBody } from '../../schemas/users.ts';
import type { Actor, Principal, TenantRole } from '../shared/auth/principal.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { type FieldError, Forbidden, InvalidRequest, NotFound, RulesBroken } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { invite, inviteeIn, newInvitationCode, sendInvitation } from './invitations.ts';
import { actorOf, type UserDeps, userView } from './user-deps.ts';
import { codeHash } from './user-directory-store.ts';
import {
  invitationExpiry,
  mayGrant,
  mayManageUsers,
  removesAnAdmin,
  roleShapeProblems,
  type UserRecord,
} from './user-rules.ts';

export { acceptInvitation, newInvitationCode } from './invitations.ts';
export { addPlatformAdmin, createTenant, getTenant, listTenants, setTenantState } from './tenants.ts';
export {
  type InvitationNotices,
  type TenantReferences,
  tenantView,
  type UserDeps,
  userView,
} from './user-deps.ts';

function mustManage(actor: Principal, ...roles: string[]) {
  if (!mayManageUsers(actor)) throw new Forbidden('role_not_allowed', { role: actor.role });
  for (const role of roles)
    if (!mayGrant(actor, role as TenantRole)) throw new Forbidden('role_not_grantable', { role });
}

function shapeOrThrow(shape: Parameters<typeof roleShapeProblems>[0]) {
  const problems = roleShapeProblems(shape);
  if (problems.length)
    throw new InvalidRequest(
      'validation_failed',
      problems.map((p): FieldError => ({ field: p.field, code: p.code, message: p.code })),
    );
}

async function referencesOrThrow(
  deps: UserDeps,
  tenantId: string,
  u: { siteIds: string[]; subcontractorId?: string },
) {
  if (u.siteIds.length && !(await deps.references.sitesExist(tenantId, u.siteIds)))
    throw new InvalidRequest('site_not_found', [
      { field: 'siteIds', code: 'site_not_found', message: 'site_not_found' },
    ]);
  if (u.subcontractorId && !(await deps.references.subcontractorExists(tenantId, u.subcontractorId)))
    throw new InvalidRequest('subcontractor_not_found', [
      { field: 'subcontractorId', code: 'subcontractor_not_found', message: 'subcontractor_not_found' },
    ]);
}

export async function createUser(deps: UserDeps, actor: Principal, body: CreateUserBody, requestId: string) {
  mustManage(actor, body.role);
  shapeOrThrow(body);
  await referencesOrThrow(deps, actor.tenantId, body);
  const invitee = await inviteeIn(deps, actor.tenantId, body);
  if (body.personId && !invitee.personNameMasked)
    throw new InvalidRequest('person_not_found', [
      { field: 'personId', code: 'person_not_found', message: 'person_not_found' },
    ]);
  const now = deps.clock.now().toISOString();
  const user = await invite(
    deps,
    invitee,
    {
      userId: newId('usr'),
      tenantId: actor.tenantId,
      role: body.role,
      siteIds: body.siteIds,
      ...(body.subcontractorId ? { subcontractorId: body.subcontractorId } : {}),
      ...(body.personId ? { personId: body.personId } : {}),
      ...(body.name ? { name: body.name } : {}),
      ...(body.email ? { email: body.email } : {}),
      ...(body.phone ? { phone: body.phone } : {}),
      createdAt: now,
      createdBy: actor.subject,
      updatedAt: now,
      version: 1,
    },
    (u) => deps.directory.createUser(actorOf(actor), u, requestId),
  );
  return userView(user);
}

export async function listUsers(deps: UserDeps, actor: Principal, page: { limit: number; cursor?: string }) {
  mustManage(actor);
  const { items, nextCursor } = await deps.directory.listUsers(actor.tenantId, page.limit, page.cursor);
  return { items: items.map(userView), ...(nextCursor ? { nextCursor } : {}) };
}

/** A user of the caller's tenant, or 404 (another tenant's id names nothing here). */
async function userOr404(deps: UserDeps, actor: Principal, userId: string) {
  const user = await deps.directory.getUser(actor.tenantId, userId);
  if (!user) throw new NotFound('user_not_found');
  return user;
}

export async function getUser(deps: UserDeps, actor: Principal, userId: string) {
  if (actor.userId === userId) return userView(await userOr404(deps, actor, userId));
  mustManage(actor);
  return userView(await userOr404(deps, actor, userId));
}

export async function getMe(deps: UserDeps, actor: Principal) {
  if (!actor.userId) throw new NotFound('user_not_found');
  return userView(await userOr404(deps, actor, actor.userId));
}

/** Another active group admin who stays when `before` stops being one (422 when there is none). */
async function keeperFor(deps: Pick<UserDeps, 'directory'>, before: UserRecord, after?: UserRecord) {
  if (!removesAnAdmin(before, after)) return undefined;
  // Two are enough to find one that is not `before` (a tenant has a handful of admins, workers by the thousand).
  const keeper = (await deps.directory.activeAdmins(before.tenantId, 2)).find(
    (u) => u.userId !== before.userId,
  );
  if (!keeper) throw new RulesBroken('last_group_admin', [{ code: 'last_group_admin' }]);
  return keeper;
}

async function change(
  deps: UserDeps,
  actor: Principal,
  userId: string,
  action: string,
  reqId: string,
  edit: (before: UserRecord) => UserRecord,
) {
  return retryOnStale(async () => {
    const before = await userOr404(deps, actor, userId);
    const edited = edit(before);
    mustManage(actor, before.role, edited.role);
    if (edited === before) return { before, after: before };
    const after = { ...edited, updatedAt: deps.clock.now().toISOString() };
    if (
      after.role !== before.role ||
      after.siteIds !== before.siteIds ||
      after.subcontractorId !== before.subcontractorId
    ) {
      shapeOrThrow(after as UserRecord & { role: TenantRole });
      await referencesOrThrow(deps, actor.tenantId, after);
    }
    await deps.directory.saveUser(
      actorOf(actor),
      before,
      after,
      action,
      reqId,
      await keeperFor(deps, before, after),
    );
    if (after.login) deps.principals.forget(after.login);
    return { before, after };
  });
}

export async function updateUser(
  deps: UserDeps,
  actor: Principal,
  userId: string,
  body: UpdateUserBody,
  reqId: string,
) {
  const { after } = await change(deps, actor, userId, 'user.update', reqId, (u) => {
    const next: UserRecord = { ...u };
    if (body.role) next.role = body.role;
    if (body.siteIds) next.siteIds = body.siteIds;
    if (body.subcontractorId === null) delete next.subcontractorId;
    else if (body.subcontractorId) next.subcontractorId = body.subcontractorId;
    // A role that has no sites (or company) drops them rather than keeping stale scope.
    if (body.role && body.role !== 'site_manager' && !body.siteIds) next.siteIds = [];
    if (body.role && body.role !== 'subcontractor' && body.subcontractorId === undefined)
      delete next.subcontractorId;
    return next;
  });
  return userView(after);
}

export async function setUserEnabled(
  deps: UserDeps,
  actor: Principal,
  userId: string,
  enabled: boolean,
  reqId: string,
) {
  const { before, after } = await change(
    deps,
    actor,
    userId,
    enabled ? 'user.enable' : 'user.disable',
    reqId,
    (u) => {
      if (enabled && u.state !== 'disabled') return u;
      if (!enabled && u.state === 'disabled') return u;
      // An enabled user goes back to where they were: bound (active) or still invited.
      return { ...u, state: enabled ? (u.login ? 'active' : 'invited') : 'disabled' };
    },
  );
  if (before.state !== after.state && after.login) await deps.pool.setEnabled(after.login, enabled);
  return userView(after);
}

export async function deleteUser(deps: UserDeps, actor: Principal, userId: string, reqId: string) {
  await retryOnStale(async () => {
    const user = await userOr404(deps, actor, userId);
    mustManage(actor, user.role);
    await deps.directory.deleteUser(actorOf(actor), user, reqId, await keeperFor(deps, user));
    if (user.login) {
      deps.principals.forget(user.login);
      await deps.pool.remove(user.login);
    }
  });
}

/**
 * A new invitation for someone still invited (the code expired or went astray): a fresh code,
 * 72 hours again, by the same ways; the old code stops working at once.
 */
export async function reinviteUser(deps: UserDeps, actor: Principal, userId: string, reqId: string) {
  const { user, code } = await retryOnStale(async () => {
    const before = await userOr404(deps, actor, userId);
    mustManage(actor, before.role);
    if (before.state !== 'invited' || !before.invitation)
      throw new RulesBroken('invitation_not_open', [{ code: 'invitation_not_open' }]);
    const fresh = newInvitationCode();
    const now = deps.clock.now();
    const after: UserRecord = {
      ...before,
      invitation: {
        codeHash: codeHash(fresh),
        expiresAt: invitationExpiry(now),
        sentVia: before.invitation.sentVia,
      },
      updatedAt: now.toISOString(),
    };
    await deps.directory.reissueInvitation(actorOf(actor), before, after, reqId);
    return { user: { ...after, version: before.version + 1 }, code: fresh };
  });
  await sendInvitation(
    deps,
    await inviteeIn(deps, actor.tenantId, { ...user, role: user.role as TenantRole }),
    code,
    (user.invitation as NonNullable<UserRecord['invitation']>).expiresAt,
    (user.invitation as NonNullable<UserRecord['invitation']>).sentVia,
  );
  return userView(user);
}

/**
 * A leaver's own accounts (issue 28): each user bound to the person is disabled — in the
 * directory (every call is refused within the principal cache's minute) and in the pool —
 * as part of the departure, whoever records it (the departure's role decides, not user
 * administration). Convergent: a disabled account is left alone, so running it twice is
 * harmless. The last active group admin is kept (the tenant would be locked out): reported,
 * for an admin to hand over. Re-hiring does not enable them again: an admin decides that.
 */
export async function disableAccountsOfLeaver(
  deps: Pick<UserDeps, 'directory' | 'principals' | 'pool' | 'clock'>,
  actor: Actor,
  personId: string,
  reqId: string,
): Promise<{ disabled: string[]; kept: string[] }> {
  const disabled: string[] = [];
  const kept: string[] = [];
  for (const user of await deps.directory.usersOfPerson(actor.tenantId, personId)) {
    if (user.state === 'disabled') continue;
    try {
      await retryOnStale(async () => {
        const before = (await deps.directory.getUser(actor.tenantId, user.userId)) ?? user;
        const after: UserRecord = { ...before, state: 'disabled', updatedAt: deps.clock.now().toISOString() };
        await deps.directory.saveUser(
          actor,
          before,
          after,
          'user.disable',
          reqId,
          await keeperFor(deps, before, after),
        );
      });
    } catch (error) {
      if (error instanceof RulesBroken) {
        kept.push(user.userId);
        continue;
      }
      throw error;
    }
    if (user.login) {
      deps.principals.forget(user.login);
      await deps.pool.setEnabled(user.login, false);
    }
    disabled.push(user.userId);
  }
  return { disabled, kept };
}
