// The DynamoDB-backed adapters, created once per container (at cold start) and shared by
// the handlers of that container.
import { DynamoCertificateRepository } from '../certificates/certificate-repository.ts';
import { InboxNotifier } from '../notifications/inbox.ts';
import { DynamoPersonRepository } from '../people/person-repository.ts';
import { DynamoSettingsRepository } from '../settings/settings-repository.ts';
import { DynamoSiteRepository } from '../sites/site-repository.ts';
import { DynamoStatusStore } from '../status/status-store.ts';
import { tableName } from './config.ts';
import { createDocumentClient } from './dynamo/client.ts';
import { getIdHashKey } from './secrets.ts';

function build() {
  const db = createDocumentClient();
  const table = tableName();
  const notifier = new InboxNotifier(table);
  return {
    db,
    table,
    notifier,
    people: new DynamoPersonRepository(db, table, notifier),
    certificates: new DynamoCertificateRepository(db, table, notifier),
    settings: new DynamoSettingsRepository(db, table),
    sites: new DynamoSiteRepository(db, table),
    statusStore: new DynamoStatusStore(db, table, notifier),
    idHashKey: getIdHashKey,
  };
}

let adapters: ReturnType<typeof build> | undefined;

export function dynamoAdapters() {
  adapters ??= build();
  return adapters;
}
