// Gate load: N gates each sending R scans a second for T seconds over MQTT-TLS to the local
// IoT Core stand-in (bounded concurrency, acknowledged after the decision is stored),
// deciding through the real gate code on moto. Prints sent / acknowledged / decided /
// recorded / lost and the tap-to-decision latency. GATE_LOAD=NxRxT (default 10x10x60).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import mqtt, { type MqttClient } from 'mqtt';
import { allAdapters } from '../../functions/composition-root.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { gateScanAction } from '../../infra/local/gate-rule.ts';
import { LocalCa } from '../../infra/local/local-ca.ts';
import { startLocalMqtt } from '../../infra/local/mqtt-broker.ts';
import { provisionBench } from './bench-stack.ts';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

export async function benchGateLoad(): Promise<string[]> {
  const [gates, rate, seconds] = (process.env.GATE_LOAD ?? '10x10x60').split('x').map(Number) as [
    number,
    number,
    number,
  ];
  const emulator = await startMoto();
  try {
    const { tableName: table } = await provisionBench(emulator.endpoint, 'bench-gate-load');
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const tenantId = 'load';
    const siteId = 'site_LOADBENCH0000000000000000';
    await db.send(
      new PutCommand({ TableName: table, Item: { ...keys.site(tenantId, siteId), siteId, name: 'load' } }),
    );
    // 500 workers with badges and gate views (a tenth of them frozen).
    const badges: string[] = [];
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < 500; i++) {
      const uid = `0D${i.toString(16).toUpperCase().padStart(6, '0')}`;
      const personId = `per_LOAD${String(i).padStart(10, '0')}`;
      badges.push(uid);
      items.push(
        { ...keys.badge(tenantId, uid), badgeUid: uid, personId, active: true },
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
    for (let i = 0; i < items.length; i += 25)
      await db.send(
        new BatchWriteCommand({
          RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );

    const ca = await LocalCa.create();
    const broker = await startLocalMqtt(ca, gateScanAction(allAdapters()));
    const clients: MqttClient[] = [];
    const sentAt = new Map<string, number>();
    const latency: number[] = [];
    const reasons = new Map<string, number>();
    let acknowledged = 0;
    let sendErrors = 0;
    for (let g = 0; g < gates; g++) {
      const gateId = `${tenantId}:${siteId}:g${g}`;
      const cert = await ca.deviceCertificate(gateId);
      const client = await mqtt.connectAsync(broker.url, {
        clientId: gateId,
        ca: ca.certificatePem,
        cert: cert.certificatePem,
        key: cert.privateKeyPem,
        reconnectPeriod: 1000,
        clean: false, // a dropped connection resends what was not acknowledged
      });
      await client.subscribeAsync(`gates/${gateId}/decision`, { qos: 1 });
      client.on('message', (_t, payload) => {
        const { scanId, reason } = JSON.parse(payload.toString()) as { scanId: string; reason: string };
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        const t0 = sentAt.get(scanId);
        if (t0 !== undefined) {
          latency.push(performance.now() - t0);
          sentAt.delete(scanId);
        }
      });
      clients.push(client);
    }

    // Each gate taps at its rate, not waiting for answers (a queue of people at the turnstile).
    const started = performance.now();
    let sent = 0;
    const total = gates * rate * seconds;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * gates * rate));
        while (sent < due) {
          const g = sent % gates;
          const scanId = `load-${String(sent).padStart(8, '0')}`;
          const message = JSON.stringify({
            scanId,
            badgeUid: badges[sent % badges.length],
            direction: Math.floor(sent / badges.length) % 2 === 0 ? 'in' : 'out',
            at: new Date().toISOString(),
          });
          sentAt.set(scanId, performance.now());
          (clients[g] as MqttClient)
            .publishAsync(`gates/${tenantId}:${siteId}:g${g}/scan`, message, { qos: 1 })
            .then(
              () => void acknowledged++,
              () => void sendErrors++,
            );
          sent++;
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    // Let the queue drain until every scan is decided, or nothing moves for a minute.
    let lastProgress = performance.now();
    let lastDecided = latency.length;
    while (sentAt.size > 0 && performance.now() - lastProgress < 60_000) {
      await new Promise((r) => setTimeout(r, 500));
      if (latency.length !== lastDecided) {
        lastDecided = latency.length;
        lastProgress = performance.now();
      }
    }
    const drainedMs = performance.now() - started - seconds * 1000;
    let recorded = 0;
    // Scans are keyed per gate and scan id: count them with one scan of the table.
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'entity = :scan',
          ExpressionAttributeValues: { ':scan': 'scan' },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      recorded += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    for (const c of clients) await c.endAsync();
    await broker.close();
    const decided = latency.length;
    return [
      `${gates} gates × ${rate} scans/s × ${seconds} s over MQTT-TLS (bridge concurrency 4, moto): ` +
        `sent ${sent}, acknowledged ${acknowledged}, decided ${decided}, recorded ${recorded}, lost ${sent - recorded}` +
        (sendErrors ? `, publish errors ${sendErrors}` : ''),
      `throughput ${(decided / ((performance.now() - started) / 1000)).toFixed(1)} decisions/s; tap → decision: p50 ${pct(latency, 50).toFixed(0)} ms, p99 ${pct(latency, 99).toFixed(0)} ms; ` +
        `queue drained ${Math.max(0, drainedMs / 1000).toFixed(1)} s after the last tap`,
      `decisions by reason: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`,
    ];
  } finally {
    await emulator.stop();
  }
}
