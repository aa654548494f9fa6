// Tenants and users: the product's own directory (who may do what), the platform operator's
// tenant onboarding, and invitations.
import * as z from 'zod';
import { ROLES } from '../functions/shared/auth/principal.ts';
import { Cursor, id, Limit } from './common.ts';
import { PersonId } from './people.ts';
import { SiteId } from './sites.ts';
import { SubcontractorId } from './subcontractors.ts';

export const UserId = id('usr');
export const TenantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
  .meta({ description: 'Lower-case letters, digits and -, 2–63 characters' });

const Email = z.email().max(254);
const Phone = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/)
  .meta({ description: 'E.164, e.g. +8613800138000' });

const Contact = {
  name: z.string().trim().min(1).max(50).optional(),
  email: Email.optional(),
  phone: Phone.optional(),
};

export const CreateTenantBody = z
  .strictObject({
    tenantId: TenantId.optional().meta({ description: 'Chosen by the platform; generated when left out' }),
    name: z.string().trim().min(1).max(100),
    unifiedSocialCreditCode: z.string().trim().max(40).meta({
      description: 'GB 32100-2015; one tenant per enterprise group (409 when taken)',
    }),
    settings: z
      .strictObject({
        profile: z.enum(['global', 'china']).default('global'),
        dataRegion: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
          .optional()
          .meta({ examples: ['cn-north-1'] }),
      })
      .default({ profile: 'global' }),
    firstAdmin: z.strictObject({ ...Contact, email: Email }).meta({
      description:
        'The first group admin, invited by e-mail (the new tenant has no notification channels yet); the phone is kept as a contact',
    }),
  })
  .meta({ id: 'CreateTenantBody' });

const Invitation = z.object({
  expiresAt: z.string(),
  sentVia: z.array(z.enum(['mail', 'inbox', 'cognito'])),
});

export const User = z
  .object({
    userId: UserId,
    role: z.enum([...ROLES, 'platform_admin']),
    siteIds: z.array(z.string()),
    subcontractorId: z.string().optional(),
    personId: z.string().optional(),
    state: z.enum(['invited', 'active', 'disabled']),
    nameMasked: z.string().optional(),
    emailMasked: z.string().optional(),
    phoneMasked: z.string().optional(),
    invitation: Invitation.optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User', description: 'A user of the tenant; contacts masked' });

export const UserList = z
  .object({ items: z.array(User), nextCursor: z.string().optional() })
  .meta({ id: 'UserList' });

export const ListUsersQuery = z.strictObject({ limit: Limit, cursor: Cursor });

export const Tenant = z
  .object({
    tenantId: TenantId,
    name: z.string(),
    unifiedSocialCreditCode: z.string(),
    state: z.enum(['active', 'suspended']),
    settings: z.object({ profile: z.enum(['global', 'china']), dataRegion: z.string().optional() }),
    createdAt: z.string(),
    suspendedAt: z.string().optional(),
    suspensionReason: z.string().optional(),
    firstAdmin: User.optional(),
  })
  .meta({ id: 'Tenant' });

export const TenantList = z.object({ items: z.array(Tenant) }).meta({ id: 'TenantList' });

export const SuspendTenantBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'SuspendTenantBody' });

export const CreateUserBody = z
  .strictObject({
    role: z.enum(ROLES),
    ...Contact,
    siteIds: z.array(SiteId).max(200).default([]).meta({ description: 'A site manager’s sites' }),
    subcontractorId: SubcontractorId.optional().meta({ description: 'A subcontractor admin’s company' }),
    personId: PersonId.optional().meta({
      description: 'The person record: required for a worker’s own account',
    }),
  })
  .meta({ id: 'CreateUserBody' });

export const UpdateUserBody = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    siteIds: z.array(SiteId).max(200).optional(),
    subcontractorId: SubcontractorId.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing_to_change' })
  .meta({ id: 'UpdateUserBody' });

export const AcceptInvitationBody = z
  .strictObject({ code: z.string().trim().min(6).max(32) })
  .meta({ id: 'AcceptInvitationBody' });

export type CreateTenantBody = z.infer<typeof CreateTenantBody>;
export type CreateUserBody = z.infer<typeof CreateUserBody>;
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;
export type User = z.infer<typeof User>;
export type Tenant = z.infer<typeof Tenant>;
