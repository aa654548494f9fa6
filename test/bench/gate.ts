// Gate decision path: handler time per scan (p50/p99) and DynamoDB reads per scan against
// moto, and the MQTT-TLS round trip through the local broker.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import mqtt from 'mqtt';
import { DynamoAllowlistState } from '../../functions/gates/allowlist-store.ts';
import { MAX_ALLOWLIST_BYTES, publishTenantAllowlists } from '../../functions/gates/allowlists.ts';
import { DynamoScanStore } from '../../functions/gates/scan-store.ts';
import { handleScan } from '../../functions/gates/scans.ts';
import { DynamoTravelAlertStore } from '../../functions/gates/travel-alert-store.ts';
import { InboxNotifier } from '../../functions/notifications/inbox-store.ts';
import { DynamoQuizStore } from '../../functions/quizzes/quiz-store.ts';
import { quizInductions } from '../../functions/quizzes/site-quiz.ts';
import { DynamoSettingsRepository } from '../../functions/settings/settings-repository.ts';
import { KmsAllowlistSigner } from '../../functions/shared/allowlist-signer.ts';
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { systemClock } from '../../functions/shared/clock.ts';
import { meterReads } from '../../functions/shared/dynamo/read-meter.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import { DISPATCH_POLICY } from '../../functions/tickets/dispatch-rules.ts';
import { mintDevToken } from '../../infra/local/dev-tokens.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { gateScanAction } from '../../infra/local/gate-rule.ts';
import { startGateway } from '../../infra/local/gateway.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { startLocalMqtt } from '../../infra/local/mqtt-broker.ts';
import { provisionBench } from './bench-stack.ts';

