// The API's edge as a careless client or an attacker meets it: ill-formed text, oversized
// ids and bodies, broken escapes, tokens the HTTP API's JWT authorizer would refuse.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPE, AUDIENCE, ISSUER } from '../../infra/local/dev-tokens.ts';
import { enrolDevUser } from '../../infra/local/dev-users.ts';
import { type ApiClient, allItems, startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: 'edge', role: 'hr' });
});
afterAll(() => api.close());

describe('ill-formed and oversized input', () => {
  it.each([
    ['a lone high surrogate in a name', '{"name":"张\\ud83d","idNumber":"11010519491231002X"}', 'name'],
    ['a lone low surrogate', '{"name":"\\udc00","idNumber":"11010519491231002X"}', 'name'],
    ['a lone surrogate in a key', '{"\\ud83d":"x","name":"a","idNumber":"11010519491231002X"}', '\ud83d'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_, body, field) => {
    const before = (await allItems()).length;
    const res = await hr.raw('POST', '/people', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.errors[0]).toMatchObject({ field, code: 'ill_formed_string' });
    expect((await allItems()).length).toBe(before);
  });

  it('keeps a well-formed emoji (a surrogate pair)', async () => {
    const res = await hr.post('/people', { name: '张😀', idNumber: '11010519491231002X' });
    expect(res.status).toBe(201);
  });

  it('answers 404 for an id far longer than any id, 400 for a lone surrogate in the query', async () => {
    const long = 'p'.repeat(2000);
    const res = await hr.get(`/people/${long}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const query = await hr.get('/people?cursor=%ED%A0%BD');
    expect(query.status).toBe(400);
  });

  it('answers 400 for a malformed %-escape in the path, as API Gateway does', async () => {
    const res = await hr.get('/people/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Bad Request' });
  });

  it('answers 413 for a body over the HTTP API’s 10 MB, without dropping the connection', async () => {
    const res = await hr.raw('POST', '/people', `{"name":"${'x'.repeat(10 * 1024 * 1024 + 10)}"}`);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: 'Request Entity Too Large' });
  });
});

describe('tokens the JWT authorizer refuses', () => {
  const sign = (build: (jwt: SignJWT) => SignJWT) =>
    build(
      new SignJWT({ tenantId: 'edge', role: 'hr', scope: API_SCOPE, token_use: 'access' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('someone')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE),
    ).sign(api.key);

  it.each([
    ['no exp', (jwt: SignJWT) => jwt.setIssuedAt()],
    [
      'an iat in the future',
      (jwt: SignJWT) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) + 3600).setExpirationTime('2h'),
    ],
    [
      'an expired one',
      (jwt: SignJWT) =>
        jwt
          .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60),
    ],
  ])('%s → 401', async (_, build) => {
    const token = await sign(build);
    const res = await api.anonymous().get('/people', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
  });

  it('a well-formed one → 200 for a user of the directory, 403 no_account for an identity it does not know', async () => {
    const token = await sign((jwt) => jwt.setIssuedAt().setExpirationTime('1h'));
    const stranger = await api.anonymous().get('/people', { authorization: `Bearer ${token}` });
    expect(stranger.body).toMatchObject({ status: 403, code: 'no_account' });
    // The claims in the token (tenant 'edge', role 'hr') count for nothing; the directory entry does.
    await enrolDevUser(ISSUER, { tenantId: 'edge', role: 'auditor', subject: 'someone' });
    expect((await api.anonymous().get('/people', { authorization: `Bearer ${token}` })).status).toBe(200);
    const create = await api
      .anonymous()
      .post(
        '/people',
        { name: '王五', idNumber: '110101199003074477' },
        { authorization: `Bearer ${token}` },
      );
    expect(create.body).toMatchObject({ status: 403, code: 'role_not_allowed' });
  });
});
