import { randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrySecretName } from '../../functions/verification/registry-client-certificates.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { type RegistrySimulator, startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, allItems, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate } from '../support/fixtures.ts';
import { captureOutput } from '../support/output.ts';

let api: TestApi;
let admin: ApiClient;
let registry: RegistrySimulator;
let poller: WorkPoller;
const secrets = new SecretsManagerClient({ maxAttempts: 1 });

beforeAll(async () => {
  // This file's own simulator, so that making it misbehave affects no other file.
  registry = await startRegistrySimulator();
  process.env.REGISTRY_BASE_URL = registry.url;
  // A "too slow" registry is waited for per attempt (3 attempts with backoff), in real time:
  // a shorter timeout than the stack's 1.5 s keeps that test short.
  process.env.REGISTRY_TIMEOUT_MS = '600';
  api = await startTestApi();
  admin = await api.as({ tenantId: 'verify', role: 'group_admin' });
  expect(
    (await admin.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' })).status,
  ).toBe(200);
});
afterAll(async () => {
  await poller?.stop();
  await api.close();
  await registry.close();
});

async function enrolled(
  options: {
    name?: string;
    registryName?: string;
    formerNames?: string[];
    registryPatch?: Record<string, unknown>;
    daysLeft?: number;
    inRegistry?: boolean;
  } = {},
) {
  const idNumber = newIdNumber();
  const name = options.name ?? '张三丰';
  const personId = (await admin.post('/people', { name, idNumber })).body.personId as string;
  const cert = samrCertificate(options.daysLeft ?? 400);
  const certificateId = (await admin.post(`/people/${personId}/certificates`, cert)).body
    .certificateId as string;
  if (options.inRegistry !== false) {
    registry.add({
      scheme: 'SAMR',
      number: cert.number,
      category: 'N1',
      holderName: options.registryName ?? name,
      holderFormerNames: options.formerNames ?? [],
      holderIdNumber: idNumber,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      status: 'valid',
      ...options.registryPatch,
    });
  }
  const verify = () => admin.post(`/people/${personId}/certificates/${certificateId}/verify`, {});
  return { personId, certificateId, verify };
}

describe('registry settings', () => {
  it.each([
    [{ unifiedSocialCreditCode: '91350100M000100Y4' }, 400, undefined],
    [{ unifiedSocialCreditCode: '91350100M000100Y44' }, 200, ['uscc_check_char']], // pilot codes: warn, do not reject
    [{ unifiedSocialCreditCode: '91350100m000100y43' }, 200, undefined],
  ])('%j → %i', async (body, status, warnings) => {
    const other = await api.as({ tenantId: 'verify-settings', role: 'group_admin' });
    const res = await other.put('/settings/registry', body);
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body.warnings).toEqual(warnings);
  });

  it('is for group admins only', async () => {
    const hr = await api.as({ tenantId: 'verify', role: 'hr' });
    expect(
      (await hr.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' })).status,
    ).toBe(403);
  });
});

describe('verifying a certificate against the registry', () => {
  it('confirms a valid certificate and keeps the person green', async () => {
    const { personId, verify } = await enrolled();
    const res = await verify();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'valid', status: { color: 'green' } });
    expect(res.body.status.certificates[0].verification).toMatchObject({ outcome: 'valid' });
    expect((await admin.get(`/people/${personId}`)).body.color).toBe('green');
    // The registry's answer is an event for the tenant's own systems, written with it (webhooks).
    const events = (await allItems()).filter(
      (i) =>
        i.entity === 'webhook-event' &&
        i.type === 'certificate.verified' &&
        (i.data as { personId?: string })?.personId === personId,
    );
    expect(events).toEqual([
      expect.objectContaining({ tenantId: 'verify', data: expect.objectContaining({ outcome: 'valid' }) }),
    ]);
  });

  it.each([
    ['not in the registry (a forged card)', { inRegistry: false }, 'not_found', 'red', 'registry_not_found'],
    [
      'revoked in the registry',
      { registryPatch: { status: 'revoked', revokedOn: daysFromToday(-5) } },
      'revoked',
      'red',
      'registry_revoked',
    ],
    [
      'with another expiry date in the registry',
      { registryPatch: { expiresOn: daysFromToday(20) } },
      'mismatch',
      'red',
      'registry_mismatch',
    ],
    [
      'with the name in pinyin',
      { registryName: 'Zhang Sanfeng' },
      'name_review',
      'yellow',
      'registry_name_review',
    ],
    [
      'with the name in Western order',
      { registryName: 'SANFENG ZHANG' },
      'name_review',
      'yellow',
      'registry_name_review',
    ],
    [
      'under a former name',
      { name: '张三丰', registryName: '张君宝', formerNames: ['张三丰'] },
      'name_review',
      'yellow',
      'registry_name_review',
    ],
    ['with another name altogether', { registryName: '李四' }, 'mismatch', 'red', 'registry_mismatch'],
  ])('flags a certificate %s', async (_, options, result, color, reason) => {
    const { personId, verify } = await enrolled(options);
    const res = await verify();
    expect(res.body.result).toBe(result);
    expect(res.body.status.color).toBe(color);
    expect(res.body.status.reasons[0].code).toBe(reason);
    if (color === 'red')
      expect(await getItem(`T#verify#PERSON#${personId}`, 'GATE')).toMatchObject({ gateAccess: 'frozen' });
  });

  it('names the fields that differ', async () => {
    const { verify } = await enrolled({ registryPatch: { expiresOn: daysFromToday(20) } });
    expect((await verify()).body.mismatches).toEqual([
      expect.objectContaining({ field: 'expiresOn', registry: daysFromToday(20) }),
    ]);
  });

  it.each([
    ['down', { mode: 'down' }, 'http_error'],
    ['too slow', { mode: 'slow', delayMs: 1500 }, 'timeout'],
    ['answering garbage', { mode: 'garbage' }, 'bad_response'],
  ] as const)(
    'never turns a red certificate green when the registry is %s, and keeps its last answer',
    async (_, mode, reason) => {
      const { verify } = await enrolled({ inRegistry: false });
      const first = (await verify()).body;
      expect(first.status.color).toBe('red');
      registry.setMode(mode);
      try {
        const res = await verify();
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          result: 'unavailable',
          unavailableReason: reason,
          status: { color: 'red' },
        });
        expect(res.body.lastAnsweredAt).toBe(first.lastAnsweredAt);
        expect(res.body.certificate.verification).toMatchObject({
          outcome: 'not_found',
          lastAttemptResult: 'unavailable',
        });
      } finally {
        registry.setMode({ mode: 'normal' });
      }
    },
    30_000,
  );

  it('answers unavailable (not configured) for a tenant without a registry connection, flagging the certificate as never verified', async () => {
    const other = await api.as({ tenantId: 'verify-none', role: 'group_admin' });
    const personId = (await other.post('/people', { name: '王五', idNumber: newIdNumber() })).body.personId;
    const cert = (await other.post(`/people/${personId}/certificates`, samrCertificate(300))).body;
    const res = await other.post(`/people/${personId}/certificates/${cert.certificateId}/verify`, {});
    expect(res.body).toMatchObject({
      result: 'unavailable',
      unavailableReason: 'not_configured',
      status: { color: 'green' },
    });
    expect(res.body.status.certificates[0].verification).toBeNull();
  });

  it('verifies every new certificate in the background', async () => {
    poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    const { personId } = await enrolled({ inRegistry: false });
    await poller.drained();
    await poller.drained();
    const status = (await admin.get(`/people/${personId}/status`)).body;
    expect(status.color).toBe('red');
    expect(status.reasons[0].code).toBe('registry_not_found');
  }, 30_000);

  it('hides another tenant’s certificate (404)', async () => {
    const { personId, certificateId } = await enrolled();
    const other = await api.as({ tenantId: 'elsewhere', role: 'group_admin' });
    expect((await other.post(`/people/${personId}/certificates/${certificateId}/verify`, {})).status).toBe(
      404,
    );
  });
});

