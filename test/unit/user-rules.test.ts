// The user directory's rules, table by table: grants, what a role needs, who is let in,
// invitations and the last group admin.
import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../functions/shared/auth/principal.ts';
import {
  INVITATION_HOURS,
  invitationExpiry,
  invitationProblem,
  mayGrant,
  mayManageUsers,
  principalOf,
  refusal,
  removesAnAdmin,
  roleShapeProblems,
  type UserRecord,
} from '../../functions/users/user-rules.ts';

const actor = (role: Role): Principal => ({ subject: 's', tenantId: 't', role, siteIds: [] });

describe('who may grant which role', () => {
  it.each([
    ['group_admin', 'group_admin', true],
    ['group_admin', 'site_manager', true],
    ['group_admin', 'hr', true],
    ['group_admin', 'subcontractor', true],
    ['group_admin', 'auditor', true],
    ['group_admin', 'worker', true],
    ['group_admin', 'platform_admin', false],
    ['hr', 'worker', true],
    ['hr', 'subcontractor', true],
    ['hr', 'hr', false],
    ['hr', 'group_admin', false],
    ['hr', 'site_manager', false],
    ['hr', 'auditor', false],
    ['site_manager', 'worker', false],
    ['auditor', 'worker', false],
    ['subcontractor', 'worker', false],
    ['worker', 'worker', false],
    ['platform_admin', 'group_admin', false],
  ] as const)('%s grants %s: %s', (by, role, allowed) => {
    expect(mayGrant(actor(by), role)).toBe(allowed);
  });

  it.each([
    ['group_admin', true],
    ['hr', true],
    ['site_manager', false],
    ['auditor', false],
    ['subcontractor', false],
    ['worker', false],
    ['platform_admin', false],
  ] as const)('%s manages users: %s', (role, allowed) => {
    expect(mayManageUsers(actor(role))).toBe(allowed);
  });
});

describe('what a role needs', () => {
  it.each([
    [{ role: 'site_manager', siteIds: ['s1'] }, []],
    [{ role: 'site_manager', siteIds: [] }, ['siteIds:sites_required']],
    [{ role: 'auditor', siteIds: ['s1'] }, ['siteIds:sites_not_for_role']],
    [{ role: 'subcontractor', siteIds: [], subcontractorId: 'sub_1' }, []],
    [{ role: 'subcontractor', siteIds: [] }, ['subcontractorId:subcontractor_required']],
    [{ role: 'hr', siteIds: [], subcontractorId: 'sub_1' }, ['subcontractorId:subcontractor_not_for_role']],
    [{ role: 'worker', siteIds: [], personId: 'per_1' }, []],
    [{ role: 'worker', siteIds: [] }, ['personId:person_required']],
    [{ role: 'group_admin', siteIds: [] }, []],
    [
      { role: 'group_admin', siteIds: ['s1'], subcontractorId: 'sub_1' },
      ['siteIds:sites_not_for_role', 'subcontractorId:subcontractor_not_for_role'],
    ],
  ] as const)('%j → %j', (shape, expected) => {
    expect(
      roleShapeProblems({ ...shape, siteIds: [...shape.siteIds] }).map((p) => `${p.field}:${p.code}`),
    ).toEqual(expected);
  });
});

describe('who the directory lets in', () => {
  it.each([
    ['active', 'hr', 'active', undefined],
    ['active', 'hr', undefined, undefined], // a tenant from before the directory: no record, not suspended
    ['disabled', 'hr', 'active', 'account_disabled'],
    ['invited', 'hr', 'active', 'account_not_active'],
    ['active', 'hr', 'suspended', 'tenant_suspended'],
    ['disabled', 'hr', 'suspended', 'account_disabled'],
    ['active', 'platform_admin', 'suspended', undefined],
  ] as const)('a %s %s in a %s tenant: %s', (state, role, tenantState, expected) => {
    expect(refusal({ state, role }, tenantState ? { state: tenantState } : undefined)).toBe(expected);
  });

  it('makes the caller from the entry: role, sites, company, person, user id', () => {
    const user: UserRecord = {
      userId: 'usr_1',
      tenantId: 't1',
      role: 'subcontractor',
      siteIds: [],
      subcontractorId: 'sub_1',
      personId: 'per_1',
      state: 'active',
      login: { issuer: 'https://idp', subject: 'abc' },
      createdAt: '',
      createdBy: '',
      updatedAt: '',
      version: 1,
    };
    expect(principalOf(user)).toEqual({
      subject: 'abc',
      tenantId: 't1',
      role: 'subcontractor',
      siteIds: [],
      userId: 'usr_1',
      subcontractorId: 'sub_1',
      personId: 'per_1',
    });
    const { subcontractorId: _s, personId: _p, login: _l, ...bare } = user;
    expect(principalOf({ ...bare, role: 'hr' })).toEqual({
      subject: 'usr_1',
      tenantId: 't1',
      role: 'hr',
      siteIds: [],
      userId: 'usr_1',
    });
  });
});

describe('invitations', () => {
  const now = new Date('2026-12-02T08:00:00Z');
  const invitation = { codeHash: 'h1', expiresAt: invitationExpiry(now), sentVia: ['mail' as const] };

  it(`is good for ${INVITATION_HOURS} hours, to the millisecond`, () => {
    expect(invitation.expiresAt).toBe('2026-12-05T08:00:00.000Z');
    const justBefore = new Date(Date.parse(invitation.expiresAt) - 1);
    expect(invitationProblem({ state: 'invited', invitation }, 'h1', justBefore)).toBeUndefined();
    expect(invitationProblem({ state: 'invited', invitation }, 'h1', new Date(invitation.expiresAt))).toBe(
      'invitation_expired',
    );
  });

  it.each([
    [undefined, 'h1', 'invitation_not_found'],
    [{ state: 'invited' as const }, 'h1', 'invitation_not_found'],
    [{ state: 'invited' as const, invitation }, 'h2', 'invitation_not_found'],
    [{ state: 'active' as const, invitation }, 'h1', 'invitation_used'],
    [{ state: 'disabled' as const, invitation }, 'h1', 'invitation_used'],
    [{ state: 'invited' as const, invitation }, 'h1', undefined],
  ])('%j with %s: %s', (user, hash, expected) => {
    expect(invitationProblem(user, hash, now)).toBe(expected);
  });
});

describe('the last group admin', () => {
  it.each([
    [{ role: 'group_admin', state: 'active' }, undefined, true],
    [{ role: 'group_admin', state: 'active' }, { role: 'hr', state: 'active' }, true],
    [{ role: 'group_admin', state: 'active' }, { role: 'group_admin', state: 'disabled' }, true],
    [{ role: 'group_admin', state: 'active' }, { role: 'group_admin', state: 'active' }, false],
    [{ role: 'group_admin', state: 'invited' }, undefined, false],
    [{ role: 'group_admin', state: 'disabled' }, { role: 'group_admin', state: 'active' }, false],
    [{ role: 'hr', state: 'active' }, undefined, false],
    [{ role: 'hr', state: 'active' }, { role: 'group_admin', state: 'active' }, false],
  ] as const)('%j → %j takes an admin away: %s', (before, after, expected) => {
    expect(removesAnAdmin(before, after)).toBe(expected);
  });
});
