// Tenants and users (the product's own directory): the platform operator onboards a
// customer, a tenant's admins invite, change, disable and remove its users, and an invited
// person binds their sign-in identity with the code on their first call.
import { randomInt } from 'node:crypto';
import type { CreateTenantBody, CreateUserBody, Tenant, UpdateUserBody, User } from '../../schemas/users.ts';
import type { Mailer } from '../domain/mailer.ts';
import type { Actor } from '../shared/audit.ts';
import type { Identity, Principal, TenantRole } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { type FieldError, Forbidden, InvalidRequest, NotFound, RulesBroken } from '../shared/errors.ts';
import { message } from '../shared/i18n/messages.ts';
import { checkUscc, maskEmail, maskName, maskPhone } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import type { CachedPrincipals } from './cached-principals.ts';
import { codeHash, type UserDirectory } from './user-directory-store.ts';
import type { UserPool } from './user-pool.ts';
import {
  invitationExpiry,
  invitationProblem,
  mayGrant,
  mayManageUsers,
  removesAnAdmin,
  roleShapeProblems,
  type TenantRecord,
  type UserRecord,
} from './user-rules.ts';

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

// ---- views -------------------------------------------------------------------------------

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

const actorOf = (p: Principal): Actor => ({ tenantId: p.tenantId, subject: p.subject, role: p.role });

// ---- invitations ---------------------------------------------------------------------------

/** 10 characters from an alphabet without look-alikes (0/O, 1/I/L): ~48 bits, single-use, 72 h. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newInvitationCode = () =>
  Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

interface Invitee {
  tenantId: string;
  tenantName: string;
  role: TenantRole;
  name?: string;
  email?: string;
  phone?: string;
  personId?: string;
  personNameMasked?: string;
}

/**
 * How the invitee will sign in: an account in the deployment's own pool (bound now), or a code
 * sent by mail and/or to the person's inbox, bound on first sign-in with an external issuer.
 * Nothing is sent before the user is stored; a way to reach the invitee is checked first.
 */
async function prepareInvitation(deps: UserDeps, invitee: Invitee) {
  // Where the deployment makes the sign-in accounts (usernames are e-mail addresses), someone
  // without an address gets none.
  if (deps.pool.createsAccounts && !invitee.email)
    throw new RulesBroken('no_way_to_invite', [{ code: 'email_required_to_invite' }]);
  const login = deps.pool.createsAccounts ? await deps.pool.create(invitee) : undefined;
  if (login) return { login, sentVia: ['cognito' as const] };
  const sentVia: ('mail' | 'inbox')[] = [];
  if (invitee.email && deps.mailFrom) sentVia.push('mail');
  if (invitee.personId) sentVia.push('inbox');
  if (!sentVia.length)
    throw new RulesBroken('no_way_to_invite', [
      { code: invitee.email ? 'mail_not_configured' : 'email_required_to_invite' },
    ]);
  const code = newInvitationCode();
  return { code, sentVia };
}

