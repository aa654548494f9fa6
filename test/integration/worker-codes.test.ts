// Rotating verification codes (O2) over the API: a worker's own code for the 2-hour window,
// as JWS and QR; a verifier sees the live status — not a copy — with each certificate's
// registry answer and its age, asked again when too old; offline with the JWK Set; and the
// refusals: another tenant, a forged or foreign signature, a lapsed window, a revoked code.
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, documentClient, table, tenantKeyStore } from '../../functions/composition-root.ts';
import { KmsTenantKeyStore } from '../../functions/verification/tenant-key-store.ts';
import { type RegistrySimulator, startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';
import { decodeEveryWay } from '../support/qr-decode.ts';

const TENANT = 'codes';
let api: TestApi;
let admin: ApiClient;
let registry: RegistrySimulator;

beforeAll(async () => {
  registry = await startRegistrySimulator();
  process.env.REGISTRY_BASE_URL = registry.url;
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  expect(
    (await admin.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' })).status,
  ).toBe(200);
});
afterAll(async () => {
  await api.close();
  await registry.close();
});

async function worker(inRegistry = true) {
  const idNumber = newIdNumber();
  const personId = (await admin.post('/people', { name: '刘德明', idNumber })).body.personId as string;
  const cert = samrCertificate(400);
  const certificateId = (await admin.post(`/people/${personId}/certificates`, cert)).body
    .certificateId as string;
  if (inRegistry)
    registry.add({
      scheme: 'SAMR',
      number: cert.number,
      category: 'N1',
      holderName: '刘德明',
      holderIdNumber: idNumber,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      status: 'valid',
    });
  const own = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId: 'sub_x', personId });
  return { personId, certificateId, own };
}

