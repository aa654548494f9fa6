// The adapters, created once per container (at cold start) and shared by the handlers of
// that container. The registry client and the work queue are created on first use, so a
// function that never needs them never needs their configuration either.
import { DynamoCertificateRepository } from './certificates/certificate-repository.ts';
import { KmsCertificateNumberVault } from './certificates/kms-certificate-number-vault.ts';
import { DynamoGateStore } from './gates/gate-store.ts';
import { DynamoSweepIndex } from './jobs/sweep-index-store.ts';
import { InboxNotifier } from './notifications/inbox.ts';
import { DynamoPersonRepository } from './people/person-repository.ts';
import type { Mailer } from './reports/mailer.ts';
import { DynamoReportStore } from './reports/report-store.ts';
import { DynamoSettingsRepository } from './settings/settings-repository.ts';
import { systemClock } from './shared/clock.ts';
import { requiredEnv, tableName } from './shared/config.ts';
import { createDocumentClient } from './shared/dynamo/client.ts';
import { getIdHashKey } from './shared/secrets.ts';
import { SqsWorkQueue, type WorkQueue } from './shared/work-queue.ts';
import { DynamoSiteRepository } from './sites/site-repository.ts';
import { DynamoStatusStore } from './status/status-store.ts';
import type { CertificateRegistry } from './verification/registry.ts';
import { SecretsManagerClientCertificates } from './verification/registry-client-certificates.ts';
import { HttpCertificateRegistry } from './verification/registry-http.ts';
import { RegistrySettingsRepository } from './verification/registry-settings-repository.ts';

function build() {
  const db = createDocumentClient();
  const table = tableName();
  const notifier = new InboxNotifier(table);
  let registry: CertificateRegistry | undefined;
  let workQueue: WorkQueue | undefined;
  let mailer: Mailer | undefined;
  return {
    db,
    table,
    notifier,
    people: new DynamoPersonRepository(db, table, notifier),
    certificates: new DynamoCertificateRepository(db, table, notifier),
    settings: new DynamoSettingsRepository(db, table),
    sites: new DynamoSiteRepository(db, table),
    statusStore: new DynamoStatusStore(db, table, notifier),
    gates: new DynamoGateStore(db, table, notifier),
    registrySettings: new RegistrySettingsRepository(
      db,
      table,
      new SecretsManagerClientCertificates(process.env.TENANT_SECRETS_ROLE_ARN),
    ),
    idHashKey: getIdHashKey,
    reports: new DynamoReportStore(db, table),
    sweepIndex: new DynamoSweepIndex(db, table),
    // Loaded on first use: only the monthly job sends mail, and the mail composer is heavy.
    mailer: {
      send: async (mail) => {
        mailer ??= new (await import('./reports/ses-mailer.ts')).SesMailer();
        return mailer.send(mail);
      },
    } satisfies Mailer,
    clock: systemClock,
    numbers: new KmsCertificateNumberVault(() => requiredEnv('PERSONAL_DATA_KEY_ID'), getIdHashKey),
    get registry(): CertificateRegistry {
      registry ??= new HttpCertificateRegistry({
        baseUrl: requiredEnv('REGISTRY_BASE_URL'),
        timeoutMs: Number(process.env.REGISTRY_TIMEOUT_MS ?? 3000),
        ratePerSecond: Number(process.env.REGISTRY_RATE_PER_SECOND ?? 5),
      });
      return registry;
    },
    get workQueue(): WorkQueue {
      workQueue ??= new SqsWorkQueue(requiredEnv('WORK_QUEUE_URL'));
      return workQueue;
    },
  };
}

let adapters: ReturnType<typeof build> | undefined;

export function dynamoAdapters() {
  adapters ??= build();
  return adapters;
}
