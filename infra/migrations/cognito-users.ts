// `npm run migrate -- cognito-users` (global profile, once, after deploying the user
// directory): before it, a user's tenant, role, sites, subcontractor and person were custom
// attributes of the Cognito pool, copied into tokens. Each such account gets its directory
// entry, bound to its `sub`, so nobody loses access; accounts already in the directory (and
// ones without a valid tenant and role) are left alone, so running it twice changes nothing.
import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLES, type TenantRole } from '../../functions/shared/auth/principal.ts';
import type { Clock } from '../../functions/shared/clock.ts';
import { Conflict } from '../../functions/shared/errors.ts';
import { newId } from '../../functions/shared/ids.ts';
import type { UserDirectory } from '../../functions/users/user-directory-store.ts';
import { roleShapeProblems, type UserRecord } from '../../functions/users/user-rules.ts';

export interface CognitoMigration {
  migrated: number;
  alreadyInDirectory: number;
  skipped: { username: string; why: string }[];
}

const ACTOR = { tenantId: '', subject: 'migration:cognito-users', role: 'system' };

/** The directory entry an account's legacy attributes describe, or why there is none. */
export function legacyUser(account: UserType, issuer: string, now: Date): UserRecord | string {
  const attr = (name: string) => account.Attributes?.find((a) => a.Name === name)?.Value;
  const sub = attr('sub');
  const tenantId = attr('custom:tenantId');
  const role = attr('custom:role') as TenantRole | undefined;
  if (!sub) return 'no sub';
  if (!tenantId || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(tenantId)) return 'no valid custom:tenantId';
  if (!role || !(ROLES as readonly string[]).includes(role)) return 'no valid custom:role';
  const siteIds = (attr('custom:siteIds') ?? '').split(/[,\s]+/).filter(Boolean);
  const subcontractorId = attr('custom:subcontractorId');
  const personId = attr('custom:personId');
  const shape = {
    role,
    siteIds,
    ...(subcontractorId ? { subcontractorId } : {}),
    ...(personId ? { personId } : {}),
  };
  const problems = roleShapeProblems(shape);
  if (problems.length) return problems.map((p) => p.code).join(', ');
  const at = now.toISOString();
  const email = attr('email');
  return {
    userId: newId('usr'),
    tenantId,
    ...shape,
    state: account.Enabled === false ? 'disabled' : 'active',
    ...(email ? { email } : {}),
    login: { issuer, subject: sub },
    createdAt: at,
    createdBy: ACTOR.subject,
    updatedAt: at,
    version: 1,
  };
}

export async function migrateCognitoUsers(
  cognito: CognitoIdentityProviderClient,
  pool: { id: string; issuer: string },
  deps: { directory: UserDirectory; clock: Clock },
): Promise<CognitoMigration> {
  const result: CognitoMigration = { migrated: 0, alreadyInDirectory: 0, skipped: [] };
  let token: string | undefined;
  do {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId: pool.id, PaginationToken: token }));
    for (const account of page.Users ?? []) {
      const user = legacyUser(account, pool.issuer, deps.clock.now());
      if (typeof user === 'string') {
        result.skipped.push({ username: account.Username ?? '?', why: user });
        continue;
      }
      try {
        await deps.directory.createUser(
          { ...ACTOR, tenantId: user.tenantId },
          user,
          'migration:cognito-users',
        );
        result.migrated++;
      } catch (error) {
        // The login is taken: this account is in the directory already.
        if (!(error instanceof Conflict)) throw error;
        result.alreadyInDirectory++;
      }
    }
    token = page.PaginationToken;
  } while (token);
  return result;
}
