// The UserPool port on a Cognito user pool (global profile). AdminCreateUser makes the
// account with the e-mail as its username (the pool's usernames are e-mail addresses) and
// lets the pool send the temporary password (MFA then follows the pool's own policy); the account's `sub` is the subject its
// access tokens carry, so the directory binds it at once. Only these four actions on this
// one pool are granted to the users function (infra/stacks/api-stack.ts).
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Identity } from '../shared/auth/principal.ts';
import { awsClient } from '../shared/aws-client-config.ts';
import { Conflict } from '../shared/errors.ts';
import type { NewAccount, UserPool } from './user-pool.ts';

export class CognitoUserPool implements UserPool {
  readonly createsAccounts = true;
  private readonly client: CognitoIdentityProviderClient;

  constructor(
    private readonly userPoolId: string,
    /** The issuer its tokens carry: https://cognito-idp.<region>.amazonaws.com/<pool id> (…amazonaws.com.cn in China). */
    private readonly issuer: string,
    client?: CognitoIdentityProviderClient,
  ) {
    this.client = client ?? awsClient(CognitoIdentityProviderClient);
  }

  async create(account: NewAccount): Promise<Identity> {
    const username = account.email;
    if (!username) throw new Error('an account in this pool needs an e-mail address');
    const attributes = [
      ...(account.email
        ? [
            { Name: 'email', Value: account.email },
            { Name: 'email_verified', Value: 'true' },
          ]
        : []),
      ...(account.phone
        ? [
            { Name: 'phone_number', Value: account.phone },
            { Name: 'phone_number_verified', Value: 'true' },
          ]
        : []),
      ...(account.name ? [{ Name: 'name', Value: account.name }] : []),
    ];
    try {
      const out = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          UserAttributes: attributes,
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const sub = out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? out.User?.Username;
      if (!sub) throw new Error('AdminCreateUser answered without the account’s sub');
      return { issuer: this.issuer, subject: sub };
    } catch (error) {
      if (error instanceof UsernameExistsException) throw new Conflict('account_exists');
      throw error;
    }
  }

  async setEnabled(identity: Identity, enabled: boolean) {
    const input = { UserPoolId: this.userPoolId, Username: identity.subject };
    await this.ignoreGone(() =>
      this.client.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input)),
    );
  }

  async remove(identity: Identity) {
    await this.ignoreGone(() =>
      this.client.send(
        new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: identity.subject }),
      ),
    );
  }

  /** An account already gone from the pool is what was asked for. */
  private async ignoreGone(call: () => Promise<unknown>) {
    try {
      await call();
    } catch (error) {
      if (!(error instanceof UserNotFoundException)) throw error;
    }
  }
}
