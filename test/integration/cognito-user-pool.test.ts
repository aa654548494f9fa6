// The Cognito adapter of the UserPool port (global profile) against the emulator's Cognito:
// the account an invitation creates, its sub as the directory's subject, disable/enable,
// removal, and an address already taken.
import { randomUUID } from 'node:crypto';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { CognitoUserPool } from '../../functions/users/cognito-user-pool-provider.ts';

const client = new CognitoIdentityProviderClient({});
let poolId: string;
let pool: CognitoUserPool;
const issuer = () => `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com/${poolId}`;

beforeAll(async () => {
  const out = await client.send(
    new CreateUserPoolCommand({
      PoolName: `users-${randomUUID().slice(0, 8)}`,
      UsernameAttributes: ['email', 'phone_number'],
    }),
  );
  poolId = out.UserPool?.Id as string;
  pool = new CognitoUserPool(poolId, issuer(), client);
});

const get = (username: string) =>
  client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

describe('the Cognito user pool adapter', () => {
  it('creates the invited account and names it by its sub, as its tokens will', async () => {
    const email = `wang-${randomUUID().slice(0, 6)}@example.cn`;
    const identity = await pool.create({ email, name: '王工' });
    expect(identity.issuer).toBe(issuer());
    const user = await get(email);
    const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    expect(identity.subject).toBe(sub);
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: '王工' },
      ]),
    );
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD'); // the pool's first sign-in
  });

  it('refuses an address that already has an account with 409 account_exists', async () => {
    const email = `li-${randomUUID().slice(0, 6)}@example.cn`;
    await pool.create({ email });
    await expect(pool.create({ email })).rejects.toMatchObject({ status: 409, detailCode: 'account_exists' });
  });

  it('disables, enables and removes the account; removing one already gone is no error', async () => {
    const email = `zhao-${randomUUID().slice(0, 6)}@example.cn`;
    const identity = await pool.create({ email });
    await pool.setEnabled(identity, false);
    expect((await get(email)).Enabled).toBe(false);
    await pool.setEnabled(identity, true);
    expect((await get(email)).Enabled).toBe(true);
    await pool.remove(identity);
    await expect(get(email)).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await pool.remove(identity);
  });
});

describe('inviting with a Cognito pool (global profile)', () => {
  it('creates the account and binds it at once; someone without an address cannot get one', async () => {
    const { userAdapters } = await import('../../functions/composition-root.ts');
    const { createUser } = await import('../../functions/users/users.ts');
    const deps = { ...userAdapters(), pool };
    const admin = {
      subject: 'admin',
      tenantId: `cog-${randomUUID().slice(0, 8)}`,
      role: 'group_admin' as const,
      siteIds: [],
    };
    const email = `qian-${randomUUID().slice(0, 6)}@example.cn`;
    const user = await createUser(deps, admin, { role: 'auditor', email, siteIds: [] }, 'req-1');
    // Bound to the pool's account now: no code to send, the pool mails its own first sign-in.
    expect(user).toMatchObject({ role: 'auditor', state: 'active' });
    expect(user).not.toHaveProperty('invitation');
    const stored = await deps.directory.getUser(admin.tenantId, user.userId);
    const sub = (await get(email)).UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    expect(stored?.login).toEqual({ issuer: issuer(), subject: sub });
    expect((await deps.directory.resolve({ issuer: issuer(), subject: sub as string })).role).toBe('auditor');
    await expect(createUser(deps, admin, { role: 'auditor', siteIds: [] }, 'req-2')).rejects.toMatchObject({
      status: 422,
      detailCode: 'no_way_to_invite',
    });
  });
});
