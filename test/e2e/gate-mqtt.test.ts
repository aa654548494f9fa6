import { compactVerify, importJWK } from 'jose';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import { publishChangedAllowlists } from '../../functions/gates/allowlists.ts';
import { gateScanAction } from '../../infra/local/gate-rule.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { LocalGateProvisioner } from '../../infra/local/local-gates.ts';
import { type LocalMqtt, startLocalMqtt } from '../../infra/local/mqtt-broker.ts';
import { type ApiClient, allItems, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;
let ca: LocalCa;
let broker: LocalMqtt;
let gateA: string;
let gateB: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  ca = await LocalCa.create();
  broker = await startLocalMqtt(ca, gateScanAction(allAdapters()));
  api = await startTestApi({
    gateDevices: {
      provisioner: new LocalGateProvisioner(ca, broker.url, (gateId) => broker.disconnect(gateId)),
      publisher: broker,
    },
  });
  const admin = await api.as({ tenantId: 'mqtt', role: 'group_admin' });
  const siteId = (
    await admin.post('/sites', { name: '临港', code: 'LG', location: { lat: 30.9, lng: 121.9 } })
  ).body.siteId;
  gateA = `mqtt:${siteId}:east`;
  gateB = `mqtt:${siteId}:west`;
  hr = await api.as({ tenantId: 'mqtt', role: 'hr' });
  for (const [daysLeft, badgeUid] of [
    [300, '0A000001'],
    [-1, '0A000002'],
  ] as const) {
    const p = (await hr.post('/people', { name: '闸机', idNumber: newIdNumber() })).body.personId;
    await hr.post(`/people/${p}/certificates`, samrCertificate(daysLeft));
    await hr.post(`/people/${p}/badges`, { badgeUid });
  }
}, 60_000);

/** The changed-allowlists job with the local broker as its gate transport. */
const publishAllowlists = () => publishChangedAllowlists({ ...allAdapters(), publisher: broker });

afterAll(async () => {
  for (const c of clients) c.end(true);
  await broker?.close();
  await api.close();
});

async function device(
  gateId: string,
  options: { clientId?: string; withCert?: boolean } = {},
): Promise<MqttClient> {
  const cert = await ca.deviceCertificate(gateId);
  const client = mqtt.connect(broker.url, {
    clientId: options.clientId ?? gateId,
    ca: ca.certificatePem,
    ...(options.withCert === false ? {} : { cert: cert.certificatePem, key: cert.privateKeyPem }),
    reconnectPeriod: 0,
    connectTimeout: 3000,
  });
  clients.push(client);
  return client;
}

function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed')));
  });
}

function decisionFor(
  client: MqttClient,
  gateId: string,
  scanId: string,
  timeoutMs = 5000,
): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    client.on('message', (topic, payload) => {
      const body = JSON.parse(payload.toString()) as Record<string, unknown>;
      if (topic === `gates/${gateId}/decision` && body.scanId === scanId) {
        clearTimeout(timer);
        resolve(body);
      }
    });
  });
}

const scan = (scanId: string, badgeUid: string) =>
  JSON.stringify({ scanId, badgeUid, direction: 'in', at: new Date().toISOString() });

