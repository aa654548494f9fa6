// Closing a site over the API (issue 28): its gates retired (their allowlists cleared), no
// new ticket there, nobody given it as home site, the people whose home it was counted for
// reassignment; optimistic like every correction; reopening lifts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatePublisher } from '../../functions/gates/gate-publisher.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { LocalGateProvisioner } from '../../infra/local/local-gates.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'closing';
const sent: { topic: string; payload: string; retain: boolean }[] = [];
const recorder: GatePublisher = {
  publish: async (topic, payload, { retain }) => {
    sent.push({ topic, payload, retain });
  },
};
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi({
    gateDevices: {
      provisioner: new LocalGateProvisioner(await LocalCa.create(), 'mqtts://127.0.0.1:8883'),
      publisher: recorder,
    },
  });
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
});
afterAll(() => api.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const send = (client: ApiClient, method: string, path: string, body: unknown, etag?: string) =>
  client.raw(method, path, body === undefined ? undefined : JSON.stringify(body), {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(etag ? { 'if-match': etag } : {}),
  });

describe('closing a site', () => {
  it('retires its gates, takes no ticket or home-site assignment, counts who to reassign; reopening lifts it', async () => {
    const siteId = (
      await admin.post('/sites', { name: '北仑', code: 'BL', location: { lat: 29.9, lng: 121.8 } })
    ).body.siteId as string;
    for (const gate of ['north', 'south'])
      expect((await admin.post(`/sites/${siteId}/gates`, { gate })).status).toBe(201);
    const homed = [];
    for (const name of ['甲', '乙'])
      homed.push(
        (await hr.post('/people', { name, idNumber: newIdNumber(), homeSiteId: siteId })).body.personId,
      );
    const etag = (await admin.get(`/sites/${siteId}`)).headers.get('etag') as string;
    const path = `/sites/${siteId}/closure`;
    expect((await send(admin, 'POST', path, { reason: '项目结束' })).status).toBe(428);
    expect((await send(admin, 'POST', path, { reason: '项目结束' }, '"v9"')).status).toBe(412);
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    expect((await send(manager, 'POST', path, { reason: 'x' }, etag)).status).toBe(403);
    sent.length = 0;
    const closed = await send(admin, 'POST', path, { reason: '项目结束' }, etag);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      site: { siteId, closed: { reason: '项目结束', at: expect.any(String) } },
      homePeople: 2,
    });
    expect(closed.body.gatesRetired.sort()).toEqual([
      `${TENANT}:${siteId}:north`,
      `${TENANT}:${siteId}:south`,
    ]);
    // Any retained allowlist of theirs is cleared (none was published to this new site yet).
    expect(sent.every((m) => m.payload === '' && m.retain)).toBe(true);
    const gates = (await admin.get(`/sites/${siteId}/gates`)).body.items;
    expect(gates.map((g: { status: string }) => g.status)).toEqual(['retired', 'retired']);
    // Nothing new there: a gate, a home-site assignment, a ticket.
    expect((await admin.post(`/sites/${siteId}/gates`, { gate: 'east' })).status).toBe(409);
    expect(
      (await hr.post('/people', { name: '丙', idNumber: newIdNumber(), homeSiteId: siteId })).status,
    ).toBe(400);
    const ticket = await admin.post('/work-tickets', {
      siteId,
      type: 'hot_work',
      grade: '2',
      location: '1号罐区',
      plannedFrom: inMinutes(5),
      plannedTo: inMinutes(240),
      workers: [{ personId: homed[0], role: 'welder' }],
      leaderId: homed[1],
      approverIds: [homed[1]],
    });
    expect(ticket.status).toBe(409);
    expect(ticket.body.detail ?? JSON.stringify(ticket.body)).toMatch(/closed|关闭/);
    // The people to reassign are listed by their home site.
    const listed = (await hr.get(`/people?siteId=${siteId}`)).body.items;
    expect(listed.map((p: { personId: string }) => p.personId).sort()).toEqual([...homed].sort());
    const again = closed.headers.get('etag') as string;
    expect((await send(admin, 'POST', path, { reason: '再次' }, again)).status).toBe(409);
    const reopened = await send(admin, 'DELETE', path, undefined, again);
    expect(reopened.status).toBe(200);
    expect(reopened.body.closed).toBeUndefined();
    expect(
      (await hr.post('/people', { name: '丁', idNumber: newIdNumber(), homeSiteId: siteId })).status,
    ).toBe(201);
    expect((await admin.post(`/sites/${siteId}/gates`, { gate: 'north' })).status).toBe(201);
    const trail = await admin.get(`/audit?entityId=${siteId}&limit=20`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['site.close', 'site.reopen', 'gate.retire']),
    );
  });
});

