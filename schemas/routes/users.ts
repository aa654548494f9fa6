// The users function's routes (see schemas/route.ts): tenants (the platform operator),
// users of a tenant, and accepting an invitation.
import { Created, route, Unprocessable } from '../route.ts';
import {
  AcceptInvitationBody,
  CreateTenantBody,
  CreateUserBody,
  ListUsersQuery,
  SuspendTenantBody,
  Tenant,
  TenantList,
  UpdateUserBody,
  User,
  UserList,
} from '../users.ts';

export const createTenant = route({
  operationId: 'createTenant',
  method: 'POST',
  path: '/tenants',
  capability: 'users',
  auth: true,
  caller: 'platform',
  summary:
    'Onboard a customer (platform_admin): the tenant, its defaults and an invitation for its first group admin',
  body: CreateTenantBody,
  responses: Created(Tenant, 'Tenant'),
});

export const listTenants = route({
  operationId: 'listTenants',
  method: 'GET',
  path: '/tenants',
  capability: 'users',
  auth: true,
  caller: 'platform',
  summary: 'Every tenant (platform_admin); no tenant’s people',
  responses: { 200: { description: 'Tenants', schema: TenantList } },
});

export const getTenant = route({
  operationId: 'getTenant',
  method: 'GET',
  path: '/tenants/{tenantId}',
  capability: 'users',
  auth: true,
  caller: 'platform',
  summary: 'One tenant (platform_admin)',
  responses: { 200: { description: 'The tenant', schema: Tenant } },
});

export const suspendTenant = route({
  operationId: 'suspendTenant',
  method: 'POST',
  path: '/tenants/{tenantId}/suspend',
  capability: 'users',
  auth: true,
  caller: 'platform',
  summary:
    'Suspend a tenant (platform_admin): every call of its users is refused (403 tenant_suspended) within a minute',
  body: SuspendTenantBody,
  responses: { 200: { description: 'The tenant, suspended', schema: Tenant } },
});

export const resumeTenant = route({
  operationId: 'resumeTenant',
  method: 'POST',
  path: '/tenants/{tenantId}/resume',
  capability: 'users',
  auth: true,
  caller: 'platform',
  summary: 'Resume a suspended tenant (platform_admin)',
  responses: { 200: { description: 'The tenant, active again', schema: Tenant } },
});

export const createUser = route({
  operationId: 'createUser',
  method: 'POST',
  path: '/users',
  capability: 'users',
  auth: true,
  summary:
    'Invite a user (group_admin any role; hr workers and subcontractor admins only): a single-use code by mail or the person’s inbox, or a Cognito account',
  body: CreateUserBody,
  responses: {
    ...Created(User, 'User'),
    ...Unprocessable(
      'no_way_to_invite: no e-mail or phone to send the invitation to (email_required_to_invite where the deployment makes sign-in accounts)',
    ),
  },
});

export const listUsers = route({
  operationId: 'listUsers',
  method: 'GET',
  path: '/users',
  capability: 'users',
  auth: true,
  summary: 'Users of the tenant, page by page (group_admin, hr); contacts masked',
  query: ListUsersQuery,
  responses: { 200: { description: 'Users', schema: UserList } },
});

export const getUser = route({
  operationId: 'getUser',
  method: 'GET',
  path: '/users/{userId}',
  capability: 'users',
  auth: true,
  summary: 'One user of the tenant',
  responses: { 200: { description: 'The user', schema: User } },
});

export const updateUser = route({
  operationId: 'updateUser',
  method: 'PATCH',
  path: '/users/{userId}',
  capability: 'users',
  auth: true,
  summary: 'Change a user’s role or sites (takes effect within a minute); nobody grants above their own role',
  body: UpdateUserBody,
  responses: {
    200: { description: 'The user', schema: User },
    ...Unprocessable('last_group_admin: the tenant’s last active group admin stays one (make another first)'),
  },
});

export const disableUser = route({
  operationId: 'disableUser',
  method: 'POST',
  path: '/users/{userId}/disable',
  capability: 'users',
  auth: true,
  summary: 'Disable a user: their next call after at most a minute is refused (403 account_disabled)',
  responses: {
    200: { description: 'The user', schema: User },
    ...Unprocessable('last_group_admin: the tenant’s last active group admin stays one (make another first)'),
  },
});

export const enableUser = route({
  operationId: 'enableUser',
  method: 'POST',
  path: '/users/{userId}/enable',
  capability: 'users',
  auth: true,
  summary: 'Enable a disabled user again',
  responses: { 200: { description: 'The user', schema: User } },
});

export const deleteUser = route({
  operationId: 'deleteUser',
  method: 'DELETE',
  path: '/users/{userId}',
  capability: 'users',
  auth: true,
  summary: 'Remove a user and their login (the last active group admin cannot be removed)',
  responses: {
    204: { description: 'Removed' },
    ...Unprocessable('last_group_admin: the tenant’s last active group admin stays one (make another first)'),
  },
});

export const reinviteUser = route({
  operationId: 'reinviteUser',
  method: 'POST',
  path: '/users/{userId}/invitation',
  capability: 'users',
  auth: true,
  summary: 'A new invitation code for someone still invited (72 hours again; the old code stops working)',
  responses: {
    200: { description: 'The user, with the new invitation’s expiry', schema: User },
    ...Unprocessable('invitation_not_open: the user is not waiting on an invitation'),
  },
});

export const acceptInvitation = route({
  operationId: 'acceptInvitation',
  method: 'POST',
  path: '/invitations/accept',
  capability: 'users',
  auth: true,
  caller: 'identity',
  summary:
    'First sign-in: binds the caller’s identity (token issuer and subject) to the invited user; the code works once, for 72 hours',
  body: AcceptInvitationBody,
  responses: {
    200: { description: 'The user, now active', schema: User },
    ...Unprocessable(
      'invitation_expired or invitation_used: the code was right, but no longer opens the account',
    ),
  },
});

export const getMe = route({
  operationId: 'getMe',
  method: 'GET',
  path: '/me',
  capability: 'users',
  auth: true,
  summary: 'The caller as the directory knows them: role, sites, subcontractor, person',
  responses: { 200: { description: 'The caller', schema: User } },
});