describe('registry client certificate (mTLS)', () => {
  const tenant = () => `verify-mtls-${randomUUID().slice(0, 8)}`;
  const ca = LocalCa.create('registry test CA');

  it('refuses a secret name from input: the secret is always the calling tenant’s own', async () => {
    const other = await api.as({ tenantId: tenant(), role: 'group_admin' });
    const res = await other.put('/settings/registry', {
      unifiedSocialCreditCode: '91350100M000100Y43',
      clientCertificateSecretId: 'special-ops/registry/verify',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('clientCertificateSecretId');
  });

  it('stores the PEMs in a secret named and tagged after the tenant and shows only what identifies them', async () => {
    const tenantId = tenant();
    const a = await api.as({ tenantId, role: 'group_admin' });
    const pem = await (await ca).deviceCertificate(`registry-client-${tenantId}`);
    const res = await a.put('/settings/registry', {
      unifiedSocialCreditCode: '91350100M000100Y43',
      clientCertificate: pem,
    });
    expect(res.status).toBe(200);
    expect(res.body.clientCertificate).toMatchObject({ subject: `CN=registry-client-${tenantId}` });
    expect(JSON.stringify(res.body)).not.toContain('PRIVATE KEY');
    const stored = await secrets.send(new DescribeSecretCommand({ SecretId: registrySecretName(tenantId) }));
    expect(stored.Tags).toEqual([{ Key: 'tenantId', Value: tenantId }]);
    const item = await getItem(`T#${tenantId}`, 'SETTINGS#registry');
    expect(JSON.stringify(item)).not.toContain('PRIVATE KEY');

    // Changing the credit code keeps the certificate; null stops using it.
    const kept = await a.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' });
    expect(kept.body.clientCertificate?.fingerprintSha256).toBe(res.body.clientCertificate.fingerprintSha256);
    const dropped = await a.put('/settings/registry', {
      unifiedSocialCreditCode: '91350100M000100Y43',
      clientCertificate: null,
    });
    expect(dropped.body.clientCertificate).toBeUndefined();

    // Another tenant sees none of it.
    const b = await api.as({ tenantId: tenant(), role: 'group_admin' });
    expect((await b.get('/settings/registry')).status).toBe(404);
  });

  it.each([
    ['a key that is not the certificate’s', 'private_key_mismatch'],
    ['garbage instead of a certificate', 'certificate_unreadable'],
  ])('refuses %s without writing anything', async (_, code) => {
    const tenantId = tenant();
    const a = await api.as({ tenantId, role: 'group_admin' });
    const one = await (await ca).deviceCertificate('one');
    const two = await (await ca).deviceCertificate('two');
    const clientCertificate =
      code === 'private_key_mismatch'
        ? { certificatePem: one.certificatePem, privateKeyPem: two.privateKeyPem }
        : { certificatePem: 'not a certificate', privateKeyPem: one.privateKeyPem };
    const res = await a.put('/settings/registry', {
      unifiedSocialCreditCode: '91350100M000100Y43',
      clientCertificate,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'clientCertificate', code });
    expect(JSON.stringify(res.body)).not.toContain('PRIVATE KEY');
    expect(await getItem(`T#${tenantId}`, 'SETTINGS#registry')).toBeUndefined();
    await expect(
      secrets.send(new DescribeSecretCommand({ SecretId: registrySecretName(tenantId) })),
    ).rejects.toThrow();
  });

  it('answers "unavailable: credentials_unreadable" for a broken secret and logs none of it', async () => {
    const tenantId = tenant();
    const a = await api.as({ tenantId, role: 'group_admin' });
    const pem = await (await ca).deviceCertificate('broken');
    await a.put('/settings/registry', {
      unifiedSocialCreditCode: '91350100M000100Y43',
      clientCertificate: pem,
    });
    const secretValue = 'SECRET-VALUE-THAT-MUST-NOT-LEAK-0123456789';
    await secrets.send(
      new PutSecretValueCommand({ SecretId: registrySecretName(tenantId), SecretString: secretValue }),
    );
    const hr = await api.as({ tenantId, role: 'hr' });
    const person = await hr.post('/people', { name: '秦川', idNumber: newIdNumber() });
    const cert = await hr.post(`/people/${person.body.personId}/certificates`, samrCertificate(400));
    const output = captureOutput({ logLevel: 'DEBUG', echo: true });
    try {
      const res = await a.post(
        `/people/${person.body.personId}/certificates/${cert.body.certificateId}/verify`,
        {},
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ result: 'unavailable', unavailableReason: 'credentials_unreadable' });
    } finally {
      output.stop();
    }
    expect(output.lines.join('\n')).not.toContain('SECRET-VALUE');
  });
});

describe('connecting the registry', () => {
  it('checks every certificate entered before, as a batch the tenant can follow, and only when the connection changes', async () => {
    const tenantId = `verify-catchup-${randomUUID().slice(0, 8)}`;
    const admin = await api.as({ tenantId, role: 'group_admin' });
    const people: string[] = [];
    for (const name of ['严一', '严二']) {
      const person = await admin.post('/people', { name, idNumber: newIdNumber() });
      const cert = samrCertificate(300);
      registry.add({
        scheme: 'SAMR',
        number: cert.number,
        category: 'N1',
        holderName: name,
        holderIdNumber: newIdNumber(),
        issuedOn: cert.issuedOn,
        expiresOn: cert.expiresOn,
        status: 'valid',
      });
      expect((await admin.post(`/people/${person.body.personId}/certificates`, cert)).status).toBe(201);
      people.push(person.body.personId);
    }
    // Their background checks ran while the tenant had no registry: "unavailable", never answered.
    const before = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    await before.drained();
    await before.stop();
    for (const personId of people) {
      const certs = await admin.get(`/people/${personId}/certificates`);
      expect(certs.body.items[0].verification).toMatchObject({
        lastAttemptResult: 'unavailable',
        unavailableReason: 'not_configured',
      });
    }
    const connected = await admin.put('/settings/registry', {
      unifiedSocialCreditCode: '91350100M000100Y43',
    });
    expect(connected.status).toBe(200);
    const batchId = connected.body.verificationBatchId as string;
    expect(batchId).toMatch(/^bat_/);
    const local = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    try {
      const deadline = Date.now() + 30_000;
      let batch = await admin.get(`/verifications/batches/${batchId}`);
      while (batch.body.batch.status !== 'completed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        batch = await admin.get(`/verifications/batches/${batchId}`);
      }
      expect(batch.body.batch).toMatchObject({
        format: 'registry',
        status: 'completed',
        total: 2,
        processed: 2,
      });
      expect(batch.body.rows.map((r: { personId: string }) => r.personId).sort()).toEqual([...people].sort());
      for (const r of batch.body.rows) expect(r.display).toMatch(/^TS-N1-/);
      for (const personId of people) {
        const certs = await admin.get(`/people/${personId}/certificates`);
        expect(certs.body.items[0].verification.lastAnsweredAt).toBeDefined();
      }
    } finally {
      await local.stop();
    }
    // Saving the same connection again starts nothing.
    const again = await admin.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' });
    expect(again.body.verificationBatchId).toBeUndefined();
  }, 60_000);
});