describe('gates over MQTT-TLS (X2)', () => {
  it('provisions a gate through the API and lets it scan with the bundle it got once', async () => {
    const admin = await api.as({ tenantId: 'mqtt', role: 'group_admin' });
    const siteId = gateA.split(':')[1];
    const res = await admin.post(`/sites/${siteId}/gates`, { gate: 'north' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      gateId: `mqtt:${siteId}:north`,
      topics: { scan: `gates/mqtt:${siteId}:north/scan` },
    });
    expect((await admin.post(`/sites/${siteId}/gates`, { gate: 'north' })).status).toBe(409);
    const other = await api.as({ tenantId: 'other', role: 'group_admin' });
    expect((await other.post(`/sites/${siteId}/gates`, { gate: 'x' })).status).toBe(404);
    const gate = mqtt.connect(res.body.mqttUrl, {
      clientId: res.body.gateId,
      ca: res.body.caPem,
      cert: res.body.certificatePem,
      key: res.body.privateKeyPem,
      reconnectPeriod: 0,
    });
    clients.push(gate);
    await connected(gate);
    await gate.subscribeAsync(res.body.topics.decision, { qos: 1 });
    const answer = decisionFor(gate, res.body.gateId, 'mqtt-prov-0001');
    await gate.publishAsync(res.body.topics.scan, scan('mqtt-prov-0001', '0A000001'), { qos: 1 });
    expect(await answer).toMatchObject({ decision: 'allow' });
  });

  it('answers a scan by a certified gate: allow for a green worker, deny for a red one', async () => {
    const gate = await device(gateA);
    await connected(gate);
    await gate.subscribeAsync(`gates/${gateA}/decision`, { qos: 1 });
    const allowed = decisionFor(gate, gateA, 'mqtt-scan-0001');
    await gate.publishAsync(`gates/${gateA}/scan`, scan('mqtt-scan-0001', '0A000001'), { qos: 1 });
    expect(await allowed).toMatchObject({
      scanId: 'mqtt-scan-0001',
      decision: 'allow',
      reason: 'ok',
      person: { color: 'green' },
    });
    const denied = decisionFor(gate, gateA, 'mqtt-scan-0002');
    await gate.publishAsync(`gates/${gateA}/scan`, scan('mqtt-scan-0002', '0A000002'), { qos: 1 });
    expect(await denied).toMatchObject({
      decision: 'deny',
      reason: 'person_frozen',
      person: { color: 'red' },
    });
  });

  it('gives a redelivered scan the same decision and counts one check-in', async () => {
    const gate = await device(gateA, { clientId: gateA });
    await connected(gate);
    await gate.subscribeAsync(`gates/${gateA}/decision`, { qos: 1 });
    const message = scan('mqtt-scan-dup1', '0A000001'); // a redelivery is the very same message
    const first = decisionFor(gate, gateA, 'mqtt-scan-dup1');
    await gate.publishAsync(`gates/${gateA}/scan`, message, { qos: 1 });
    const firstDecision = await first;
    const second = decisionFor(gate, gateA, 'mqtt-scan-dup1');
    await gate.publishAsync(`gates/${gateA}/scan`, message, { qos: 1 });
    expect(await second).toEqual(firstDecision);
    const scans = (await allItems()).filter((i) => i.entity === 'scan' && i.scanId === 'mqtt-scan-dup1');
    expect(scans).toHaveLength(1);
  });

  it('does not let a gate publish on another gate’s topic', async () => {
    const watcher = await device(gateA, { clientId: gateA });
    await connected(watcher);
    await watcher.subscribeAsync(`gates/${gateA}/decision`, { qos: 1 });
    const intruder = await device(gateB);
    await connected(intruder);
    const answer = decisionFor(watcher, gateA, 'mqtt-scan-evil', 2000);
    intruder.publish(`gates/${gateA}/scan`, scan('mqtt-scan-evil', '0A000001'), { qos: 1 });
    expect(await answer).toBeUndefined();
    expect((await allItems()).some((i) => i.scanId === 'mqtt-scan-evil')).toBe(false);
  });

  it('hands a gate its site’s signed allowlist, retained, and only its own', async () => {
    const admin = await api.as({ tenantId: 'mqtt', role: 'group_admin' });
    const siteId = gateA.split(':')[1];
    const bundle = (await admin.post(`/sites/${siteId}/gates`, { gate: 'south' })).body;
    // Published before the gate connects: a retained message still reaches it.
    await publishAllowlists();
    const gate = mqtt.connect(bundle.mqttUrl, {
      clientId: bundle.gateId,
      ca: bundle.caPem,
      cert: bundle.certificatePem,
      key: bundle.privateKeyPem,
      reconnectPeriod: 0,
    });
    clients.push(gate);
    await connected(gate);
    const received = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      gate.on('message', (topic, payload, packet) => {
        if (topic === `gates/${bundle.gateId}/allowlist/0`)
          resolve({ payload: payload.toString(), retain: packet.retain });
      }),
    );
    await gate.subscribeAsync(bundle.topics.allowlist, { qos: 1 });
    const message = await received;
    expect(message.retain).toBe(true);
    const { payload } = await compactVerify(message.payload, await importJWK(bundle.allowlistKey, 'ES256'));
    const list = JSON.parse(new TextDecoder().decode(payload));
    expect(list).toMatchObject({ siteId, allow: ['0A000001'], deny: { '0A000002': 'person_frozen' } });
    // Another site's gate cannot subscribe to this gate's allowlist.
    const intruder = await device(gateB);
    await connected(intruder);
    expect(bundle.topics.allowlist).toBe(`gates/${bundle.gateId}/allowlist/+`);
    for (const filter of [bundle.topics.allowlist, `gates/${bundle.gateId}/allowlist/0`])
      await expect(intruder.subscribeAsync(filter, { qos: 1 })).rejects.toThrow(/Subscribe error/);
  });

  it('cuts a retired gate off: dropped, refused on reconnect, its retained allowlist cleared', async () => {
    const admin = await api.as({ tenantId: 'mqtt', role: 'group_admin' });
    const siteId = gateA.split(':')[1];
    const bundle = (await admin.post(`/sites/${siteId}/gates`, { gate: 'lost' })).body;
    await publishAllowlists();
    const connect = () =>
      mqtt.connect(bundle.mqttUrl, {
        clientId: bundle.gateId,
        ca: bundle.caPem,
        cert: bundle.certificatePem,
        key: bundle.privateKeyPem,
        reconnectPeriod: 0,
      });
    const gate = connect();
    clients.push(gate);
    await connected(gate);
    const dropped = new Promise<void>((resolve) => gate.once('close', () => resolve()));
    const res = await admin.raw('DELETE', `/sites/${siteId}/gates/lost`, undefined);
    expect(res.status).toBe(204);
    await dropped;
    const again = connect();
    clients.push(again);
    await expect(connected(again)).rejects.toThrow();
    expect((await admin.raw('DELETE', `/sites/${siteId}/gates/lost`, undefined)).status).toBe(404);
    const listed = (await admin.get(`/sites/${siteId}/gates`)).body.items;
    expect(listed.find((g: { gateId: string }) => g.gateId === bundle.gateId)?.status).toBe('retired');
    // Provisioned anew (a replacement device under the same name): no stale list is waiting for it.
    const fresh = (await admin.post(`/sites/${siteId}/gates`, { gate: 'lost' })).body;
    const replacement = mqtt.connect(fresh.mqttUrl, {
      clientId: fresh.gateId,
      ca: fresh.caPem,
      cert: fresh.certificatePem,
      key: fresh.privateKeyPem,
      reconnectPeriod: 0,
    });
    clients.push(replacement);
    await connected(replacement);
    const got: string[] = [];
    replacement.on('message', (_t, payload) => got.push(payload.toString()));
    await replacement.subscribeAsync(fresh.topics.allowlist, { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(got.filter((p) => p.length > 0)).toEqual([]);
  });

  it('refuses a device without a certificate, and one using another id than its certificate’s', async () => {
    await expect(connected(await device(gateA, { withCert: false }))).rejects.toThrow();
    await expect(connected(await device(gateB, { clientId: gateA }))).rejects.toThrow();
  });
});

describe('the local IoT Core stand-in under load and failure', () => {
  it('decides and records every one of a burst of scans from one gate: none acknowledged and lost', async () => {
    const gate = await device(gateA, { clientId: gateA });
    await connected(gate);
    await gate.subscribeAsync(`gates/${gateA}/decision`, { qos: 1 });
    const decided = new Set<string>();
    gate.on('message', (_topic, payload) => decided.add(String(JSON.parse(payload.toString()).scanId)));
    const ids = Array.from({ length: 150 }, (_, i) => `burst-${String(i).padStart(6, '0')}`);
    // All at once, as a gate catching up after a network blip would send them.
    await Promise.all(
      ids.map((id) => gate.publishAsync(`gates/${gateA}/scan`, scan(id, '0A000001'), { qos: 1 })),
    );
    const deadline = Date.now() + 30_000;
    while (decided.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(decided.size).toBe(ids.length);
    const recorded = (await allItems()).filter(
      (i) => i.entity === 'scan' && String(i.scanId).startsWith('burst-'),
    );
    expect(recorded).toHaveLength(ids.length);
  }, 60_000);

  it('raises the 50 km / 24 h alert to both sites’ managers once the gate has its answer', async () => {
    const admin = await api.as({ tenantId: 'mqtt', role: 'group_admin' });
    const homeSite = gateA.split(':')[1] as string;
    const far = (
      await admin.post('/sites', { name: '天津', code: 'TJ', location: { lat: 39.1, lng: 117.2 } })
    ).body.siteId as string;
    const farGate = `mqtt:${far}:main`;
    const p = (await hr.post('/people', { name: '远行', idNumber: newIdNumber() })).body.personId as string;
    await hr.post(`/people/${p}/certificates`, samrCertificate(300));
    await hr.post(`/people/${p}/badges`, { badgeUid: '0A00000F' });
    const here = await device(gateA);
    const there = await device(farGate);
    await Promise.all([connected(here), connected(there)]);
    await here.subscribeAsync(`gates/${gateA}/decision`, { qos: 1 });
    await there.subscribeAsync(`gates/${farGate}/decision`, { qos: 1 });
    const first = decisionFor(here, gateA, 'mqtt-trav-0001');
    await here.publishAsync(`gates/${gateA}/scan`, scan('mqtt-trav-0001', '0A00000F'), { qos: 1 });
    expect(await first).toMatchObject({ decision: 'allow' });
    const second = decisionFor(there, farGate, 'mqtt-trav-0002');
    await there.publishAsync(`gates/${farGate}/scan`, scan('mqtt-trav-0002', '0A00000F'), { qos: 1 });
    const answer = await second;
    expect(answer).toMatchObject({ decision: 'allow' }); // an alert, not a refusal
    expect(answer).not.toHaveProperty('travel');
    // The PUBACK follows the function's whole run: the notices are there once it is back.
    for (const site of [homeSite, far]) {
      const manager = await api.as({ tenantId: 'mqtt', role: 'site_manager', siteIds: [site] });
      const alerts = (await manager.get('/me/inbox')).body.items.filter(
        (m: { kind: string; personId: string }) => m.kind === 'travel_alert' && m.personId === p,
      );
      expect(alerts, site).toMatchObject([{ travel: { fromSiteId: homeSite, toSiteId: far } }]);
    }
  });

  it('refuses a message over IoT Core’s 128 KB, as IoT Core does', async () => {
    const gate = await device(gateA, { clientId: gateA });
    await connected(gate);
    const closed = new Promise<void>((resolve) => gate.once('close', () => resolve()));
    gate.publish(
      `gates/${gateA}/scan`,
      JSON.stringify({ scanId: 'huge-000001', pad: 'x'.repeat(129 * 1024) }),
      {
        qos: 1,
      },
    );
    await closed;
    expect((await allItems()).some((i) => i.scanId === 'huge-000001')).toBe(false);
  });

  it('retries a scan whose processing fails, and acknowledges it only once it is decided', async () => {
    let failures = 2;
    const calls: string[] = [];
    const flaky = await startLocalMqtt(ca, async (_gateId, message) => {
      calls.push(String((message as { scanId: string }).scanId));
      if (failures-- > 0) throw new Error('emulator hiccup');
      return {
        decision: { scanId: (message as { scanId: string }).scanId, decision: 'allow', reason: 'ok' },
      };
    });
    try {
      const cert = await ca.deviceCertificate(gateB);
      const gate = mqtt.connect(flaky.url, {
        clientId: gateB,
        ca: ca.certificatePem,
        cert: cert.certificatePem,
        key: cert.privateKeyPem,
        reconnectPeriod: 0,
      });
      clients.push(gate);
      await connected(gate);
      await gate.subscribeAsync(`gates/${gateB}/decision`, { qos: 1 });
      const answer = decisionFor(gate, gateB, 'flaky-00001', 10_000);
      await gate.publishAsync(`gates/${gateB}/scan`, scan('flaky-00001', '0A000001'), { qos: 1 }); // resolves on PUBACK
      expect(calls).toEqual(['flaky-00001', 'flaky-00001', 'flaky-00001']); // decided before the PUBACK
      expect(await answer).toMatchObject({ decision: 'allow' });
    } finally {
      await flaky.close();
    }
  });
});
