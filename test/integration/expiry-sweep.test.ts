import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters, badgeRepository } from '../../functions/composition-root.ts';
import { runExpirySweep } from '../../functions/jobs/expiry-sweep.ts';
import { jobsAdapters } from '../../functions/jobs/handler.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, samrCertificate } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: 'sweep', role: 'hr' });
});
afterAll(() => api.close());

async function personWith(cert: Record<string, unknown>) {
  const personId = (await hr.post('/people', { name: '林', idNumber: newIdNumber() })).body
    .personId as string;
  expect((await hr.post(`/people/${personId}/certificates`, cert)).status).toBe(201);
  return personId;
}

describe('the daily expiry sweep', () => {
  it('turns red exactly the people whose certificate lapsed, once, with all the events of a change', async () => {
    const lapsing = await personWith(samrCertificate(3));
    const steady = await personWith(samrCertificate(400));
    const day = daysFromToday(4);

    const first = await asFunction('jobs', () => runExpirySweep(allAdapters(), day));
    expect(first.colourChanges).toBeGreaterThanOrEqual(1);
    expect((await hr.get(`/people/${lapsing}`)).body).toMatchObject({ color: 'red', gateAccess: 'frozen' });
    expect(await getItem(`T#sweep#PERSON#${lapsing}`, 'GATE')).toMatchObject({
      gateAccess: 'frozen',
      reasons: ['expired'],
    });
    const history = (await hr.get(`/people/${lapsing}/status/history`)).body.items;
    expect(history[0]).toMatchObject({
      from: 'yellow',
      to: 'red',
      cause: 'expiry-sweep',
      effectiveOn: day,
      actor: { subject: 'system:expiry-sweep' },
    });
    const notices = (await hr.get('/me/inbox')).body.items.filter(
      (m: { personId: string }) => m.personId === lapsing,
    );
    expect(notices.map((m: { kind: string }) => m.kind)).toContain('freeze_notice');
    expect((await hr.get(`/people/${steady}`)).body.color).toBe('green');

    const again = await asFunction('jobs', () => runExpirySweep(allAdapters(), day));
    expect(again).toMatchObject({ daysSwept: [day], peopleChecked: 0, statusesStored: 0, colourChanges: 0 });
    expect((await hr.get(`/people/${lapsing}/status/history`)).body.items).toHaveLength(history.length);
  });

  it('catches up every day it missed', async () => {
    const person = await personWith(samrCertificate(8)); // red from today+9
    const result = await asFunction('jobs', () => runExpirySweep(allAdapters(), daysFromToday(12))); // last completed: today+4
    expect(result.daysSwept[0]).toBe(daysFromToday(5));
    expect(result.daysSwept).toHaveLength(8);
    expect((await hr.get(`/people/${person}`)).body.color).toBe('red');
  });

  it('moves yellow people to urgent and keeps them findable for their next change', async () => {
    const person = await personWith(samrCertificate(45)); // urgent from today+15
    await asFunction('jobs', () => runExpirySweep(allAdapters(), daysFromToday(15)));
    const item = await getItem(`T#sweep#PERSON#${person}`, 'PROFILE');
    expect(item?.status).toMatchObject({
      color: 'yellow',
      reasons: [{ code: 'expiring_urgent', days: 30 }],
      nextChangeOn: daysFromToday(46),
    });
    expect(String(item?.gsi4pk)).toMatch(new RegExp(`^SWEEP#${daysFromToday(46)}#\\d$`));
  });

  it('gives back what a leaver holds on the departure day it reaches', async () => {
    const person = await personWith(samrCertificate(400));
    const badgeUid = '0D00000001';
    expect((await hr.post(`/people/${person}/badges`, { badgeUid })).status).toBe(201);
    await hr.raw('PUT', `/people/${person}/bindings`, JSON.stringify({ wecomUserId: 'sweep-leaver' }), {
      'content-type': 'application/json',
    });
    const etag = (await hr.get(`/people/${person}`)).headers.get('etag') as string;
    const left = await hr.raw(
      'POST',
      `/people/${person}/departure`,
      JSON.stringify({ leftOn: daysFromToday(20), reason: '合同到期' }),
      { 'content-type': 'application/json', 'if-match': etag },
    );
    expect(left.status).toBe(200);
    expect(await badgeRepository().activeOf('sweep', person)).toEqual([badgeUid]);
    await asFunction('jobs', () => runExpirySweep(jobsAdapters(), daysFromToday(20)));
    expect((await hr.get(`/people/${person}`)).body.color).toBe('red');
    expect(await badgeRepository().activeOf('sweep', person)).toEqual([]);
    expect((await hr.get(`/people/${person}/bindings`)).body.wecomUserId).toBeUndefined();
  });
});
