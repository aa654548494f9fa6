// Tenants and users (the product's own directory): a customer onboarded by the platform
// operator, invitations bound on first sign-in, roles changed, accounts disabled and
// removed, tenants suspended — each refused or allowed as the directory says, not the token.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Run after the fuzz file has filled the shared emulator's table, this file's calls take
// 10–30 s each in moto (measured 145 s for the file, 4 s when it runs first): room for that.
vi.setConfig({ testTimeout: 120_000 });

import { type SmtpSink, startSmtpSink } from '../../infra/local/smtp-sink.ts';
import { type ApiClient, auditTrail, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber } from '../support/fixtures.ts';
import { emulatorState } from '../support/record-files.ts';

let api: TestApi;
let platform: ApiClient;
/** The china project's mail goes over SMTP: to this file's own sink. */
let sink: SmtpSink | undefined;

beforeAll(async () => {
  if (process.env.PROFILE === 'china') {
    sink = await startSmtpSink();
    process.env.SMTP_URL = sink.url; // read by the mailer on its first send
  }
  api = await startTestApi();
  platform = await api.as({ tenantId: '', role: 'platform_admin', subject: `platform-${randomUUID()}` });
});
afterAll(async () => {
  await api.close();
  await sink?.close();
});

/** The raw mails to `to`: the SMTP sink's (china) or what the SES emulator was asked to send. */
async function mailsTo(to: string): Promise<string[]> {
  if (sink) return sink.received.filter((m) => m.to.includes(to)).map((m) => m.raw);
  const data = (await emulatorState(process.env.AWS_ENDPOINT_URL as string)) as {
    ses: { RawMessage: { destinations: string[]; raw_data: string }[] };
  };
  return data.ses.RawMessage.filter((m) => m.destinations.includes(to)).map((m) => m.raw_data);
}

/** The invitation code in the last mail to `to`. */
async function invitationMailTo(to: string): Promise<string> {
  const raw = (await mailsTo(to)).at(-1);
  if (!raw) throw new Error(`no mail to ${to}`);
  // Quoted-printable or base64, whichever the composer chose: read both.
  const text = [
    raw.replace(/=\r?\n/g, ''),
    ...[...raw.matchAll(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g)].map((m) =>
      Buffer.from((m[1] as string).replace(/\s/g, ''), 'base64').toString('utf8'),
    ),
  ].join('\n');
  const code = /the code ([2-9A-Z]{10})/.exec(text)?.[1];
  if (!code) throw new Error('no invitation code in the mail');
  return code;
}

const uscc = () => {
  // A well-formed code (its check character may fail: early pilot codes are accepted).
  const body = `91350100M${randomUUID()
    .replace(/-/g, '')
    .slice(0, 8)
    .toUpperCase()
    .replace(/[IOSVZ]/g, 'A')}`;
  return `${body}X`;
};

async function onboardTenant(tenantId: string) {
  const email = `admin-${tenantId}@example.cn`;
  const res = await platform.post('/tenants', {
    tenantId,
    name: `${tenantId} 集团`,
    unifiedSocialCreditCode: uscc(),
    settings: { profile: 'global', dataRegion: 'cn-north-1' },
    firstAdmin: { name: '陈立', email },
  });
  expect(res.status).toBe(201);
  const code = await invitationMailTo(email);
  const admin = await api.identity(`first-admin-${tenantId}`);
  const accepted = await admin.post('/invitations/accept', { code });
  expect(accepted.status).toBe(200);
  return { admin, tenant: res.body, code };
}

/** Invites a user by mail and signs them in for the first time. */
async function inviteAndAccept(by: ApiClient, body: Record<string, unknown>) {
  const email = `u-${randomUUID().slice(0, 8)}@example.cn`;
  const created = await by.post('/users', { ...body, email });
  expect(created.status).toBe(201);
  const client = await api.identity(`user-${randomUUID()}`);
  const accepted = await client.post('/invitations/accept', { code: await invitationMailTo(email) });
  expect(accepted.status).toBe(200);
  return { client, user: accepted.body };
}

