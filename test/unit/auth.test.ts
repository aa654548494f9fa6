import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as preTokenGeneration } from '../../functions/auth/handler.ts';
import { CLAIM_DEFAULTS, claimNames } from '../../functions/shared/auth/claim-names.ts';
import { canSeePerson, may } from '../../functions/shared/auth/permissions.ts';
import { type Principal, principalFromClaims } from '../../functions/shared/auth/principal.ts';
import { Unauthenticated } from '../../functions/shared/errors.ts';

describe('reading the caller from verified claims', () => {
  it.each([
    [
      { sub: 'u1', tenantId: 'acme', role: 'hr' },
      { tenantId: 'acme', role: 'hr', siteIds: [] },
    ],
    [
      { sub: 'u2', 'custom:tenantId': 'acme', 'custom:role': 'site_manager', 'custom:siteIds': 's1, s2' },
      { tenantId: 'acme', role: 'site_manager', siteIds: ['s1', 's2'] },
    ],
    [{ sub: 'u3', tenantId: 'acme', role: 'site_manager', siteIds: '[s1 s2]' }, { siteIds: ['s1', 's2'] }],
  ])('accepts %j', (claims, expected) => {
    expect(principalFromClaims(claims)).toMatchObject(expected);
  });

  it.each([
    [undefined],
    [{ sub: 'u1', role: 'hr' }],
    [{ sub: 'u1', tenantId: 'acme', role: 'superuser' }],
    [{ sub: 'u1', tenantId: 'ACME; DROP', role: 'hr' }],
    [{ sub: 'u1', tenantId: 'acme', role: 'subcontractor' }], // a subcontractor admin must name its company
  ])('refuses %j with 401', (claims) => {
    expect(() => principalFromClaims(claims)).toThrow(Unauthenticated);
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
  ])('%j sees %j: %s', (principal, person, visible) => {
    expect(canSeePerson(principal, person)).toBe(visible);
  });
});

describe('the Cognito pre-token-generation trigger', () => {
  it('copies tenant, role and sites from custom attributes into both tokens', async () => {
    const event = {
      request: {
        userAttributes: {
          sub: 'u1',
          'custom:tenantId': 'acme',
          'custom:role': 'site_manager',
          'custom:siteIds': 's1,s2',
        },
      },
      response: {},
    } as unknown as PreTokenGenerationV2TriggerEvent;
    const out = await preTokenGeneration(event);
    const expected = { tenantId: 'acme', role: 'site_manager', siteIds: 's1,s2' };
    expect(out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual(
      expected,
    );
    expect(out.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride).toEqual(
      expected,
    );
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

describe('claim names of a customer’s OIDC issuer (china profile)', () => {
  const names = claimNames(
    JSON.stringify({ tenantId: 'org_code', role: 'special_ops_role', siteIds: 'sites' }),
  );

  it('reads tenant, role and sites under the names the deployment gives', () => {
    expect(
      principalFromClaims(
        { sub: 'u-1', org_code: 'acme', special_ops_role: 'site_manager', sites: 'site_a site_b' },
        names,
      ),
    ).toEqual({ subject: 'u-1', tenantId: 'acme', role: 'site_manager', siteIds: ['site_a', 'site_b'] });
  });

  it('ignores claims under the default names when others are configured', () => {
    expect(() => principalFromClaims({ sub: 'u-1', tenantId: 'acme', role: 'group_admin' }, names)).toThrow(
      Unauthenticated,
    );
  });

  it('keeps the defaults where nothing is configured', () => {
    expect(claimNames(undefined)).toEqual(CLAIM_DEFAULTS);
    expect(claimNames('{"personId":"employee_person"}')).toEqual({
      ...CLAIM_DEFAULTS,
      personId: 'employee_person',
    });
  });
});
