// The UserPool port: the deployment's own identity provider, where it has one. In the global
// profile that is the Cognito user pool (an account is created there when a user is invited,
// and the pool sends its own first-login message); with a customer's OIDC issuer (china
// profile, and locally) there is none — the invited person signs in there and binds that
// identity with the invitation code on their first call.
import type { Identity } from '../shared/auth/principal.ts';

export interface NewAccount {
  email?: string;
  phone?: string;
  name?: string;
}

export interface UserPool {
  /** Whether sign-in accounts are made here (then an invitee needs an e-mail address: the account's username). */
  readonly createsAccounts: boolean;
  /** Creates the account; the identity it will sign in with, or undefined where the deployment has no pool. */
  create(account: NewAccount): Promise<Identity | undefined>;
  /** Keeps a disabled user out of the pool's sign-in too (the directory already refuses them). */
  setEnabled(identity: Identity, enabled: boolean): Promise<void>;
  remove(identity: Identity): Promise<void>;
}

/** No pool of our own: identities come from an external issuer and bind through the invitation. */
export const externalIssuer: UserPool = {
  createsAccounts: false,
  create: async () => undefined,
  setEnabled: async () => {},
  remove: async () => {},
};