describe('a site’s geofence', () => {
  const square = (lng: number, lat: number, d: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lng - d, lat - d],
        [lng + d, lat - d],
        [lng + d, lat + d],
        [lng - d, lat + d],
        [lng - d, lat - d],
      ],
    ],
  });
  const questions = [
    { questionId: 'fire', text: '动火作业前必须？', options: ['办理动火证', '口头告知'], answer: 0 },
    { questionId: 'gas', text: '有限空间作业前必须？', options: ['直接进入', '先检测气体'], answer: 1 },
    { questionId: 'crane', text: '吊装区域下方？', options: ['禁止站人', '可以通行'], answer: 0 },
  ];

  it('is checked around the site, and a worker’s phone entering it opens the safety quiz once', async () => {
    const refused = await admin.post('/sites', {
      name: '错',
      code: 'BAD',
      location: { lat: 29.8, lng: 121.6 },
      // Latitude first by mistake: the fence is far from the site.
      geofence: square(29.8, 60, 0.005),
    });
    expect(refused.status).toBe(400);
    const made = await admin.post('/sites', {
      name: '大榭',
      code: 'DX',
      location: { lat: 29.93, lng: 121.95 },
      geofence: square(121.95, 29.93, 0.01),
    });
    expect(made.status).toBe(201);
    const siteId = made.body.siteId as string;
    expect((await admin.get(`/sites/${siteId}`)).body.geofence.coordinates[0]).toHaveLength(5);
    await admin.put(`/sites/${siteId}/safety`, {
      notice: '进入本厂区须佩戴安全帽。',
      questions,
      quizRequired: true,
    });
    const personId = (await hr.post('/people', { name: '新人', idNumber: newIdNumber() })).body
      .personId as string;
    const phone = await api.as({ tenantId: TENANT, role: 'worker', personId });
    const inside = { lat: 29.935, lng: 121.955 };
    const first = await phone.post('/sites/locate', inside);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ items: [{ siteId, name: '大榭', code: 'DX' }], inductionsOpened: [siteId] });
    const quizzes = (await phone.get(`/people/${personId}/quizzes`)).body.items;
    expect(quizzes).toEqual([expect.objectContaining({ siteId, status: 'pending' })]);
    // Still inside: the quiz is open already, nothing more.
    expect((await phone.post('/sites/locate', inside)).body.inductionsOpened).toEqual([]);
    expect((await phone.post('/sites/locate', { lat: 29.8, lng: 121.95 })).body.items).toEqual([]);
    expect((await phone.post('/sites/locate', { lat: 91, lng: 0 })).status).toBe(400);
    // A fence moved away from the site is refused; removed with null.
    const etag = (await admin.get(`/sites/${siteId}`)).headers.get('etag') as string;
    expect(
      (await send(admin, 'PATCH', `/sites/${siteId}`, { geofence: square(121.5, 29.5, 0.01) }, etag)).status,
    ).toBe(400);
    const removed = await send(admin, 'PATCH', `/sites/${siteId}`, { geofence: null }, etag);
    expect(removed.status).toBe(200);
    expect(removed.body.geofence).toBeUndefined();
    expect((await phone.post('/sites/locate', inside)).body.items).toEqual([]);
  });
});
