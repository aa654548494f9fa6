// The alliance blacklist inside the product (O4) over the API: a group admin enters a worker
// with evidence and the legal basis; the worker is told, turns red, is denied at the gate
// (`blacklisted`), refused for dispatch and admission; they appeal, the group removes the
// entry, and everything lets them in again. Roles, other tenants and bad input are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import { handleScan } from '../../functions/gates/scans.ts';
import { addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, getItem, startTestApi, type TestApi } from '../support/api.ts';
import {
  daysFromToday,
  newIdNumber,
  newSubcontractor,
  storedEvidence,
  yearsFromToday,
} from '../support/fixtures.ts';

const TENANT = 'blk';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteId: string;
let subcontractorId: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '镇海', code: 'ZH', location: { lat: 29.95, lng: 121.7 } }))
    .body.siteId;
  subcontractorId = await newSubcontractor(admin);
});
afterAll(async () => {
  await api.close();
});

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
let scans = 0;

/** A green welder of the subcontractor, with a badge. */
async function welder(badgeUid: string) {
  const idNumber = newIdNumber();
  const personId = (
    await hr.post('/people', {
      name: '赵铁柱',
      idNumber,
      homeSiteId: siteId,
      employer: { type: 'subcontractor', subcontractorId },
    })
  ).body.personId as string;
  const cert = await hr.post(`/people/${personId}/certificates`, {
    scheme: 'MEM',
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn: daysFromToday(-30),
    expiresOn: yearsFromToday(6, -31),
  });
  expect(cert.status).toBe(201);
  expect((await hr.post(`/people/${personId}/badges`, { badgeUid })).status).toBe(201);
  return personId;
}

const scan = (badgeUid: string) =>
  asFunction('gates', () =>
    handleScan(allAdapters(), `${TENANT}:${siteId}:main`, {
      scanId: `blk-scan-${++scans}`,
      badgeUid,
      direction: 'in',
      at: inMinutes(-1),
    }),
  );

