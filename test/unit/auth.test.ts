import { describe, expect, it } from 'vitest';
import { canSeePerson, may } from '../../functions/shared/auth/permissions.ts';
import { identityFromClaims, type Principal } from '../../functions/shared/auth/principal.ts';
import { Unauthenticated } from '../../functions/shared/errors.ts';

describe('reading who calls from verified claims', () => {
  it('takes the issuer and subject, and nothing else the token says', () => {
    expect(
      identityFromClaims({ iss: 'https://idp.example', sub: 'u1', tenantId: 'acme', role: 'group_admin' }),
    ).toEqual({ issuer: 'https://idp.example', subject: 'u1' });
  });

  it.each([
    [undefined],
    [{ sub: 'u1' }],
    [{ iss: 'https://idp.example' }],
    [{ iss: '', sub: 'u1' }],
    [{ iss: 'x', sub: 7 }],
  ])('refuses %j with 401', (claims) => {
    expect(() => identityFromClaims(claims as never)).toThrow(Unauthenticated);
  });
});

describe('roles and scope', () => {
  const p = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({
    subject: 's',
    tenantId: 't',
    role,
    siteIds: [],
    ...extra,
  });

  it.each([
    ['group_admin', 'site:create', true],
    ['hr', 'site:create', false],
    ['hr', 'person:create', true],
    ['auditor', 'person:create', false],
    ['auditor', 'person:read', true],
    ['site_manager', 'certificate:create', false],
    ['subcontractor', 'certificate:create', true],
    ['hr', 'settings:write', false],
    ['worker', 'person:read', true],
    ['worker', 'person:list', false],
    ['worker', 'certificate:read', true],
    ['worker', 'worker-code:verify', false],
    ['worker', 'certificate:create', false],
    ['platform_admin', 'person:read', false],
    ['platform_admin', 'settings:read', false],
  ] as const)('%s may %s: %s', (role, action, allowed) => {
    expect(may(p(role), action)).toBe(allowed);
  });

  it.each([
    [p('site_manager', { siteIds: ['s1'] }), { homeSiteId: 's1' }, true],
    [p('site_manager', { siteIds: ['s1'] }), { homeSiteId: 's2' }, false],
    [p('site_manager', { siteIds: ['s1'] }), {}, false],
    [
      p('subcontractor', { subcontractorId: 'hx' }),
      { employer: { type: 'subcontractor' as const, subcontractorId: 'hx' } },
      true,
    ],
    [p('subcontractor', { subcontractorId: 'hx' }), { employer: { type: 'own' as const } }, false],
    [p('auditor'), { homeSiteId: 's9' }, true],
    // A worker's own account sees their own record, nobody else's; the platform operator none.
    [p('worker', { personId: 'per_1' }), { personId: 'per_1' }, true],
    [p('worker', { personId: 'per_1' }), { personId: 'per_2' }, false],
    [p('worker'), { personId: 'per_1' }, false],
    [p('platform_admin'), { personId: 'per_1' }, false],
  ])('%j sees %j: %s', (principal, person, visible) => {
    expect(canSeePerson(principal, person)).toBe(visible);
  });
});

describe('a public route', () => {
  it('has no caller: asking who it is (as authorize() does) answers 401, never an empty tenant', async () => {
    const { httpHandler, on } = await import('../../functions/shared/http/handler.ts');
    const { authorize } = await import('../../functions/shared/auth/permissions.ts');
    const route = {
      operationId: 'publicProbe',
      method: 'GET' as const,
      path: '/public-probe',
      capability: 'health' as const,
      auth: false,
      summary: 'probe',
      responses: { 200: { description: 'ok' } },
    };
    const handler = httpHandler([
      on(route, async ({ principal }) => {
        authorize(principal, 'person:read');
        return { status: 200, body: { tenantId: principal.tenantId } };
      }),
    ]);
    const res = (await handler(
      { routeKey: 'GET /public-probe', headers: {}, requestContext: {} } as never,
      { awsRequestId: 'r1' } as never,
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'missing_token' });
  });
});