describe('onboarding a customer (platform operator)', () => {
  it('creates the tenant and invites its first group admin, who binds their sign-in with the code once', async () => {
    const tenantId = `onb-${randomUUID().slice(0, 8)}`;
    const email = `first-${tenantId}@example.cn`;
    const res = await platform.post('/tenants', {
      tenantId,
      name: '华东建设集团',
      unifiedSocialCreditCode: uscc(),
      firstAdmin: { name: '陈立', email },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/tenants/${tenantId}`);
    expect(res.body).toMatchObject({
      tenantId,
      state: 'active',
      settings: { profile: 'global' },
      firstAdmin: {
        role: 'group_admin',
        state: 'invited',
        nameMasked: '陈*',
        invitation: { sentVia: ['mail'] },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(email);
    const code = await invitationMailTo(email);
    // Signed in at the issuer, unknown to the product: nothing but the invitation works.
    const newcomer = await api.identity(`newcomer-${tenantId}`);
    expect((await newcomer.get('/sites')).body).toMatchObject({ status: 403, code: 'no_account' });
    const wrong = await newcomer.post('/invitations/accept', { code: 'ABCDEFGHJK' });
    expect(wrong.status).toBe(404);
    const accepted = await newcomer.post('/invitations/accept', { code });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ role: 'group_admin', state: 'active' });
    expect(accepted.body).not.toHaveProperty('invitation');
    expect((await newcomer.get('/sites')).status).toBe(200);
    expect((await newcomer.get('/me')).body).toMatchObject({
      userId: accepted.body.userId,
      role: 'group_admin',
    });
    // Single use: the code is gone, for this identity and for anyone else.
    expect((await newcomer.post('/invitations/accept', { code })).status).toBe(404);
    expect(
      (await (await api.identity(`thief-${tenantId}`)).post('/invitations/accept', { code })).status,
    ).toBe(404);
    // Listed for the platform; the same credit code cannot be onboarded twice.
    const list = await platform.get('/tenants');
    expect(list.body.items.map((t: { tenantId: string }) => t.tenantId)).toContain(tenantId);
    const again = await platform.post('/tenants', {
      name: '重复',
      unifiedSocialCreditCode: res.body.unifiedSocialCreditCode,
      firstAdmin: { email: 'x@example.cn' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'tenant_code_taken' } });
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const actions = (await auditTrail(tenantId, day)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['tenant.create', 'user.invite', 'user.accept-invitation']),
    );
  });

  it('starts with a first platform operator added from the command line (npm run platform-admin)', async () => {
    const { userAdapters } = await import('../../functions/composition-root.ts');
    const { addPlatformAdmin } = await import('../../functions/users/users.ts');
    const subject = `ops-${randomUUID()}`;
    const added = await addPlatformAdmin(
      userAdapters(),
      { name: '运营', login: { issuer: api.issuer, subject } },
      'bootstrap-test',
    );
    expect(added).toMatchObject({ role: 'platform_admin', state: 'active', nameMasked: '运*' });
    const ops = await api.identity(subject);
    expect((await ops.get('/tenants')).status).toBe(200);
    expect((await ops.get('/sites')).body).toMatchObject({
      status: 403,
      code: 'platform_admin_has_no_tenant',
    });
  });

  it('keeps the platform operator out of every tenant’s data, and everyone else out of the platform’s routes', async () => {
    expect((await platform.get('/people')).body).toMatchObject({
      status: 403,
      code: 'platform_admin_has_no_tenant',
    });
    expect((await platform.get('/users')).body).toMatchObject({
      status: 403,
      code: 'platform_admin_has_no_tenant',
    });
    const admin = await api.as({ tenantId: 'plain', role: 'group_admin' });
    expect((await admin.get('/tenants')).body).toMatchObject({ status: 403, code: 'platform_admin_only' });
    expect((await admin.post('/tenants', {})).status).toBe(403);
  });

  it('refuses malformed tenants with 400 and writes nothing', async () => {
    for (const body of [
      {},
      { name: 'x', unifiedSocialCreditCode: uscc(), firstAdmin: {} },
      { name: 'x', unifiedSocialCreditCode: uscc(), firstAdmin: { phone: '+8613800138000' } }, // an invitation needs mail
      { name: 'x', unifiedSocialCreditCode: 'NOT-A-CODE', firstAdmin: { email: 'a@example.cn' } },
      {
        tenantId: 'BAD ID',
        name: 'x',
        unifiedSocialCreditCode: uscc(),
        firstAdmin: { email: 'a@example.cn' },
      },
      { name: 'x', unifiedSocialCreditCode: uscc(), firstAdmin: { email: 'not-an-email' } },
    ]) {
      const res = await platform.post('/tenants', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await platform.get('/tenants/nobody-here')).status).toBe(404);
  });

  it('suspends a tenant: every call of its users is refused until it is resumed', async () => {
    const tenantId = `sus-${randomUUID().slice(0, 8)}`;
    const { admin } = await onboardTenant(tenantId);
    const suspended = await platform.post(`/tenants/${tenantId}/suspend`, { reason: '合同到期未续费' });
    expect(suspended.body).toMatchObject({ state: 'suspended', suspensionReason: '合同到期未续费' });
    expect((await admin.get('/sites')).body).toMatchObject({ status: 403, code: 'tenant_suspended' });
    const resumed = await platform.post(`/tenants/${tenantId}/resume`, undefined as never);
    expect(resumed.body).toMatchObject({ state: 'active' });
    expect(resumed.body).not.toHaveProperty('suspendedAt');
    expect((await admin.get('/sites')).status).toBe(200);
  });
});

describe('users of a tenant', () => {
  let tenantId: string;
  let admin: ApiClient;
  let siteId: string;

  beforeAll(async () => {
    tenantId = `usr-${randomUUID().slice(0, 8)}`;
    ({ admin } = await onboardTenant(tenantId));
    siteId = (
      await admin.post('/sites', { code: 'S1', name: '一号工地', location: { lat: 31.2, lng: 121.5 } })
    ).body.siteId;
  });

  it('gives an invited site manager their sites; a lowered role takes effect on the next call', async () => {
    const { client: manager, user: m } = await inviteAndAccept(admin, {
      role: 'site_manager',
      siteIds: [siteId],
      name: '刘洋',
    });
    expect(m).toMatchObject({ role: 'site_manager', siteIds: [siteId], nameMasked: '刘*' });
    expect((await manager.get('/people')).status).toBe(200); // their one site
    const { client, user } = await inviteAndAccept(admin, { role: 'hr' });
    expect((await client.get('/users')).status).toBe(200);
    const lowered = await admin.raw('PATCH', `/users/${user.userId}`, JSON.stringify({ role: 'auditor' }));
    expect(lowered.status).toBe(200);
    expect(lowered.body).toMatchObject({ role: 'auditor', siteIds: [] });
    // An auditor manages no users; the hr user could, one call ago.
    expect((await client.get('/users')).body).toMatchObject({ status: 403, code: 'role_not_allowed' });
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const change = (await auditTrail(tenantId, day)).find(
      (a) => a.action === 'user.update' && a.entityId === user.userId,
    );
    expect(change?.details).toEqual({ role: { from: 'hr', to: 'auditor' } });
  });

  it('sends a new code to someone still invited; the old one stops working', async () => {
    const email = `late-${randomUUID().slice(0, 8)}@example.cn`;
    const created = await admin.post('/users', { role: 'auditor', email });
    const first = await invitationMailTo(email);
    const again = await admin.post(`/users/${created.body.userId}/invitation`, undefined as never);
    expect(again.status).toBe(200);
    expect(again.body.invitation.expiresAt >= created.body.invitation.expiresAt).toBe(true);
    const second = await invitationMailTo(email);
    expect(second).not.toBe(first);
    const late = await api.identity(`late-${randomUUID()}`);
    expect((await late.post('/invitations/accept', { code: first })).status).toBe(404);
    expect((await late.post('/invitations/accept', { code: second })).status).toBe(200);
    // Accepted: nothing left to send.
    expect(
      (await admin.post(`/users/${created.body.userId}/invitation`, undefined as never)).body,
    ).toMatchObject({
      status: 422,
      code: 'invitation_not_open',
    });
  });

  it('refuses a disabled user and lets them in again when enabled', async () => {
    const { client, user } = await inviteAndAccept(admin, { role: 'hr' });
    expect((await client.get('/people')).status).toBe(200);
    expect((await admin.post(`/users/${user.userId}/disable`, undefined as never)).body.state).toBe(
      'disabled',
    );
    expect((await client.get('/people')).body).toMatchObject({ status: 403, code: 'account_disabled' });
    expect((await admin.post(`/users/${user.userId}/enable`, undefined as never)).body.state).toBe('active');
    expect((await client.get('/people')).status).toBe(200);
  });

  it('lets nobody grant a role above their own', async () => {
    const { client: hr } = await inviteAndAccept(admin, { role: 'hr' });
    expect((await hr.post('/users', { role: 'group_admin', email: 'a@example.cn' })).body).toMatchObject({
      status: 403,
      code: 'role_not_grantable',
    });
    expect((await hr.post('/users', { role: 'hr', email: 'b@example.cn' })).status).toBe(403);
    const sub = (
      await admin.post('/subcontractors', {
        name: '华信安装',
        unifiedSocialCreditCode: '91350100M000100Y43',
        contacts: [{ name: '王建国', phone: '13800138000' }],
      })
    ).body.subcontractorId;
    const { user: subAdmin } = await inviteAndAccept(hr, { role: 'subcontractor', subcontractorId: sub });
    // hr may not turn the subcontractor admin it invited into a group admin (or an hr).
    const up = await hr.raw('PATCH', `/users/${subAdmin.userId}`, JSON.stringify({ role: 'group_admin' }));
    expect(up.body).toMatchObject({ status: 403, code: 'role_not_grantable' });
    // …nor touch a group admin.
    const me = (await admin.get('/me')).body;
    expect((await hr.post(`/users/${me.userId}/disable`, undefined as never)).status).toBe(403);
    const siteManager = await api.as({ tenantId, role: 'site_manager', siteIds: [siteId] });
    expect((await siteManager.post('/users', { role: 'worker', email: 'c@example.cn' })).body).toMatchObject({
      status: 403,
      code: 'role_not_allowed',
    });
    expect((await siteManager.get('/users')).status).toBe(403);
  });

  it('checks what a role needs, and answers another tenant’s user ids with 404', async () => {
    for (const body of [
      { role: 'site_manager', email: 'd@example.cn' },
      { role: 'site_manager', email: 'd@example.cn', siteIds: ['site_0000000000NOPE'] },
      { role: 'subcontractor', email: 'd@example.cn' },
      { role: 'worker' },
      { role: 'auditor', siteIds: [siteId], email: 'd@example.cn' },
      { role: 'superuser', email: 'd@example.cn' },
    ]) {
      const res = await admin.post('/users', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin.post('/users', { role: 'auditor' })).body).toMatchObject({
      status: 422,
      code: 'no_way_to_invite',
    });
    const other = await api.as({ tenantId: 'another-tenant', role: 'group_admin' });
    const theirs = await other.post('/users', { role: 'auditor', email: 'e@example.cn' });
    expect(theirs.status).toBe(201);
    for (const res of [
      await admin.get(`/users/${theirs.body.userId}`),
      await admin.raw('PATCH', `/users/${theirs.body.userId}`, JSON.stringify({ role: 'hr' })),
      await admin.post(`/users/${theirs.body.userId}/disable`, undefined as never),
      await admin.raw('DELETE', `/users/${theirs.body.userId}`, undefined),
    ])
      expect(res.status).toBe(404);
    expect((await admin.get('/users')).body.items.map((u: { userId: string }) => u.userId)).not.toContain(
      theirs.body.userId,
    );
  });

  it('lists users page by page; a forged cursor is a 400', async () => {
    const first = await admin.get('/users?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await admin.get(`/users?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    const ids = [...first.body.items, ...second.body.items].map((u: { userId: string }) => u.userId);
    expect(new Set(ids).size).toBe(ids.length);
    const forged = Buffer.from(JSON.stringify({ pk: 'T#another-tenant', sk: 'USER#x' })).toString(
      'base64url',
    );
    expect((await admin.get(`/users?cursor=${forged}`)).status).toBe(400);
  });

  it('keeps the last active group admin: not disabled, lowered or removed until another one is there', async () => {
    const me = (await admin.get('/me')).body;
    expect((await admin.post(`/users/${me.userId}/disable`, undefined as never)).body).toMatchObject({
      status: 422,
      code: 'last_group_admin',
    });
    expect((await admin.raw('PATCH', `/users/${me.userId}`, JSON.stringify({ role: 'hr' }))).status).toBe(
      422,
    );
    expect((await admin.raw('DELETE', `/users/${me.userId}`, undefined)).status).toBe(422);
    const { client: second } = await inviteAndAccept(admin, { role: 'group_admin' });
    const removed = await second.raw('DELETE', `/users/${me.userId}`, undefined);
    expect(removed.status).toBe(204);
    // The removed admin's login went with them.
    expect((await admin.get('/sites')).body).toMatchObject({ status: 403, code: 'no_account' });
    expect(await getItem(`T#${tenantId}`, `USER#${me.userId}`)).toMatchObject({
      state: 'removed',
      expiresAt: expect.any(Number), // DynamoDB drops it (TTL); the audit trail keeps the decision
    });
    expect((await second.get('/users')).body.items.map((u: { userId: string }) => u.userId)).not.toContain(
      me.userId,
    );
    expect((await second.get(`/users/${me.userId}`)).status).toBe(404);
    admin = second;
  });
});

describe('a worker’s own account', () => {
  it('is invited through the person’s inbox and sees their own records, nobody else’s', async () => {
    const tenantId = `wrk-${randomUUID().slice(0, 8)}`;
    const hr = await api.as({ tenantId, role: 'hr' });
    const person = async (name: string) =>
      (await hr.post('/people', { name, idNumber: newIdNumber() })).body.personId as string;
    const own = await person('张伟');
    const colleague = await person('李娜');
    const invited = await hr.post('/users', { role: 'worker', personId: own });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ role: 'worker', personId: own, invitation: { sentVia: ['inbox'] } });
    // The code waits in the person's inbox (and goes on to their channels by the tenant's rule).
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const inbox = await db.send(
      new QueryCommand({
        TableName: process.env.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `T#${tenantId}#INBOX#PERSON#${own}` },
      }),
    );
    const notice = inbox.Items?.find((i) => i.kind === 'account_invitation');
    expect(notice?.nameMasked).toBe('张*');
    const worker = await api.identity(`worker-${tenantId}`);
    expect((await worker.post('/invitations/accept', { code: notice?.invitation.code })).status).toBe(200);
    expect((await worker.get(`/people/${own}`)).status).toBe(200);
    expect((await worker.get(`/people/${own}/certificates`)).status).toBe(200);
    expect((await worker.get(`/people/${own}/status`)).status).toBe(200);
    expect((await worker.get(`/people/${colleague}`)).status).toBe(404);
    expect((await worker.get(`/people/${colleague}/certificates`)).status).toBe(404);
    expect((await worker.get('/people')).status).toBe(403);
    expect((await worker.get('/users')).status).toBe(403);
    const myInbox = await worker.get('/me/inbox');
    expect(myInbox.status).toBe(200);
    expect(myInbox.body.items.map((m: { kind: string }) => m.kind)).toContain('account_invitation');
    // Their own rotating code, not another person's.
    expect((await worker.get(`/workers/${own}/verification-code`)).status).toBe(200);
    expect((await worker.get(`/workers/${colleague}/verification-code`)).status).toBe(403);
  });
});