async function sendInvitation(
  deps: UserDeps,
  invitee: Invitee,
  code: string,
  expiresAt: string,
  sentVia: string[],
) {
  const shown = `${expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  if (sentVia.includes('inbox') && invitee.personId)
    await deps.notices.toPerson(invitee.tenantId, invitee.personId, invitee.personNameMasked ?? '', {
      code,
      expiresAt: shown,
    });
  if (sentVia.includes('mail') && invitee.email && deps.mailFrom) {
    const params = { code, invitationExpiresAt: shown, tenant: invitee.tenantName, role: invitee.role };
    await deps.mailer.send({
      from: deps.mailFrom,
      to: [invitee.email],
      subject: message('invitation_mail_subject', 'zh'),
      html: `<p>${message('invitation_mail_body', 'zh', params)}</p><p>${message('invitation_mail_body', 'en', params)}</p>`,
      attachments: [],
      tags: { kind: 'invitation' },
    });
  }
}

/** Who an invitation goes to, with the tenant's name and the person's masked name it shows (read together). */
async function inviteeIn(
  deps: UserDeps,
  tenantId: string,
  who: Pick<Invitee, 'role' | 'name' | 'email' | 'phone' | 'personId'>,
): Promise<Invitee> {
  const [tenant, personNameMasked] = await Promise.all([
    deps.directory.getTenant(tenantId),
    who.personId ? deps.references.personName(tenantId, who.personId) : undefined,
  ]);
  return {
    tenantId,
    tenantName: tenant?.name ?? tenantId,
    role: who.role,
    ...(who.name ? { name: who.name } : {}),
    ...(who.email ? { email: who.email } : {}),
    ...(who.phone ? { phone: who.phone } : {}),
    ...(who.personId ? { personId: who.personId, personNameMasked } : {}),
  };
}

async function invite(
  deps: UserDeps,
  invitee: Invitee,
  base: Omit<UserRecord, 'state' | 'login' | 'invitation'>,
  store: (user: UserRecord) => Promise<void>,
): Promise<UserRecord> {
  const prepared = await prepareInvitation(deps, invitee);
  const now = deps.clock.now();
  const expiresAt = invitationExpiry(now);
  const user: UserRecord =
    'login' in prepared && prepared.login
      ? { ...base, state: 'active', login: prepared.login }
      : {
          ...base,
          state: 'invited',
          invitation: { codeHash: codeHash(prepared.code as string), expiresAt, sentVia: prepared.sentVia },
        };
  try {
    await store(user);
  } catch (error) {
    if (user.login) await deps.pool.remove(user.login); // no orphan account in the pool
    throw error;
  }
  if (prepared.code) await sendInvitation(deps, invitee, prepared.code, expiresAt, prepared.sentVia);
  return user;
}

// ---- tenants (platform operator) ----------------------------------------------------------

export async function createTenant(
  deps: UserDeps,
  actor: Principal,
  body: CreateTenantBody,
  requestId: string,
) {
  const code = body.unifiedSocialCreditCode.trim().toUpperCase();
  if (checkUscc(code) === 'format')
    throw new InvalidRequest('validation_failed', [
      { field: 'unifiedSocialCreditCode', code: 'uscc_format', message: 'uscc_format' },
    ]);
  const now = deps.clock.now().toISOString();
  const tenantId = body.tenantId ?? `t-${newId('t').slice(-12).toLowerCase()}`;
  const tenant: TenantRecord = {
    tenantId,
    name: body.name,
    unifiedSocialCreditCode: code,
    state: 'active',
    settings: {
      profile: body.settings.profile,
      ...(body.settings.dataRegion ? { dataRegion: body.settings.dataRegion } : {}),
    },
    createdAt: now,
    createdBy: actor.subject,
    version: 1,
  };
  const { name, email, phone } = body.firstAdmin;
  const admin = await invite(
    deps,
    { tenantId, tenantName: body.name, role: 'group_admin', name, email, phone },
    {
      userId: newId('usr'),
      tenantId,
      role: 'group_admin',
      siteIds: [],
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      createdAt: now,
      createdBy: actor.subject,
      updatedAt: now,
      version: 1,
    },
    (user) => deps.directory.createTenant(actorOf(actor), tenant, user, requestId),
  );
  return tenantView(tenant, admin);
}

export async function listTenants(deps: UserDeps) {
  return (await deps.directory.listTenants()).map((t) => tenantView(t));
}

async function tenantOr404(deps: UserDeps, tenantId: string) {
  const tenant = await deps.directory.getTenant(tenantId);
  if (!tenant) throw new NotFound('tenant_not_found');
  return tenant;
}

export async function getTenant(deps: UserDeps, tenantId: string) {
  return tenantView(await tenantOr404(deps, tenantId));
}

export async function setTenantState(
  deps: UserDeps,
  actor: Principal,
  tenantId: string,
  suspend: { reason: string } | undefined,
  requestId: string,
) {
  return retryOnStale(async () => {
    const before = await tenantOr404(deps, tenantId);
    const now = deps.clock.now().toISOString();
    const { suspendedAt: _a, suspensionReason: _r, ...rest } = before;
    const after: TenantRecord = suspend
      ? { ...rest, state: 'suspended', suspendedAt: now, suspensionReason: suspend.reason }
      : { ...rest, state: 'active' };
    if (before.state !== after.state)
      await deps.directory.saveTenant(
        actorOf(actor),
        before,
        after,
        suspend ? 'tenant.suspend' : 'tenant.resume',
        requestId,
      );
    return tenantView(after);
  });
}

// ---- users of a tenant --------------------------------------------------------------------

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
async function keeperFor(deps: UserDeps, before: UserRecord, after?: UserRecord) {
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

// ---- the platform's own operators ----------------------------------------------------------

/**
 * A platform operator, outside every tenant (`npm run platform-admin`, run with the
 * deployment's credentials): an account in the deployment's pool when it has one, else the
 * identity the operator signs in with at the external issuer.
 */
export async function addPlatformAdmin(
  deps: Pick<UserDeps, 'directory' | 'pool' | 'clock'>,
  who: { email?: string; phone?: string; name?: string; login?: Identity },
  requestId: string,
) {
  const login = who.login ?? (await deps.pool.create(who));
  if (!login)
    throw new Error(
      'no identity: give --issuer and --subject (an external issuer), or run with USER_POOL_ID',
    );
  const now = deps.clock.now().toISOString();
  const user: UserRecord = {
    userId: newId('usr'),
    tenantId: '',
    role: 'platform_admin',
    siteIds: [],
    state: 'active',
    login,
    ...(who.name ? { name: who.name } : {}),
    ...(who.email ? { email: who.email } : {}),
    ...(who.phone ? { phone: who.phone } : {}),
    createdAt: now,
    createdBy: 'bootstrap',
    updatedAt: now,
    version: 1,
  };
  await deps.directory.createUser(
    { tenantId: '', subject: 'bootstrap', role: 'platform_admin' },
    user,
    requestId,
  );
  return userView(user);
}

// ---- first sign-in ------------------------------------------------------------------------

export async function acceptInvitation(deps: UserDeps, identity: Identity, code: string, reqId: string) {
  const hash = codeHash(code);
  const found = await deps.directory.invitationFor(hash);
  const user = found ? await deps.directory.getUser(found.tenantId, found.userId) : undefined;
  const problem = invitationProblem(user, hash, deps.clock.now());
  // One answer for a wrong code and a code of nobody: no way to probe for codes.
  if (problem === 'invitation_not_found' || !user) throw new NotFound('invitation_not_found');
  if (problem) throw new RulesBroken(problem, [{ code: problem }]);
  const tenant = user.tenantId ? await deps.directory.getTenant(user.tenantId) : undefined;
  if (tenant?.state === 'suspended') throw new Forbidden('tenant_suspended');
  const accepted = await deps.directory.acceptInvitation(user, identity, reqId);
  deps.principals.forget(identity);
  return userView(accepted);
}