/** Building, signing (KMS on moto) and publishing a site's allowlist, by number of badges. */
async function benchAllowlists(db: DynamoDBDocumentClient, table: string, siteId: string): Promise<string[]> {
  const tenantId = 'bench-allow';
  const sent: number[] = [];
  const deps = {
    allowlists: new DynamoAllowlistState(db, table),
    signer: new KmsAllowlistSigner(process.env.ALLOWLIST_KEY_ID as string),
    publisher: { publish: async (_t: string, payload: string) => void sent.push(Buffer.byteLength(payload)) },
    clock: systemClock,
  };
  await db.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.gate(tenantId, `${tenantId}:${siteId}:g1`),
        gateId: `${tenantId}:${siteId}:g1`,
        siteId,
        status: 'active',
      },
    }),
  );
  const lines: string[] = [];
  let have = 0;
  for (const badges of [1000, 4000]) {
    const items = [];
    for (let i = have; i < badges; i++) {
      const uid = `0C${i.toString(16).toUpperCase().padStart(6, '0')}`;
      const personId = `per_BENCH${String(i).padStart(8, '0')}`;
      items.push(
        {
          ...keys.badge(tenantId, uid),
          ...keys.badgeIndex(tenantId, uid),
          badgeUid: uid,
          personId,
          active: true,
        },
        {
          ...keys.gateView(tenantId, personId),
          personId,
          nameMasked: '张*',
          color: i % 10 === 0 ? 'red' : 'green',
          gateAccess: i % 10 === 0 ? 'frozen' : 'allowed',
          reasons: [],
        },
      );
    }
    for (let i = 0; i < items.length; i += 25) {
      await db.send(
        new BatchWriteCommand({
          RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
    have = badges;
    const t0 = performance.now();
    await publishTenantAllowlists(deps, tenantId, new Date());
    const ms = performance.now() - t0;
    const bytes = sent.at(-1) as number;
    lines.push(
      `allowlist of ${badges} badges (10% denied): built, signed in KMS and published in ${ms.toFixed(0)} ms (moto); ` +
        `${(bytes / 1024).toFixed(1)} KB signed, ${(bytes / badges).toFixed(1)} B per badge → ` +
        `~${Math.floor((MAX_ALLOWLIST_BYTES * badges) / bytes)} badges fit IoT Core's 128 KB`,
    );
  }
  return lines;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

export async function benchGate(scans = 200): Promise<string[]> {
  const emulator = await startMoto();
  try {
    const resources = await provisionBench(emulator.endpoint, 'bench-gate');
    const key = new Uint8Array(randomBytes(32));
    const gateway = await startGateway({ port: 0, jwtKey: key });
    const token = await mintDevToken(key, { tenantId: 'bench', role: 'group_admin' });
    const call = async (path: string, body: unknown) =>
      (await (
        await fetch(`${gateway.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as Record<string, string>;
    const siteId = (await call('/sites', { name: 'bench', code: 'B', location: { lat: 30, lng: 120 } }))
      .siteId as string;
    const first17 = '33010619900101123';
    const personId = (
      await call('/people', {
        name: '基准',
        idNumber: `${first17}${residentIdCheckChar(first17)}`,
        homeSiteId: siteId,
      })
    ).personId as string;
    const today = todayInShanghai();
    await call(`/people/${personId}/certificates`, {
      scheme: 'SAMR',
      category: 'N1',
      number: 'TS-BENCH',
      issuedOn: addDays(today, -10),
      expiresOn: addDays(addYears(today, 4), -11),
    });
    await call(`/people/${personId}/badges`, { badgeUid: '0B0B0B0B' });
    await gateway.close();

    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const meter = meterReads(db);
    const store = {
      scans: new DynamoScanStore(db, resources.tableName, systemClock),
      inductions: quizInductions({
        quizzes: new DynamoQuizStore(
          db,
          resources.tableName,
          new InboxNotifier(resources.tableName),
          systemClock,
        ),
        clock: systemClock,
      }),
      travel: new DynamoTravelAlertStore(
        db,
        resources.tableName,
        new InboxNotifier(resources.tableName),
        (tenantId) =>
          new DynamoSettingsRepository(db, resources.tableName, systemClock).read(tenantId, DISPATCH_POLICY),
      ),
      clock: systemClock,
    };
    const gateId = `bench:${siteId}:g1`;
    const handlerMs: number[] = [];
    Object.assign(meter, { calls: 0, items: 0 });
    let writes = 0;
    for (let i = 0; i < scans; i++) {
      const t0 = performance.now();
      await handleScan(store, gateId, {
        scanId: `bench-${i}-${Date.now()}`,
        badgeUid: '0B0B0B0B',
        direction: 'in',
        at: new Date().toISOString(),
      });
      handlerMs.push(performance.now() - t0);
      writes++;
    }
    const lines = [
      `handler: p50 ${pct(handlerMs, 50).toFixed(1)} ms, p99 ${pct(handlerMs, 99).toFixed(1)} ms over ${scans} scans (moto); ` +
        `${(meter.calls / scans).toFixed(2)} reads and ${(writes / scans).toFixed(0)} write transaction per scan`,
    ];

    const ca = await LocalCa.create();
    const broker = await startLocalMqtt(ca, gateScanAction(store));
    const cert = await ca.deviceCertificate(gateId);
    const client = await mqtt.connectAsync(broker.url, {
      clientId: gateId,
      ca: ca.certificatePem,
      cert: cert.certificatePem,
      key: cert.privateKeyPem,
      reconnectPeriod: 0,
    });
    await client.subscribeAsync(`gates/${gateId}/decision`, { qos: 1 });
    const waiting = new Map<string, (v: unknown) => void>();
    client.on('message', (_t, payload) => {
      const body = JSON.parse(payload.toString()) as { scanId: string };
      waiting.get(body.scanId)?.(body);
    });
    const roundTrip: number[] = [];
    for (let i = 0; i < 100; i++) {
      const scanId = `rt-${i}-${Date.now()}`;
      const done = new Promise((r) => waiting.set(scanId, r));
      const t0 = performance.now();
      await client.publishAsync(
        `gates/${gateId}/scan`,
        JSON.stringify({ scanId, badgeUid: '0B0B0B0B', direction: 'in', at: new Date().toISOString() }),
        { qos: 1 },
      );
      await done;
      roundTrip.push(performance.now() - t0);
    }
    await client.endAsync();
    await broker.close();
    lines.push(
      `MQTT-TLS round trip (publish scan → decision received): p50 ${pct(roundTrip, 50).toFixed(1)} ms, p99 ${pct(roundTrip, 99).toFixed(1)} ms over 100 scans`,
    );
    lines.push(...(await benchAllowlists(db, resources.tableName, siteId)));
    return lines;
  } finally {
    await emulator.stop();
  }
}