describe('a worker’s rotating code', () => {
  it('is signed with the tenant’s own key, published beside the service key; no other tenant’s key vouches for it', async () => {
    const { personId, own } = await worker();
    const code = (await own.get(`/workers/${personId}/verification-code`)).body.code as string;
    const other = await api.as({ tenantId: 'codes-keyed', role: 'group_admin' });
    const otherId = (await other.post('/people', { name: '周建', idNumber: newIdNumber() })).body
      .personId as string;
    const otherOwn = await api.as({
      tenantId: 'codes-keyed',
      role: 'subcontractor',
      subcontractorId: 'sub_y',
      personId: otherId,
    });
    const otherCode = (await otherOwn.get(`/workers/${otherId}/verification-code`)).body.code as string;
    const kid = decodeProtectedHeader(code).kid;
    const otherKid = decodeProtectedHeader(otherCode).kid;
    expect(kid).not.toBe(otherKid);
    const published = (await api.anonymous().get('/.well-known/jwks.json')).body.keys.map(
      (k: { kid: string }) => k.kid,
    );
    expect(published).toEqual(expect.arrayContaining([kid, otherKid]));
    // The service key (tickets, allowlists) is there too, and it is neither tenant's.
    expect(published.length).toBeGreaterThanOrEqual(3);
    // The same key is used for every code of the tenant (created once, then read).
    const again = (await own.get(`/workers/${personId}/verification-code`)).body.code as string;
    expect(decodeProtectedHeader(again).kid).toBe(kid);
    // A code that names this tenant but is signed with another tenant's key is not this tenant's.
    const forged = await (await tenantKeyStore().signerFor('codes-keyed')).sign(
      JSON.parse(Buffer.from(code.split('.')[1] as string, 'base64url').toString()),
      'worker-code+jws',
    );
    expect((await admin.post('/verify', { code: forged })).body).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('gives a tenant one key even when two containers create it at the same moment', async () => {
    const stores = [1, 2, 3].map(() => new KmsTenantKeyStore(documentClient(), table(), clock()));
    const signers = await Promise.all(stores.map((s) => s.signerFor('codes-race')));
    const kids = await Promise.all(signers.map(async (s) => (await s.publicKey()).kid));
    expect(new Set(kids).size).toBe(1);
    expect(await stores[0]?.byKid(kids[0] as string)).toMatchObject({ tenantId: 'codes-race' });
  });

  it('is issued to the worker’s own account only, for the current 2-hour window, as JWS and as QR', async () => {
    const { personId, own } = await worker();
    const res = await own.get(`/workers/${personId}/verification-code`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { code, validFrom, validUntil } = res.body;
    expect(Date.parse(validUntil) - Date.parse(validFrom)).toBe(2 * 3600 * 1000);
    expect(new Date(validFrom).getUTCHours() % 2).toBe(0);
    expect(code).not.toMatch(/^https?:/);
    expect(code.split('.')).toHaveLength(3);
    // Offline: the JWK Set verifies it; the payload names tenant, person, window.
    const jwks = (await api.anonymous().get('/.well-known/jwks.json')).body;
    const { payload, protectedHeader } = await compactVerify(code, createLocalJWKSet(jwks));
    expect(protectedHeader.typ).toBe('worker-code+jws');
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      ten: TENANT,
      sub: personId,
      ep: 0,
    });
    const png = await own.fetch(`/workers/${personId}/verification-code/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    // Read by jsqr and ZXing, as served, at half the size and slightly blurred.
    const reads = decodeEveryWay(Buffer.from(await png.arrayBuffer()));
    const read = reads['jsqr, original'] as string;
    expect(read.split('.')).toHaveLength(3);
    expect(reads).toEqual(Object.fromEntries(Object.keys(reads).map((k) => [k, read])));
    // Nobody else gets someone's code: not hr, not another worker.
    const hr = await api.as({ tenantId: TENANT, role: 'hr' });
    expect((await hr.get(`/workers/${personId}/verification-code`)).status).toBe(403);
    const other = await worker();
    expect((await other.own.get(`/workers/${personId}/verification-code`)).status).toBe(403);
  });

  it('shows the verifier the live status and each certificate’s registry answer, asked now when too old', async () => {
    const { personId, certificateId, own } = await worker();
    const code = (await own.get(`/workers/${personId}/verification-code`)).body.code;
    const guard = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: ['site_a'] });
    const first = await guard.post('/verify', { code });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      valid: true,
      personId,
      nameMasked: '刘**',
      status: { color: 'green' },
      certificates: [{ certificateId, color: 'green', registry: { outcome: 'valid', askedNow: true } }],
    });
    expect(JSON.stringify(first.body)).not.toContain('刘德明');
    // Within the tenant's age limit the answer is shown with its age, not asked again.
    const calls = registry.calls;
    const second = await guard.post('/verify', { code });
    expect(second.body.certificates[0].registry).toMatchObject({ outcome: 'valid', askedNow: false });
    expect(second.body.certificates[0].registry.ageMinutes).toBeGreaterThanOrEqual(0);
    expect(registry.calls).toBe(calls);
  });

  it('answers the status of now: a certificate the registry does not know turns the worker red', async () => {
    const { personId, own } = await worker(false);
    const code = (await own.get(`/workers/${personId}/verification-code`)).body.code;
    const res = await admin.post('/verify', { code });
    expect(res.body).toMatchObject({
      valid: true,
      status: { color: 'red', gateAccess: 'frozen' },
      certificates: [{ color: 'red', registry: { outcome: 'not_found', askedNow: true } }],
    });
  });

  it('refuses another tenant’s verifier, a tampered code, a foreign signature and a revoked code', async () => {
    const { personId, own } = await worker();
    const code = (await own.get(`/workers/${personId}/verification-code`)).body.code as string;
    const stranger = await api.as({ tenantId: 'codes-other', role: 'group_admin' });
    expect((await stranger.post('/verify', { code })).body).toEqual({ valid: false, reason: 'other_tenant' });
    const [h, p, s] = code.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p as string, 'base64url').toString()), sub: 'per_somebody' })).toString('base64url')}.${s}`;
    expect((await admin.post('/verify', { code: tampered })).body).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
    const foreignHeader = Buffer.from(
      JSON.stringify({ alg: 'ES256', kid: 'not-ours', typ: 'worker-code+jws' }),
    ).toString('base64url');
    expect((await admin.post('/verify', { code: `${foreignHeader}.${p}.${s}` })).body).toEqual({
      valid: false,
      reason: 'unknown_key',
    });
    expect((await admin.post('/verify', { code: 'x'.repeat(30) })).body).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
    expect((await admin.post('/verify', { code: 'short' })).status).toBe(400);

    // A lost phone: hr revokes, the old code stops, a new one works.
    const sub = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId: 'sub_x' });
    expect((await sub.post(`/workers/${personId}/verification-code/revocation`, {})).status).toBe(403);
    const hr = await api.as({ tenantId: TENANT, role: 'hr' });
    expect((await hr.post(`/workers/${personId}/verification-code/revocation`, {})).status).toBe(204);
    expect((await admin.post('/verify', { code })).body).toEqual({ valid: false, reason: 'revoked' });
    const fresh = (await own.get(`/workers/${personId}/verification-code`)).body.code;
    expect((await admin.post('/verify', { code: fresh })).body.valid).toBe(true);
  });
});
