import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, auditTrail, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate, today } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;
let siteA: string;
let siteB: string;

beforeAll(async () => {
  api = await startTestApi();
  const admin = await api.as({ tenantId: 'events', role: 'group_admin' });
  siteA = (await admin.post('/sites', { name: 'A', code: 'A', location: { lat: 30, lng: 120 } })).body.siteId;
  siteB = (await admin.post('/sites', { name: 'B', code: 'B', location: { lat: 31, lng: 121 } })).body.siteId;
  hr = await api.as({ tenantId: 'events', role: 'hr' });
});
afterAll(() => api.close());

async function personAt(siteId: string) {
  return (await hr.post('/people', { name: '韩梅梅', idNumber: newIdNumber(), homeSiteId: siteId })).body
    .personId as string;
}

describe('a change of colour is an event (L5, T+0)', () => {
  it('records a new person as red from the start, in the history and in the gate’s read model', async () => {
    const personId = await personAt(siteA);
    const history = (await hr.get(`/people/${personId}/status/history`)).body.items;
    expect(history).toEqual([expect.objectContaining({ from: null, to: 'red', cause: 'person.create' })]);
    expect(await getItem(`T#events#PERSON#${personId}`, 'GATE')).toMatchObject({
      gateAccess: 'frozen',
      color: 'red',
      nameMasked: '韩**',
    });
  });

  it('unfreezes at the gate in the same write that turns the person green', async () => {
    const personId = await personAt(siteA);
    await hr.post(`/people/${personId}/certificates`, samrCertificate(400));
    expect(await getItem(`T#events#PERSON#${personId}`, 'GATE')).toMatchObject({
      gateAccess: 'allowed',
      color: 'green',
    });
    const history = (await hr.get(`/people/${personId}/status/history`)).body.items;
    expect(history.map((h: { from: string; to: string }) => `${h.from}→${h.to}`)).toEqual([
      'red→green',
      'null→red',
    ]);
    expect(history[0]).toMatchObject({ cause: 'certificate.create', actor: { role: 'hr' } });
  });

  it('sends a freeze notice to the holder, their site’s managers and HR when a person turns red — and to nobody else', async () => {
    const personId = await personAt(siteA);
    await hr.post(`/people/${personId}/certificates`, samrCertificate(400));
    await hr.post(`/people/${personId}/certificates`, samrCertificate(-2, { category: 'Q2' }));

    expect(await getItem(`T#events#PERSON#${personId}`, 'GATE')).toMatchObject({
      gateAccess: 'frozen',
      reasons: ['expired'],
    });
    const holder = await api.as({ tenantId: 'events', role: 'auditor', personId, subject: 'worker-1' });
    const managerA = await api.as({ tenantId: 'events', role: 'site_manager', siteIds: [siteA] });
    const managerB = await api.as({ tenantId: 'events', role: 'site_manager', siteIds: [siteB] });
    const freezeFor = async (client: ApiClient) =>
      (await client.get('/me/inbox')).body.items.filter(
        (m: { kind: string; personId: string }) => m.kind === 'freeze_notice' && m.personId === personId,
      );

    expect(await freezeFor(holder)).toHaveLength(1);
    expect(await freezeFor(managerA)).toHaveLength(1);
    expect(await freezeFor(hr)).toHaveLength(1);
    expect(await freezeFor(managerB)).toHaveLength(0);
    const [notice] = await freezeFor(managerA);
    expect(notice).toMatchObject({
      color: 'red',
      nameMasked: '韩**',
      title: '已冻结：韩**',
      reasons: [expect.objectContaining({ code: 'expired' })],
    });
    expect(await auditTrail('events', today())).toContainEqual(
      expect.objectContaining({
        action: 'person.status.change',
        entityId: personId,
        details: expect.objectContaining({ from: 'green', to: 'red' }),
      }),
    );
  });

  it('gives the holder a review task when a certificate turns yellow, in English on request', async () => {
    const personId = await personAt(siteB);
    await hr.post(`/people/${personId}/certificates`, samrCertificate(400));
    await hr.post(`/people/${personId}/certificates`, samrCertificate(40, { category: 'N2' }));
    const holder = await api.as({ tenantId: 'events', role: 'auditor', personId, subject: 'worker-2' });
    const inbox = (await holder.get('/me/inbox', { 'accept-language': 'en' })).body.items;
    // Newest first: the review task, then the unfreeze notice from the first certificate.
    expect(inbox.map((m: { kind: string }) => m.kind)).toEqual(['review_task', 'unfreeze_notice']);
    expect(inbox[0]).toMatchObject({ title: 'Certificate review task: 韩**' });
    expect(inbox[0].reasons[0].detail).toContain('40 days left');
  });

  it('hides another tenant’s history (404)', async () => {
    const personId = await personAt(siteA);
    const other = await api.as({ tenantId: 'other', role: 'group_admin' });
    expect((await other.get(`/people/${personId}/status/history`)).status).toBe(404);
  });
});
