import type { CreateTenantBody } from '../../schemas/users.ts';
import type { Identity, Principal } from '../shared/auth/principal.ts';
import { retryOnStale } from '../shared/dynamo/transactions.ts';
import { InvalidRequest, NotFound } from '../shared/errors.ts';
import { checkUscc } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import { invite } from './invitations.ts';
import { actorOf, tenantView, type UserDeps, userView } from './user-deps.ts';
import type { TenantRecord, UserRecord } from './user-rules.ts';

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

export async function tenantOr404(deps: UserDeps, tenantId: string) {
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
