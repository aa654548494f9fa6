// Sweep benchmark: the daily expiry sweep against 10k and then 100k certificates, with
// the same 200 people changing colour on the sweep day. Items read and wall time should
// stay about the same: the sweep reads the date index, not the certificates held.
// It runs as a dry run (every read, no write): moto deep-copies the whole table on each
// TransactWriteItems, which would measure moto, not the sweep. Writes are a fixed cost
// per changing person (one transaction each), independent of the table's size.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCertificateRepository } from '../../functions/certificates/certificate-repository.ts';
import { wireStatusWrites } from '../../functions/composition-root.ts';
import { type CertificateFacts, computePersonStatus } from '../../functions/domain/status-rules.ts';
import { runExpirySweep } from '../../functions/jobs/expiry-sweep.ts';
import { DynamoSweepIndex } from '../../functions/jobs/sweep-index-store.ts';
import { InboxNotifier } from '../../functions/notifications/inbox-store.ts';
import { DynamoPersonRepository, type PersonRecord } from '../../functions/people/person-repository.ts';
import { DynamoSettingsRepository } from '../../functions/settings/settings-repository.ts';
import { addDays, addYears, todayInShanghai } from '../../functions/shared/calendar.ts';
import { systemClock } from '../../functions/shared/clock.ts';
import { meterReads } from '../../functions/shared/dynamo/read-meter.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { DynamoStatusStore } from '../../functions/status/status-store.ts';
import { statusIndexKeys } from '../../functions/status/status-write-store.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { localEnvironment, provisionLocal } from '../../infra/local/provision.ts';

const CHANGING = 200;
/** Certificates per person: 10k certificates = 2,500 people, 100k = 25,000. */
const CERTS_PER_PERSON = 4;
const today = todayInShanghai();
const sweepDay = addDays(today, 10);

function personWithCertificates(tenantId: string, i: number, changing: boolean) {
  const personId = `per_BENCH${String(i).padStart(10, '0')}`;
  const certs = Array.from({ length: CERTS_PER_PERSON }, (_, c) => {
    // One certificate of a changing person lapses the day before the sweep day.
    const expiresOn =
      changing && c === 0 ? addDays(sweepDay, -1) : addDays(today, 200 + ((i + c * 97) % 1000));
    return {
      tenantId,
      personId,
      certificateId: `cer_BENCH${String(i).padStart(10, '0')}${c}`,
      scheme: 'SAMR' as const,
      category: ['N1', 'Q1', 'Q2', 'G1'][c] as string,
      number: `TS-${i}-${c}`,
      issuedOn: addDays(addYears(expiresOn, -4), 1),
      expiresOn,
      reviewDueOn: null,
      reviewIntervalExtended: false,
      createdAt: new Date().toISOString(),
      createdBy: 'bench',
    };
  });
  const person: PersonRecord = {
    tenantId,
    personId,
    name: '测试',
    idHash: `hash-${i}`,
    idNumberMasked: '3301**********0000',
    employer: { type: 'own' },
    status: computePersonStatus(certs as CertificateFacts[], today),
    version: 1,
    createdAt: new Date().toISOString(),
    createdBy: 'bench',
  };
  return [
    { ...keys.person(tenantId, personId), ...statusIndexKeys(person), entity: 'person', ...person },
    ...certs.map((cert) => ({
      ...keys.certificate(tenantId, personId, cert.certificateId),
      entity: 'certificate',
      ...cert,
    })),
  ];
}

async function load(
  db: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  from: number,
  to: number,
  changingUpTo: number,
) {
  const batch: Record<string, unknown>[] = [];
  const flush = async () => {
    const items = batch.splice(0, 25);
    if (items.length)
      await db.send(
        new BatchWriteCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }),
      );
  };
  for (let i = from; i < to; i++) {
    batch.push(...personWithCertificates(tenantId, i, i < changingUpTo));
    while (batch.length >= 25) await flush();
  }
  while (batch.length) await flush();
}

export async function benchSweep(totals = [10_000, 100_000]): Promise<string[]> {
  const emulator = await startMoto();
  const lines: string[] = [];
  try {
    for (const total of totals) {
      const resources = {
        tableName: `bench-sweep-${total}`,
        idHashKeySecretId: `bench/${total}`,
        workQueueName: `bench-${total}`,
        registryBaseUrl: 'http://127.0.0.1:9',
      };
      Object.assign(process.env, localEnvironment(emulator.endpoint, resources), { LOG_LEVEL: 'SILENT' });
      await provisionLocal(resources);
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
        marshallOptions: { removeUndefinedValues: true },
      });
      const t0 = performance.now();
      await load(db, resources.tableName, 'bench', 0, total / CERTS_PER_PERSON, CHANGING);
      const loadMs = performance.now() - t0;

      const metered = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
        marshallOptions: { removeUndefinedValues: true },
      });
      const meter = meterReads(metered);
      const table = resources.tableName;
      const statusWrites = wireStatusWrites(metered, table, new InboxNotifier(table));
      const deps = {
        sweepIndex: new DynamoSweepIndex(metered, table),
        people: new DynamoPersonRepository(metered, table, statusWrites),
        certificates: new DynamoCertificateRepository(metered, table, statusWrites, systemClock),
        settings: new DynamoSettingsRepository(metered, table, systemClock),
        statusStore: new DynamoStatusStore(metered, table, statusWrites),
        clock: systemClock,
      };
      // The days before the sweep day are done: the run covers exactly the sweep day.
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.jobState('expiry-sweep'), lastCompletedDate: addDays(sweepDay, -1) },
        }),
      );
      Object.assign(meter, { calls: 0, items: 0 });
      const t1 = performance.now();
      const result = await runExpirySweep(deps, sweepDay, { dryRun: true });
      const sweepMs = performance.now() - t1;
      lines.push(
        `${String(total).padStart(7)} certificates (${total / CERTS_PER_PERSON} people): sweep read ${meter.items} items in ${meter.calls} calls, ` +
          `${result.colourChanges} colour changes found, ${sweepMs.toFixed(0)} ms (load ${(loadMs / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    await emulator.stop();
  }
  return lines;
}
