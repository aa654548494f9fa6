// `PROFILE=china npm start`: the china deployment profile's paths, locally (docs/deploy.md).
// Tokens come from the local OIDC issuer (RS256, JWKS, the claims under other names) and are
// checked as the JWT authorizer would; a dev token of the global shape is refused; mail goes
// out over SMTP.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKey, mintToken } from '../../infra/local/dev-tokens.ts';
import { freePort } from '../../infra/local/emulator.ts';
import { type Started, startStack, waitFor } from '../support/npm-start.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'special-ops-china-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  LOCAL_STATE_DIR: stateDir,
  MQTT_PORT: '0',
  PROFILE: 'china',
};
delete env.AWS_ENDPOINT_URL;

let stack: Started;
let apiUrl: string;

const token = (args: string[]) =>
  spawnSync('npm', ['run', '-s', 'token', '--', ...args], { env, encoding: 'utf8' }).stdout.trim();
const call = (path: string, bearer: string, init: RequestInit = {}) =>
  fetch(`${apiUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

beforeAll(async () => {
  stack = startStack(env, ['--port', String(await freePort())]);
  apiUrl = (await waitFor(stack, /Ready: .* on (http:\/\/\S+)/))[1] as string;
}, 120_000);

afterAll(() => {
  if (stack.child.exitCode === null && stack.child.pid) process.kill(-stack.child.pid, 'SIGINT');
});

describe('PROFILE=china npm start', () => {
  it('says which issuer and mail it uses', () => {
    expect(stack.output()).toMatch(
      /Profile: +china — identity from the OIDC issuer at http:\/\/127\.0\.0\.1:\d+, mail/,
    );
    expect(stack.output()).toMatch(/mail to the SMTP sink at smtp:\/\/.*each message written to .*mail\//);
  });

  it('serves the seeded tenant to a token of the OIDC issuer and refuses a dev token of the global shape', async () => {
    const oidc = token(['--tenant', 'demo-group', '--role', 'group_admin']);
    // The issuer's token says who, nothing about tenant or role: those are the directory's.
    const claims = JSON.parse(Buffer.from(oidc.split('.')[1] as string, 'base64url').toString());
    expect(claims.iss).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(claims.sub).toEqual(expect.any(String));
    expect(claims.tenantId).toBeUndefined();
    expect(claims.role).toBeUndefined();
    const people = await call('/people', oidc);
    expect(people.status).toBe(200);
    expect(people.body.items.length).toBeGreaterThan(0);
    const dev = await mintToken(loadOrCreateDevKey(stateDir), {
      tenantId: 'demo-group',
      role: 'group_admin',
    });
    expect((await call('/people', dev)).status).toBe(401);
  });

  it('keeps a site manager to the sites the directory gives them', async () => {
    const admin = token(['--tenant', 'demo-group', '--role', 'group_admin']);
    const sites = (await call('/sites', admin)).body.items as { siteId: string }[];
    const manager = token([
      '--tenant',
      'demo-group',
      '--role',
      'site_manager',
      '--sites',
      sites[0]?.siteId as string,
    ]);
    expect((await call(`/people?siteId=${sites[0]?.siteId}`, manager)).status).toBe(200);
    expect((await call(`/people?siteId=${sites[1]?.siteId}`, manager)).status).toBe(403);
  });

  it('sends mail over SMTP: the binding guide reaches a person by email', async () => {
    const admin = token(['--tenant', 'demo-group', '--role', 'group_admin']);
    expect(
      (
        await call('/settings/channels', admin, {
          method: 'PUT',
          body: JSON.stringify({ email: { enabled: true } }),
        })
      ).status,
    ).toBe(200);
    const person = (await call('/people', admin)).body.items[0] as { personId: string };
    const bound = await call(`/people/${person.personId}/bindings`, admin, {
      method: 'PUT',
      body: JSON.stringify({ email: 'worker@example.cn' }),
    });
    expect(bound.status).toBe(200);
    const fix = await call('/diagnostics/notifications/fixes', admin, {
      method: 'POST',
      body: JSON.stringify({ fix: 'send_binding_guide', personIds: [person.personId] }),
    });
    expect(fix.body.guides).toEqual([{ personId: person.personId, channel: 'email', sent: true }]);
    // A newcomer reads local mail in .local/mail/ (here the test's state dir), one .eml a message.
    const mailDir = join(stateDir, 'mail');
    const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
    const guide = files.find((f) => f.includes('worker@example.cn'));
    expect(guide, files.join(', ')).toBeDefined();
    expect(readFileSync(join(mailDir, guide as string), 'utf8')).toMatch(/^To: .*worker@example\.cn/im);
  });
});