describe('the alliance blacklist inside the product (O4)', () => {
  it('keeps an entered worker out of the gate, dispatch and admission until the entry is removed on appeal', async () => {
    const personId = await welder('B1B1B101');
    expect((await scan('B1B1B101')).decision).toBe('allow');

    const created = await admin.post('/blacklist', {
      personId,
      reasonCode: 'forged_certificate',
      evidence: await storedEvidence(TENANT, personId),
      note: '焊工证照片与本人不符，原件系伪造',
    });
    expect(created.status).toBe(201);
    const entry = created.body;
    expect(entry).toMatchObject({
      personId,
      nameMasked: '赵**',
      subcontractorId,
      reasonCode: 'forged_certificate',
      state: 'active',
      inForce: true,
      createdOn: todayInShanghai(),
      expiresOn: addYears(todayInShanghai(), 3),
      source: { type: 'own' },
    });
    expect(entry.legalBasis).toContain('个人信息保护法');
    expect(created.headers.get('location')).toBe(`/blacklist/${entry.entryId}`);
    // The entry lives under the tenant; the hold rides on the gate view (one read per scan).
    const view = await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE');
    expect(view?.blacklist).toMatchObject({ entryId: entry.entryId, expiresOn: entry.expiresOn });
    expect(view?.gsi4pk).toBe('ALLOWLIST#DIRTY'); // offline lists republished without them
    // The entry: an explicit expiry day, and a TTL 90 days after it (DynamoDB deletes it then).
    const stored = await getItem(`T#${TENANT}`, `BLACKLIST#${entry.entryId}`);
    expect(stored?.expiresAt).toBe(Date.parse(`${entry.expiresOn}T00:00:00+08:00`) / 1000 + 90 * 86400);

    // Listed red at once, before anyone reads their status: lists (and the heat map) read the
    // stored status, which the entry's status write made red.
    const listed = async (color: string) =>
      (await admin.get(`/people?color=${color}`)).body.items.map((p: { personId: string }) => p.personId);
    expect(await listed('red')).toContain(personId);
    expect(await listed('green')).not.toContain(personId);
    const siteRed = (await admin.get(`/people?color=red&siteId=${siteId}`)).body.items;
    expect(siteRed.find((p: { personId: string }) => p.personId === personId)).toMatchObject({
      color: 'red',
      gateAccess: 'frozen',
    });

    // Told: what, until when, how to appeal — in their own inbox.
    const own = await api.as({
      tenantId: TENANT,
      role: 'subcontractor',
      subcontractorId,
      personId,
    });
    const inbox = (await own.get('/me/inbox')).body.items;
    const notice = inbox.find((m: { kind: string }) => m.kind === 'blacklist_notice');
    expect(notice.blacklist).toMatchObject({ entryId: entry.entryId, expiresOn: entry.expiresOn });
    expect(notice.body).toContain(entry.appealBy);
    expect(JSON.stringify(notice)).not.toContain('赵铁柱');

    // Red with `blacklisted` first; the gate denies; admission and dispatch refuse.
    const status = (await hr.get(`/people/${personId}/status`)).body;
    expect(status).toMatchObject({ color: 'red', gateAccess: 'frozen' });
    expect(status.reasons[0].code).toBe('blacklisted');
    const denied = await scan('B1B1B101');
    expect(denied).toMatchObject({ decision: 'deny', reason: 'blacklisted' });
    const admission = await hr.post('/onboarding', { personId, subcontractorId });
    expect(admission.status).toBe(422);
    expect(admission.body.violations).toEqual([
      expect.objectContaining({ code: 'person_blacklisted', personId }),
    ]);
    const leader = await welder('B1B1B102');
    const approver = await welder('B1B1B103');
    const ticket = await admin.post('/work-tickets', {
      siteId,
      type: 'hot_work',
      grade: '2',
      location: '3号罐区',
      plannedFrom: inMinutes(-5),
      plannedTo: inMinutes(240),
      workers: [{ personId, role: 'welder' }],
      leaderId: leader,
      approverIds: [approver],
    });
    expect(ticket.status).toBe(422);
    expect(ticket.body.violations).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'person_blacklisted', personId })]),
    );
    // A second entry while this one is in force: 409, nothing written.
    const again = await admin.post('/blacklist', {
      personId,
      reasonCode: 'borrowed_certificate',
      evidence: await storedEvidence(TENANT, personId),
    });
    expect(again.status).toBe(409);
    expect((await hr.get('/blacklist')).body.items).toHaveLength(1);

    // The appeal: the person themselves (hr may not appeal for them).
    expect(
      (await hr.post(`/blacklist/${entry.entryId}/appeal`, { statement: '我是本人，证书为培训机构发放。' }))
        .status,
    ).toBe(403);
    const appealed = await own.post(`/blacklist/${entry.entryId}/appeal`, {
      statement: '证书系本人在宁波培训中心考取，可提供考试记录。',
    });
    expect(appealed.status).toBe(200);
    expect(appealed.body).toMatchObject({ state: 'appealed', appeals: [{ by: { role: 'subcontractor' } }] });
    expect(appealed.body.evidence).toEqual([]); // the person does not get the evidence keys
    const hrInbox = (await hr.get('/me/inbox')).body.items;
    expect(hrInbox.some((m: { kind: string }) => m.kind === 'blacklist_appeal')).toBe(true);
    // Turning red told HR as any freeze does, `blacklisted` first among the reasons.
    const freeze = hrInbox.find(
      (m: { kind: string; personId?: string }) => m.kind === 'freeze_notice' && m.personId === personId,
    );
    expect(freeze?.reasons?.[0]).toMatchObject({ code: 'blacklisted' });

    // Only the group decides; removal lets them in again everywhere.
    expect(
      (await hr.post(`/blacklist/${entry.entryId}/decision`, { decision: 'remove', note: '核实' })).status,
    ).toBe(403);
    const removed = await admin.post(`/blacklist/${entry.entryId}/decision`, {
      decision: 'remove',
      note: '经培训中心核实，证书真实有效',
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      state: 'removed',
      inForce: false,
      decisions: [{ decision: 'remove' }],
    });
    expect(await listed('green')).toContain(personId);
    expect(await listed('red')).not.toContain(personId);
    expect((await hr.get(`/people/${personId}/status`)).body.color).toBe('green');
    expect((await scan('B1B1B101')).decision).toBe('allow');
    expect((await hr.get('/blacklist')).body.items).toHaveLength(0);
    expect((await hr.get('/blacklist?inForce=false')).body.items).toHaveLength(1);
    const outcome = (await own.get('/me/inbox')).body.items.find(
      (m: { kind: string }) => m.kind === 'blacklist_decision',
    );
    expect(outcome.blacklist.decision).toBe('remove');
    // Decided is decided: a removed entry takes no further decision or appeal.
    expect(
      (await admin.post(`/blacklist/${entry.entryId}/decision`, { decision: 'uphold', note: 'x' })).status,
    ).toBe(400);
  });

  it('refuses other roles, other tenants, foreign evidence and malformed input', async () => {
    const personId = await welder('B2B2B201');
    const body = {
      personId,
      reasonCode: 'serious_violation',
      evidence: await storedEvidence(TENANT, personId),
    };
    for (const role of ['hr', 'site_manager', 'subcontractor', 'auditor'] as const) {
      const client = await api.as({
        tenantId: TENANT,
        role,
        ...(role === 'site_manager' ? { siteIds: [siteId] } : {}),
        ...(role === 'subcontractor' ? { subcontractorId } : {}),
      });
      expect((await client.post('/blacklist', body)).status, role).toBe(403);
    }
    const other = await api.as({ tenantId: 'blk-other', role: 'group_admin' });
    expect((await other.post('/blacklist', body)).status).toBe(404); // not their person
    const foreign = await admin.post('/blacklist', {
      ...body,
      evidence: ['documents/t/blk-other/p/per_x/a.jpg', `documents/t/${TENANT}/../blk-other/a.jpg`],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'foreign_evidence',
      'foreign_evidence',
    ]);
    // The person's own key, well formed, but nothing was ever stored there.
    const missing = await admin.post(
      '/blacklist',
      { ...body, evidence: [...body.evidence, `documents/t/${TENANT}/p/${personId}/onb_9/forged.jpg`] },
      { 'accept-language': 'en' },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ field: 'evidence.1', code: 'evidence_not_found' }),
    ]);
    expect(missing.body.errors[0].message).toMatch(/No such evidence file/);
    for (const broken of [
      { ...body, reasonCode: 'dislike' },
      { ...body, evidence: [] },
      { ...body, evidence: Array.from({ length: 21 }, () => body.evidence[0]) },
      { ...body, note: 'x'.repeat(1001) },
      { ...body, extra: true },
      { ...body, personId: 'not-an-id' },
    ])
      expect((await admin.post('/blacklist', broken)).status, JSON.stringify(broken).slice(0, 80)).toBe(400);
    // Nothing was entered by any of those.
    const view = await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE');
    expect(view?.blacklist).toBeUndefined();

    const entry = (await admin.post('/blacklist', body)).body;
    expect((await other.get(`/blacklist/${entry.entryId}`)).status).toBe(404);
    expect(
      (await other.post(`/blacklist/${entry.entryId}/decision`, { decision: 'remove', note: 'x' })).status,
    ).toBe(404);
    // Another subcontractor's admin neither sees nor appeals it; a site manager cannot list.
    const rival = await api.as({
      tenantId: TENANT,
      role: 'subcontractor',
      subcontractorId: 'sub_rival0000000',
    });
    expect((await rival.get(`/blacklist/${entry.entryId}`)).status).toBe(404);
    expect(
      (await rival.post(`/blacklist/${entry.entryId}/appeal`, { statement: '与我公司无关的申诉理由' }))
        .status,
    ).toBe(404);
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    expect((await manager.get('/blacklist')).status).toBe(403);
    // Their own subcontractor may appeal for them; an upheld entry stays in force.
    const theirs = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId });
    expect((await theirs.get(`/blacklist/${entry.entryId}`)).status).toBe(200);
    expect((await theirs.post(`/blacklist/${entry.entryId}/appeal`, { statement: '短' })).status).toBe(400);
    expect(
      (
        await theirs.post(`/blacklist/${entry.entryId}/appeal`, {
          statement: '该工人违章情节已整改，申请复核。',
        })
      ).status,
    ).toBe(200);
    const upheld = await admin.post(`/blacklist/${entry.entryId}/decision`, {
      decision: 'uphold',
      note: '违章事实清楚',
    });
    expect(upheld.body).toMatchObject({ state: 'active', inForce: true });
    expect((await scan('B2B2B201')).reason).toBe('blacklisted');
  });
});
