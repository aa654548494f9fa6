// The users function: HTTP entry only; the use cases are in users.ts.
import {
  acceptInvitation as acceptRoute,
  createTenant as createTenantRoute,
  createUser as createUserRoute,
  deleteUser as deleteUserRoute,
  disableUser,
  enableUser,
  getMe as getMeRoute,
  getTenant as getTenantRoute,
  getUser as getUserRoute,
  listTenants as listTenantsRoute,
  listUsers as listUsersRoute,
  reinviteUser as reinviteRoute,
  resumeTenant,
  suspendTenant,
  updateUser as updateUserRoute,
} from '../../schemas/routes/users.ts';
import { apiHandler } from '../api-handler.ts';
import { userAdapters } from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import {
  acceptInvitation,
  createTenant,
  createUser,
  deleteUser,
  getMe,
  getTenant,
  getUser,
  listTenants,
  listUsers,
  reinviteUser,
  setTenantState,
  setUserEnabled,
  updateUser,
} from './users.ts';

const deps = userAdapters();

export const handler = apiHandler([
  on(createTenantRoute, async ({ principal, body, requestId }) => {
    const tenant = await createTenant(deps, principal, body, requestId);
    return { status: 201, body: tenant, headers: { location: `/tenants/${tenant.tenantId}` } };
  }),
  on(listTenantsRoute, async () => ({ status: 200, body: { items: await listTenants(deps) } })),
  on(getTenantRoute, async ({ params }) => ({ status: 200, body: await getTenant(deps, params.tenantId) })),
  on(suspendTenant, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await setTenantState(deps, principal, params.tenantId, body, requestId),
  })),
  on(resumeTenant, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await setTenantState(deps, principal, params.tenantId, undefined, requestId),
  })),
  on(createUserRoute, async ({ principal, body, requestId }) => {
    const user = await createUser(deps, principal, body, requestId);
    return { status: 201, body: user, headers: { location: `/users/${user.userId}` } };
  }),
  on(listUsersRoute, async ({ principal, query }) => ({
    status: 200,
    body: await listUsers(deps, principal, query),
  })),
  on(getMeRoute, async ({ principal }) => ({ status: 200, body: await getMe(deps, principal) })),
  on(getUserRoute, async ({ principal, params }) => ({
    status: 200,
    body: await getUser(deps, principal, params.userId),
  })),
  on(updateUserRoute, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await updateUser(deps, principal, params.userId, body, requestId),
  })),
  on(disableUser, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await setUserEnabled(deps, principal, params.userId, false, requestId),
  })),
  on(enableUser, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await setUserEnabled(deps, principal, params.userId, true, requestId),
  })),
  on(deleteUserRoute, async ({ principal, params, requestId }) => {
    await deleteUser(deps, principal, params.userId, requestId);
    return { status: 204 };
  }),
  on(reinviteRoute, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await reinviteUser(deps, principal, params.userId, requestId),
  })),
  on(acceptRoute, async ({ identity, body, requestId }) => ({
    status: 200,
    body: await acceptInvitation(deps, identity as NonNullable<typeof identity>, body.code, requestId),
  })),
]);