describe('the directory cache (one per container)', () => {
  it('serves a role for at most a minute: another container’s change is seen after the window', async () => {
    const { CachedPrincipals, DIRECTORY_CACHE_MS } = await import(
      '../../functions/users/cached-principals.ts'
    );
    const { DynamoUserDirectory } = await import('../../functions/users/user-directory-store.ts');
    const { createDocumentClient } = await import('../../functions/shared/dynamo/client.ts');
    let now = Date.parse('2026-12-02T08:00:00Z');
    const clock = { now: () => new Date(now), today: () => '2026-12-02' as never };
    const directory = new DynamoUserDirectory(
      createDocumentClient(),
      process.env.TABLE_NAME as string,
      clock,
    );
    const tenantId = `cache-${randomUUID().slice(0, 8)}`;
    const { admin } = await onboardTenant(tenantId);
    const { client, user } = await inviteAndAccept(admin, { role: 'hr' });
    const stored = await directory.getUser(tenantId, user.userId);
    const identity = stored?.login as { issuer: string; subject: string };
    const containerA = new CachedPrincipals(directory, clock);
    expect((await containerA.resolve(identity)).role).toBe('hr');
    // Container B (the API here) lowers the role and disables the account.
    await admin.raw('PATCH', `/users/${user.userId}`, JSON.stringify({ role: 'auditor' }));
    now += DIRECTORY_CACHE_MS - 1;
    expect((await containerA.resolve(identity)).role).toBe('hr'); // still inside A's window
    now += 1;
    expect((await containerA.resolve(identity)).role).toBe('auditor');
    await admin.post(`/users/${user.userId}/disable`, undefined as never);
    expect((await containerA.resolve(identity)).role).toBe('auditor');
    now += DIRECTORY_CACHE_MS;
    await expect(containerA.resolve(identity)).rejects.toMatchObject({ detailCode: 'account_disabled' });
    expect((await client.get('/people')).status).toBe(403);
  });
});
