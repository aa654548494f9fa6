// Invitations: a single-use code (or an account in the deployment's pool), sent by mail or
// to the person's inbox, and the first sign-in that binds the invitee's identity with it.
import { randomInt } from 'node:crypto';
import type { Identity, TenantRole } from '../shared/auth/principal.ts';
import { Forbidden, NotFound, RulesBroken } from '../shared/errors.ts';
import { message } from '../shared/i18n/messages.ts';
import { type UserDeps, userView } from './user-deps.ts';
import { codeHash } from './user-directory-store.ts';
import { invitationExpiry, invitationProblem, type UserRecord } from './user-rules.ts';

/** 10 characters from an alphabet without look-alikes (0/O, 1/I/L): ~48 bits, single-use, 72 h. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export const newInvitationCode = () =>
  Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export interface Invitee {
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
export async function prepareInvitation(deps: UserDeps, invitee: Invitee) {
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

export async function sendInvitation(
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
export async function inviteeIn(
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

export async function invite(
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
