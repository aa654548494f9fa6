// The one place that builds SDK clients, adapters and the clock. Each adapter has its own
// factory, built on first call and shared by the handlers of that container (cold start).
// A handler imports only the factories it needs, so esbuild leaves every other adapter —
// and its SDK client — out of that function's bundle (the factories are marked pure).
// The local runtime and tests wire a handler through the same factories, replacing only
// what differs there (gate transport, provisioning) by argument: no global setters.

import type { AlarmRobot } from './alarms/alarm-relay.ts';
import { DynamoArchiveStore, DynamoDocumentStore } from './archives/archive-store.ts';
import type { ArchiveDeps } from './archives/archives.ts';
import type { DocumentDeps, RecordFiles } from './archives/documents.ts';
import { DynamoBatchStore } from './batches/batch-store.ts';
import { partnerHolds as partnerHoldsOf } from './blacklist/blacklist.ts';
import { DynamoBlacklistRepository } from './blacklist/blacklist-repository.ts';
import { DynamoCertificateRepository } from './certificates/certificate-repository.ts';
import type { DiagnosticsDeps } from './diagnostics/diagnostics.ts';
import type { CertificateNumberVault } from './domain/certificate-numbers.ts';
import { storeCurrentStatus } from './domain/current-status.ts';
import type { Notifier } from './domain/notifications.ts';
import type { PersonRecord } from './domain/person.ts';
import type { StatusCause } from './domain/status-write.ts';
import { deliveryTargets, type FeedEntry } from './federation/federation-rules.ts';
import { DynamoFederationStore } from './federation/federation-store.ts';
import type { Propagation } from './federation/propagation-workflow.ts';
import type { Pseudonyms } from './federation/pseudonyms.ts';
import { serviceSigningKey } from './federation/service-key.ts';
import { DynamoAllowlistState } from './gates/allowlist-store.ts';
import { DynamoBadgeRepository } from './gates/badge-store.ts';
import { enterSiteFence } from './gates/fence-entry.ts';
import { DynamoGateDevices } from './gates/gate-device-store.ts';
import type { GatePublisher } from './gates/gate-publisher.ts';
import { GateViewCorrectionParticipant, GateViewStatusParticipant } from './gates/gate-view-store.ts';
import { DynamoHeatCounters } from './gates/heat-store.ts';
import { retireGatesOfSite } from './gates/provision-gate.ts';
import type { GateProvisioner } from './gates/provisioning.ts';
import { DynamoScanStore } from './gates/scan-store.ts';
import type { RefusedAtWork } from './gates/scans.ts';
import { DynamoTravelAlertStore } from './gates/travel-alert-store.ts';
import { DynamoImportStore } from './imports/import-store.ts';
import { DynamoSweepIndex } from './jobs/sweep-index-store.ts';
import { AliyunSmsProvider } from './notifications/aliyun-sms-provider.ts';
import { DynamoBindingStore } from './notifications/binding-store.ts';
import { SecretChannelCredentials } from './notifications/channel-credentials.ts';
import type { AwsSmsProviderPort } from './notifications/channels.ts';
import { DynamoDeliveryLog } from './notifications/delivery-log-store.ts';
import { DingtalkProvider } from './notifications/dingtalk-provider.ts';
import { InboxNotifier } from './notifications/inbox-store.ts';
import { DynamoNotificationSettings } from './notifications/notification-settings-store.ts';
import { joinStores } from './notifications/notification-stores.ts';
import { DynamoOutbox } from './notifications/outbox-store.ts';
import { DynamoSmsQuota } from './notifications/sms-quota-store.ts';
import { WecomProvider } from './notifications/wecom-provider.ts';
import { documentPrefix, facePrefix } from './onboarding/onboarding-deps.ts';
import { DynamoOnboardingRepository } from './onboarding/onboarding-repository.ts';
import { type OnboardingProviders, onboardingProviders } from './onboarding/provider-choice.ts';
import type { DepartureDeps } from './people/departures.ts';
import { DynamoPersonRepository } from './people/person-repository.ts';
import { DynamoPermitStore } from './permits/permit-store.ts';
import type { PermitWorkflow } from './permits/permit-workflow.ts';
import type { PrivacyDeps } from './privacy/personal-data.ts';
import { DynamoPersonalRecords } from './privacy/personal-data-store.ts';
import { DynamoQuizStore } from './quizzes/quiz-store.ts';
import { quizInductions } from './quizzes/site-quiz.ts';
import { chainOrder } from './reports/audit-chain.ts';
import type { AuditSealDeps } from './reports/audit-seal.ts';
import { DynamoAuditSealStore } from './reports/audit-seal-store.ts';
import { DynamoAuditTrail } from './reports/audit-store.ts';
import type { Mailer } from './reports/mailer.ts';
import { DynamoReportStore } from './reports/report-store.ts';
import { DynamoSpotCheckStore } from './reports/spot-check-store.ts';
import { DynamoSettingsRepository } from './settings/settings-repository.ts';
import type { AllowlistSigner } from './shared/allowlist-signer.ts';
import { systemActor } from './shared/audit.ts';
import type { Actor } from './shared/auth/principal.ts';
import { addDays } from './shared/calendar.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { requiredEnv, tableName } from './shared/config.ts';
import { createDocumentClient } from './shared/dynamo/client.ts';
import type { TransactItem } from './shared/dynamo/transactions.ts';
import { ProviderNotConfigured } from './shared/errors.ts';
import { maskName } from './shared/identity-numbers.ts';
import { onFirstCall } from './shared/on-first-call.ts';
import { outboundPolicy, refuseOutboundUrlNow } from './shared/outbound-url.ts';
import { getIdHashKey, getSecretString } from './shared/secrets.ts';
import { derivedSigningKey } from './shared/signing-keys.ts';
import type { TenantSecrets } from './shared/tenant-secrets.ts';
import type { WorkQueue } from './shared/work-queue.ts';
import type { ClosureDeps } from './sites/closure.ts';
import { DynamoSiteRepository } from './sites/site-repository.ts';
import type { SiteDeps } from './sites/sites.ts';
import { DynamoStatusReads } from './status/status-reads-store.ts';
import { DynamoStatusStore } from './status/status-store.ts';
import { DynamoStatusWrites } from './status/status-write-store.ts';
import { DynamoSubcontractorRepository } from './subcontractors/subcontractor-repository.ts';
import { DISPATCH_POLICY } from './tickets/dispatch-rules.ts';
import { DynamoTicketStore } from './tickets/ticket-store.ts';
import { TicketSuspensionParticipant } from './tickets/ticket-suspension-store.ts';
import type { TicketTimers } from './tickets/ticket-timers.ts';
import { CachedPrincipals } from './users/cached-principals.ts';
import { InboxInvitationNotices } from './users/invitation-notice-store.ts';
import { DynamoUserDirectory } from './users/user-directory-store.ts';
import { externalIssuer, type UserPool } from './users/user-pool.ts';
import { disableAccountsOfLeaver, type UserDeps } from './users/users.ts';
import type { CertificateRegistry } from './verification/registry.ts';
import type { RegistryClientCertificates } from './verification/registry-client-certificates.ts';
import { RegistrySettingsRepository } from './verification/registry-settings-repository.ts';
import type { TenantKeyStore } from './verification/tenant-key-store.ts';
import { registryChecks as registryChecksOf } from './verification/verify.ts';
import { DynamoWorkerCodeStore } from './verification/worker-code-store.ts';
import { DynamoViolationStore } from './violations/violation-store.ts';
import { proposeViolation, type ViolationDeps } from './violations/violations.ts';
import { DepartureEvents, StatusChangeEvents, SuspensionEvents } from './webhooks/event-participants.ts';
import { DynamoEventOutbox, DynamoWebhookStore } from './webhooks/webhook-store.ts';

/** Built on first call, then the same instance: one per container. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

export const clock = /* @__PURE__ */ once((): Clock => systemClock);
export const documentClient = /* @__PURE__ */ once(createDocumentClient);
export const table = /* @__PURE__ */ once(tableName);
/** The ID-number hashing key (Secrets Manager), fetched once per container. */
export const idHashKey = /* @__PURE__ */ once(() => getIdHashKey);
/**
 * Alliance pseudonyms: the OPRF key is derived from the ID-hash secret (functions/federation/pseudonyms.ts).
 * Imported when first used: the OPRF library stays out of the bundles of functions that never call it
 * (a static import here put it in every bundle, measured: +60 KB on the sites function).
 */
export const pseudonyms = /* @__PURE__ */ once(() =>
  onFirstCall<Pseudonyms>(
    async () => new (await import('./federation/pseudonyms.ts')).OprfPseudonyms(getIdHashKey),
  ),
);
export const notifier = /* @__PURE__ */ once(() => new InboxNotifier(table()));

/**
 * The one status write (functions/domain/status-write.ts): gates add the gate view and its
 * heat counters, tickets the suspension of open tickets, in the same transaction.
 */
export function wireStatusWrites(
  db: ReturnType<typeof createDocumentClient>,
  table: string,
  notifier: Notifier<TransactItem>,
) {
  const gateView = new GateViewStatusParticipant(db, table);
  return new DynamoStatusWrites(table, notifier, gateView, [
    gateView,
    new TicketSuspensionParticipant(table, notifier, new DynamoEventOutbox(table)),
    // Webhooks: a colour change is an event for the tenant's own systems (outbox).
    new StatusChangeEvents(new DynamoEventOutbox(table)),
  ]);
}
export const statusWrites = /* @__PURE__ */ once(() =>
  wireStatusWrites(documentClient(), table(), notifier()),
);
export const personRepository = /* @__PURE__ */ once(
  () =>
    new DynamoPersonRepository(documentClient(), table(), statusWrites(), [
      new GateViewCorrectionParticipant(table()),
      new DepartureEvents(new DynamoEventOutbox(table())),
      new SuspensionEvents(new DynamoEventOutbox(table())),
    ]),
);
export const certificateRepository = /* @__PURE__ */ once(
  () =>
    new DynamoCertificateRepository(
      documentClient(),
      table(),
      statusWrites(),
      clock(),
      new DynamoEventOutbox(table()),
    ),
);
export const certificateNumbers = /* @__PURE__ */ once(() =>
  onFirstCall<CertificateNumberVault>(async () => {
    const { KmsCertificateNumberVault } = await import('./certificates/kms-certificate-number-vault.ts');
    return new KmsCertificateNumberVault(() => requiredEnv('PERSONAL_DATA_KEY_ID'), getIdHashKey);
  }),
);
export const settingsRepository = /* @__PURE__ */ once(
  () => new DynamoSettingsRepository(documentClient(), table(), clock()),
);
export const siteRepository = /* @__PURE__ */ once(
  () => new DynamoSiteRepository(documentClient(), table(), clock()),
);
export const statusStore = /* @__PURE__ */ once(
  () => new DynamoStatusStore(documentClient(), table(), statusWrites()),
);
export const statusReads = /* @__PURE__ */ once(() => new DynamoStatusReads(documentClient(), table()));
export const subcontractorRepository = /* @__PURE__ */ once(
  () => new DynamoSubcontractorRepository(documentClient(), table(), clock()),
);
export const scanStore = /* @__PURE__ */ once(() => new DynamoScanStore(documentClient(), table(), clock()));
export const travelAlertStore = /* @__PURE__ */ once(
  () =>
    new DynamoTravelAlertStore(documentClient(), table(), notifier(), (tenantId) =>
      settingsRepository().read(tenantId, DISPATCH_POLICY),
    ),
);
export const heatCounters = /* @__PURE__ */ once(() => new DynamoHeatCounters(documentClient(), table()));
export const badgeRepository = /* @__PURE__ */ once(
  () => new DynamoBadgeRepository(documentClient(), table(), clock()),
);
export const gateDevices = /* @__PURE__ */ once(
  () => new DynamoGateDevices(documentClient(), table(), clock()),
);
export const quizStore = /* @__PURE__ */ once(
  () => new DynamoQuizStore(documentClient(), table(), notifier(), clock()),
);
/** Site inductions (X5) as the gates ask for them: the quizzes capability opens the quiz. */
export const siteInductions = /* @__PURE__ */ once(() =>
  quizInductions({ quizzes: quizStore(), clock: clock() }),
);
export const ticketStore = /* @__PURE__ */ once(() => new DynamoTicketStore(documentClient(), table()));
export const permitStore = /* @__PURE__ */ once(
  () => new DynamoPermitStore(documentClient(), table(), notifier()),
);
export const permitWorkflow = /* @__PURE__ */ once(() =>
  onFirstCall<PermitWorkflow>(async () => {
    const { StepFunctionsPermitWorkflow } = await import('./permits/permit-workflow.ts');
    return new StepFunctionsPermitWorkflow(() => requiredEnv('PERMIT_STATE_MACHINE_ARN'));
  }),
);
export const allowlistState = /* @__PURE__ */ once(() => new DynamoAllowlistState(documentClient(), table()));
export const batchStore = /* @__PURE__ */ once(() => new DynamoBatchStore(documentClient(), table()));
/**
 * A person's status stored as of today after something beside their certificates changed it:
 * their engagement ended or was restored, a suspension, a blacklist hold put on or taken off.
 */
export const restatus = /* @__PURE__ */ once(
  () =>
    (actor: Actor, personId: string, requestId: string, cause: StatusCause = 'person.engagement') =>
      storeCurrentStatus(
        {
          people: personRepository(),
          certificates: certificateRepository(),
          settings: settingsRepository(),
          statusStore: statusStore(),
          now: clock().now,
        },
        actor,
        personId,
        cause,
        requestId,
      ),
);
export const importStore = /* @__PURE__ */ once(
  () => new DynamoImportStore(documentClient(), table(), new DynamoEventOutbox(table())),
);
/** Webhooks (issue 28): subscriptions, the URL guard at set time, per-subscription signing keys. */
export const webhookDeps = /* @__PURE__ */ once(() => ({
  webhooks: new DynamoWebhookStore(documentClient(), table()),
  checkUrl: (url: string) => refuseOutboundUrlNow(url, outboundPolicy()),
  signingKey: async (tenantId: string, webhookId: string) =>
    derivedSigningKey(await getIdHashKey(), `webhook-signing-key/v1/${tenantId}/${webhookId}`, webhookId),
  queueDeliveries: (requests: { tenantId: string; webhookId: string; eventId: string }[]) =>
    workQueue().send(requests.map((r) => ({ type: 'deliver-webhook' as const, ...r }))),
  clock: clock(),
}));
/** The regulator's file (E3): documents and archives in the evidence bucket (records/, archives/). */
const recordFiles = /* @__PURE__ */ once(() =>
  onFirstCall<RecordFiles>(async () => {
    const bucket = process.env.EVIDENCE_BUCKET;
    if (!bucket)
      throw new ProviderNotConfigured('provider_not_configured', {
        port: 'records',
        setting: 'EVIDENCE_BUCKET',
      });
    return new (await import('./archives/record-file-store.ts')).S3RecordFiles(bucket);
  }),
);
export const documentDeps = /* @__PURE__ */ once(
  (): DocumentDeps => ({
    documents: new DynamoDocumentStore(documentClient(), table(), clock()),
    files: recordFiles(),
    people: personRepository(),
    clock: clock(),
  }),
);
export const archiveDeps = /* @__PURE__ */ once(
  (): ArchiveDeps => ({
    archives: new DynamoArchiveStore(documentClient(), table(), clock()),
    documents: documentDeps().documents,
    files: recordFiles(),
    people: personRepository(),
    recordsOf: (tenantId, personId) => privacyDeps().records.recordsOf(tenantId, personId),
    peopleOfSite: async (tenantId, siteId) => {
      const people: PersonRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await personRepository().list(tenantId, {
          siteId,
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        people.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return people;
    },
    siteName: async (tenantId, siteId) => (await siteRepository().get(tenantId, siteId))?.site.name,
    queueBuild: (tenantId, archiveId) => workQueue().send([{ type: 'build-archive', tenantId, archiveId }]),
    renderIndexPdf: async (index) => (await import('./archives/archive-pdf.ts')).renderIndexPdf(index),
    auditExport: async (tenantId, from, to) => {
      const store = auditSealDeps().seals;
      const records: Record<string, unknown>[] = [];
      for (let day = from; day <= to; day = addDays(day, 1))
        records.push(
          // Chain order; records written after a seal made during their day come last.
          ...(await store.dayRecords(tenantId, day)).sort(
            (a, b) =>
              (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) || chainOrder(a, b),
          ),
        );
      const seals = await store.seals(tenantId, from, to);
      const keys = await Promise.all(
        [...new Set(seals.map((s) => s.kid))].map((kid) => tenantKeyStore().byKid(kid)),
      );
      return { records, seals: seals as never, keys: keys.flatMap((k) => (k ? [k.key as never] : [])) };
    },
    clock: clock(),
  }),
);
/** The insurer link (E2): insurers are subscriptions; covers lie on the person. */
export const insurerDeps = /* @__PURE__ */ once(() => ({
  insurers: new DynamoWebhookStore(documentClient(), table()),
  people: personRepository(),
  clock: clock(),
}));
/** Ledger files over 5 MB, uploaded through a presigned PUT under the evidence bucket's imports/ (expired in 2 days). */
export const importUploads = /* @__PURE__ */ once(() => ({
  url: (key: string, contentType: string, bytes: number, seconds: number) =>
    admissionProviders().evidence().uploadUrl(key, contentType, seconds, bytes),
  read: (key: string) => admissionProviders().evidence().get(key),
}));
/** The sites and subcontractors a ledger's rows name, as the import looks them up. */
export const importReferences = /* @__PURE__ */ once(() => async (tenantId: string) => {
  const [sites, subcontractors] = await Promise.all([
    siteRepository().list(tenantId),
    subcontractorRepository().list(tenantId),
  ]);
  return {
    sites: sites.map(({ siteId, code, name }) => ({ siteId, code, name })),
    subcontractors: subcontractors.map(({ subcontractorId, name, unifiedSocialCreditCode }) => ({
      subcontractorId,
      name,
      unifiedSocialCreditCode,
    })),
  };
});
export const reportStore = /* @__PURE__ */ once(() => new DynamoReportStore(documentClient(), table()));
export const sweepIndex = /* @__PURE__ */ once(() => new DynamoSweepIndex(documentClient(), table()));
/** People's channel bindings: the notifications' store, and what departures, erasure and the radar use of it. */
export const bindingStore = /* @__PURE__ */ once(
  () => new DynamoBindingStore(documentClient(), table(), clock()),
);
/** Notification channels (N1): base URLs overridable so the local simulator stands in. */
export const notificationStore = /* @__PURE__ */ once(() =>
  joinStores(
    new DynamoNotificationSettings(documentClient(), table(), clock()),
    bindingStore(),
    new DynamoSmsQuota(documentClient(), table(), clock()),
    new DynamoDeliveryLog(documentClient(), table(), clock()),
    new DynamoOutbox(documentClient(), table(), clock()),
  ),
);
/**
 * The operators' group robot for alarms (issue 30): the notification channels' own WeCom and
 * DingTalk robot adapters, configured by a secret ({kind, key, secret?, keyword?}).
 */
export const alarmRobot = /* @__PURE__ */ once(
  (): AlarmRobot => ({
    config: async () => {
      const id = process.env.ALARM_ROBOT_SECRET_ID;
      return id ? JSON.parse(await getSecretString(id)) : undefined;
    },
    post: async (config, note) => {
      const robot = {
        kind: config.kind,
        key: config.key,
        ...(config.secret ? { secret: config.secret } : {}),
      };
      const message = { ...note, smsParams: {} };
      const outcome =
        config.kind === 'wecom'
          ? await new WecomProvider(process.env.WECOM_BASE_URL || undefined).sendRobot(robot, message)
          : await new DingtalkProvider(process.env.DINGTALK_BASE_URL || undefined).sendRobot(robot, message);
      return { ok: outcome.ok, ...(outcome.cause ? { cause: outcome.cause } : {}) };
    },
  }),
);
export const channelCredentials = /* @__PURE__ */ once(() => new SecretChannelCredentials(tenantSecrets()));
export const channelProviders = /* @__PURE__ */ once(() => ({
  wecom: new WecomProvider(process.env.WECOM_BASE_URL || undefined),
  dingtalk: new DingtalkProvider(process.env.DINGTALK_BASE_URL || undefined),
  sms: new AliyunSmsProvider(process.env.ALIYUN_SMS_ENDPOINT || undefined),
  awsSms: onFirstCall<AwsSmsProviderPort>(
    async () =>
      new (await import('./notifications/aws-sms-provider.ts')).AwsSmsProvider(
        process.env.AWS_SMS_ENDPOINT || undefined,
      ),
  ),
}));
/** Everything a delivery needs (the worker's deliveries, the binding guide, the diagnosis). */
export const notificationAdapters = /* @__PURE__ */ once(() => ({
  notifications: notificationStore(),
  credentials: channelCredentials(),
  ...channelProviders(),
  mailer: mailer(),
  workQueue: workQueue(),
  people: personRepository(),
  clock: clock(),
  // The deployment's one sender for notifications (-c notificationSender=…, else the reports').
  mailFrom: process.env.NOTIFICATION_SENDER || process.env.REPORT_SENDER || undefined,
}));
/** Tenants' own secrets, read and written with a tenant-scoped role where the stack gives one. */
export const tenantSecrets = /* @__PURE__ */ once(() =>
  onFirstCall<TenantSecrets>(async () => {
    const { TenantSecrets } = await import('./shared/tenant-secrets.ts');
    return new TenantSecrets(process.env.TENANT_SECRETS_ROLE_ARN);
  }),
);
export const registrySettings = /* @__PURE__ */ once(
  () =>
    new RegistrySettingsRepository(
      documentClient(),
      table(),
      onFirstCall<RegistryClientCertificates>(async () => {
        const { SecretsManagerClientCertificates } = await import(
          './verification/registry-client-certificates.ts'
        );
        return new SecretsManagerClientCertificates(tenantSecrets());
      }),
    ),
);

// Configuration read on first use, not at cold start: a function that never reaches the
// registry, the queue or the signing key never needs their settings (NotConfigured → 503).
export const certificateRegistry = /* @__PURE__ */ once(() =>
  onFirstCall<CertificateRegistry>(async () => {
    const { HttpCertificateRegistry } = await import('./verification/registry-http.ts');
    return new HttpCertificateRegistry({
      baseUrl: requiredEnv('REGISTRY_BASE_URL'),
      timeoutMs: Number(process.env.REGISTRY_TIMEOUT_MS ?? 3000),
      ratePerSecond: Number(process.env.REGISTRY_RATE_PER_SECOND ?? 5),
    });
  }),
);
export const workQueue = /* @__PURE__ */ once(() =>
  onFirstCall<WorkQueue>(
    async () => new (await import('./shared/work-queue.ts')).SqsWorkQueue(requiredEnv('WORK_QUEUE_URL')),
  ),
);
/** Ticket expiry timers: configured by the stack (group, target, role), read on first use. */
export const ticketTimers = /* @__PURE__ */ once(() =>
  onFirstCall<TicketTimers>(async () => {
    const { EventBridgeTicketTimers } = await import('./tickets/ticket-timers.ts');
    return new EventBridgeTicketTimers(() => ({
      group: requiredEnv('TICKET_SCHEDULE_GROUP'),
      targetArn: requiredEnv('TICKET_EXPIRY_TARGET_ARN'),
      roleArn: requiredEnv('TICKET_SCHEDULE_ROLE_ARN'),
    }));
  }),
);
export const gatePublisher = /* @__PURE__ */ once(() =>
  onFirstCall<GatePublisher>(
    async () => new (await import('./gates/gate-publisher.ts')).IotDataGatePublisher(),
  ),
);
export const gateProvisioner = /* @__PURE__ */ once(() =>
  onFirstCall<GateProvisioner>(
    async () => new (await import('./gates/provisioning.ts')).IotGateProvisioner(),
  ),
);
export const allowlistSigner = /* @__PURE__ */ once(() =>
  onFirstCall<AllowlistSigner>(async () => {
    const { KmsAllowlistSigner } = await import('./shared/allowlist-signer.ts');
    return new KmsAllowlistSigner(requiredEnv('ALLOWLIST_KEY_ID'));
  }),
);
/**
 * The deployment's mail provider (MAIL_PROVIDER): SES v2 (global, the default), SMTP (the
 * China profile: SMTP_URL, or SMTP_SECRET_ID naming a JSON secret {host, port, secure, user,
 * pass}), or none (every send is a clear "not configured", never a fake success). The
 * adapters are heavy and loaded on the first mail.
 */
export const mailer = /* @__PURE__ */ once(() => {
  const provider = process.env.MAIL_PROVIDER ?? 'ses';
  return onFirstCall<Mailer>(async () => {
    if (provider === 'ses') return new (await import('./reports/ses-mailer.ts')).SesMailer();
    if (provider === 'smtp') {
      const { SmtpMailer, smtpAccountFromUrl } = await import('./reports/smtp-mailer.ts');
      const url = process.env.SMTP_URL;
      return new SmtpMailer(async () =>
        url ? smtpAccountFromUrl(url) : JSON.parse(await getSecretString(requiredEnv('SMTP_SECRET_ID'))),
      );
    }
    throw new ProviderNotConfigured('mail_not_configured');
  });
});

export const workerCodeStore = /* @__PURE__ */ once(
  () => new DynamoWorkerCodeStore(documentClient(), table(), clock()),
);
export const blacklistRepository = /* @__PURE__ */ once(
  () =>
    new DynamoBlacklistRepository(
      documentClient(),
      table(),
      notifier(),
      clock(),
      new DynamoEventOutbox(table()),
    ),
);
export const federationStore = /* @__PURE__ */ once(
  () => new DynamoFederationStore(documentClient(), table(), clock()),
);
/** Every tenant's person with a pseudonym (the federation's one cross-tenant read). */
export const peopleByPseudonym = /* @__PURE__ */ once(
  () => (pseudonym: string) => personRepository().byPseudonym(pseudonym),
);
/** This service's Ed25519 key for signed deliveries, derived from the ID-hash secret. */
export const federationServiceKey = /* @__PURE__ */ once(() => {
  let key: Promise<ReturnType<typeof serviceSigningKey>> | undefined;
  return () => {
    key ??= getIdHashKey().then(serviceSigningKey);
    key.catch(() => {
      key = undefined;
    });
    return key;
  };
});
export const propagation = /* @__PURE__ */ once(() =>
  onFirstCall<Propagation>(async () => {
    const { StepFunctionsPropagation } = await import('./federation/propagation-workflow.ts');
    return new StepFunctionsPropagation(() => requiredEnv('FEDERATION_STATE_MACHINE_ARN'));
  }),
);
/** Starts an own entry's change towards every partner with a delivery address (O4). */
export const propagate = /* @__PURE__ */ once(
  () => async (feed: FeedEntry) =>
    propagation().start(feed, deliveryTargets(await federationStore().partners())),
);
/** Partners' entries on our people: the blacklist enters and removes them for federation. */
export const partnerHolds = /* @__PURE__ */ once(() =>
  partnerHoldsOf({
    blacklist: blacklistRepository(),
    people: personRepository(),
    settings: settingsRepository(),
    restatus: restatus(),
    clock: clock(),
  }),
);
/** Registration's alliance check: partners' entries on a new person's pseudonym land on them. */
export const allianceOnRegistration = /* @__PURE__ */ once(
  () => (person: { tenantId: string; personId: string; pseudonym?: string }, requestId: string) =>
    import('./federation/federation.ts').then(({ landPartnerEntries }) =>
      landPartnerEntries(
        {
          federation: federationStore(),
          holds: partnerHolds(),
          clock: clock(),
        },
        person,
        requestId,
      ),
    ),
);
export const auditTrail = /* @__PURE__ */ once(() => new DynamoAuditTrail(documentClient(), table()));
/** The audit chain's daily seal: the tenant's KMS key signs each day's head (audit-seal+jws). */
export const auditSealDeps = /* @__PURE__ */ once(
  (): AuditSealDeps => ({
    seals: new DynamoAuditSealStore(documentClient(), table(), clock()),
    sign: async (tenantId, payload) => {
      const signer = await tenantKeyStore().signerFor(tenantId);
      const [jws, key] = await Promise.all([signer.sign(payload, 'audit-seal+jws'), signer.publicKey()]);
      return { jws, kid: key.kid };
    },
    clock: clock(),
  }),
);
export const spotCheckStore = /* @__PURE__ */ once(() => new DynamoSpotCheckStore(documentClient(), table()));
export const tenantKeyStore = /* @__PURE__ */ once(() =>
  onFirstCall<TenantKeyStore>(async () => {
    const { KmsTenantKeyStore } = await import('./verification/tenant-key-store.ts');
    return new KmsTenantKeyStore(documentClient(), table(), clock());
  }),
);
export const onboardingRepository = /* @__PURE__ */ once(
  () => new DynamoOnboardingRepository(documentClient(), table(), clock()),
);
/** The admission providers this deployment is configured with (FACE_PROVIDER, OCR_PROVIDER, …). */
export const admissionProviders = /* @__PURE__ */ once(
  (): OnboardingProviders => onboardingProviders(process.env),
);

/** The admission images a blacklist entry cites: whether each is in the evidence bucket. */
export const evidenceFiles = /* @__PURE__ */ once(() => ({
  exists: (key: string) => admissionProviders().evidence().exists(key),
}));

/** The product's user directory: what a verified identity may do (read on every call, cached 60 s). */
export const userDirectory = /* @__PURE__ */ once(
  () => new DynamoUserDirectory(documentClient(), table(), clock()),
);
export const principals = /* @__PURE__ */ once(() => new CachedPrincipals(userDirectory(), clock()));
/** The deployment's own identity provider: a Cognito pool (global), or none (an external OIDC issuer). */
export const userPool = /* @__PURE__ */ once((): UserPool => {
  const poolId = process.env.USER_POOL_ID;
  if (!poolId) return externalIssuer;
  return onFirstCall<UserPool, 'createsAccounts'>(
    async () => {
      const { CognitoUserPool } = await import('./users/cognito-user-pool-provider.ts');
      return new CognitoUserPool(poolId, requiredEnv('USER_POOL_ISSUER'));
    },
    { createsAccounts: true },
  );
});
export const userAdapters = /* @__PURE__ */ once(
  (): UserDeps => ({
    directory: userDirectory(),
    principals: principals(),
    pool: userPool(),
    mailer: mailer(),
    mailFrom: process.env.NOTIFICATION_SENDER || undefined,
    references: {
      sitesExist: async (tenantId, siteIds) => {
        const known = new Set((await siteRepository().list(tenantId)).map((s) => s.siteId));
        return siteIds.every((s) => known.has(s));
      },
      subcontractorExists: async (tenantId, id) => !!(await subcontractorRepository().get(tenantId, id)),
      personName: async (tenantId, personId) => {
        const person = await personRepository().get(tenantId, personId);
        return person ? maskName(person.name) : undefined;
      },
    },
    notices: new InboxInvitationNotices(documentClient(), notifier(), clock()),
    clock: clock(),
  }),
);
/**
 * A departure and what it takes from other capabilities (issue 28): the person's badges,
 * their own user accounts, their notification channels.
 */
export const departureDeps = /* @__PURE__ */ once(
  (): DepartureDeps => ({
    people: personRepository(),
    badges: badgeRepository(),
    restatus: restatus(),
    leaver: {
      disableAccounts: (actor, personId, requestId) =>
        disableAccountsOfLeaver(userAdapters(), actor, personId, requestId),
      dropChannels: (actor, personId, requestId) => bindingStore().dropBindings(actor, personId, requestId),
    },
    clock: clock(),
  }),
);
/**
 * A person's data rights (issue 28): their records, their files in the evidence bucket
 * (admission's two prefixes), copies under exports/ (expired by the bucket within a day),
 * and their channels dropped through the notifications capability.
 */
export const privacyDeps = /* @__PURE__ */ once((): PrivacyDeps => {
  const evidence = () => admissionProviders().evidence();
  const prefixes = { face: facePrefix, documents: documentPrefix } as const;
  return {
    people: personRepository(),
    records: new DynamoPersonalRecords(documentClient(), table(), clock()),
    files: {
      list: async (tenantId, personId) =>
        (
          await Promise.all(
            Object.entries(prefixes).map(async ([kind, prefix]) =>
              (
                await evidence().list(prefix(tenantId, personId))
              ).map((key) => ({
                key,
                name: `${kind}/${key.slice(prefix(tenantId, personId).length).replaceAll('/', '_')}`,
              })),
            ),
          )
        ).flat(),
      get: (key) => evidence().get(key),
      delete: async (tenantId, personId, kinds) => {
        let n = 0;
        for (const kind of kinds) n += await evidence().deletePrefix(prefixes[kind](tenantId, personId));
        return n;
      },
    },
    archive: {
      put: (key, bytes) => evidence().put(key, bytes, 'application/zip'),
      link: (key, seconds) => evidence().readUrl(key, seconds),
    },
    channels: {
      drop: (actor, personId, requestId) => bindingStore().dropBindings(actor, personId, requestId),
    },
    settings: settingsRepository(),
    clock: clock(),
  };
});
/**
 * Closing a site (issue 28) and what it takes from other capabilities: its gates retired
 * (through these gate adapters: AWS IoT, or the local runtime's CA and broker), and the
 * count of people whose home it was.
 */
export const siteClosureDeps = (
  devices: { provisioner?: GateProvisioner; publisher?: GatePublisher } = {},
): ClosureDeps => ({
  sites: siteRepository(),
  retireGates: (principal, siteId, requestId) =>
    retireGatesOfSite(
      {
        gates: gateDevices(),
        provisioner: devices.provisioner ?? gateProvisioner(),
        publisher: devices.publisher ?? gatePublisher(),
      },
      principal,
      siteId,
      requestId,
    ),
  homePeople: async (tenantId, siteId) => {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await personRepository().list(tenantId, {
        siteId,
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      count += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return count;
  },
  clock: clock(),
});
/** Sites, and entering one's geofence (X5): the induction a first check-in opens, through the gates capability. */
export const siteDeps = /* @__PURE__ */ once(
  (): SiteDeps => ({
    sites: siteRepository(),
    arrive: (tenantId, personId, siteId) =>
      enterSiteFence(
        { scans: scanStore(), inductions: siteInductions(), clock: clock() },
        tenantId,
        personId,
        siteId,
      ),
    clock: clock(),
  }),
);
const violationStore = /* @__PURE__ */ once(
  () => new DynamoViolationStore(documentClient(), table(), clock(), new DynamoEventOutbox(table())),
);
/** Violations, points and suspension for training (E1); the suspension goes through the person's one status write. */
export const violationDeps = /* @__PURE__ */ once(
  (): ViolationDeps => ({
    violations: violationStore(),
    people: personRepository(),
    settings: settingsRepository(),
    restatus: restatus(),
    clock: clock(),
  }),
);
/** A frozen or suspended badge tried at a special-work gate: a violation proposed for a manager (E1). */
export const violationProposals = /* @__PURE__ */ once(
  () => (fact: RefusedAtWork) =>
    proposeViolation(
      violationDeps(),
      systemActor(fact.tenantId, 'gates'),
      {
        personId: fact.personId,
        type: 'frozen_badge_used',
        occurredAt: new Date(fact.at).toISOString(),
        siteId: fact.siteId,
        source: 'gate',
        note: `${fact.workType}: ${fact.reason}`,
      },
      `gate:${fact.scanId}`,
    ),
);
/** A ticket refused for a person's missing certificate (work outside their scope): proposed for a manager (E1). */
export const scopeProposals = /* @__PURE__ */ once(
  () => (fact: { tenantId: string; personId: string; siteId: string; type: string }) =>
    proposeViolation(
      violationDeps(),
      systemActor(fact.tenantId, 'tickets'),
      {
        personId: fact.personId,
        type: 'outside_scope',
        occurredAt: clock().now().toISOString(),
        siteId: fact.siteId,
        source: 'dispatch',
        note: `work ticket ${fact.type}: certificate_missing`,
      },
      `tickets:${fact.personId}`,
    ),
);
/** The compliance radar (E4): every person of the tenant, how many can be reached, the violations' trend. */
export const diagnosticsDeps = /* @__PURE__ */ once(
  (): DiagnosticsDeps => ({
    violationsSince: (tenantId, since) => violationStore().since(tenantId, since),
    clock: clock(),
    people: (tenantId) => reportStore().allPeople(tenantId),
    reachable: async (tenantId, personIds) => {
      if (personIds.length === 0) return 0;
      const bindings = await bindingStore().bindingsOf(tenantId, personIds);
      return [...bindings.values()].filter((b) => b.wecomUserId || b.dingtalkUserId || b.phone || b.email)
        .length;
    },
  }),
);
/** Pinyin for name comparisons: a ~450 KB dictionary, loaded by the first comparison only. */
const romaniser = () => import('./verification/pinyin.ts').then((m) => m.pinyinSyllables);
/** What a registry verification needs (VerificationDeps): the verification and worker functions. */
export const verificationAdapters = () => ({
  people: personRepository(),
  certificates: certificateRepository(),
  settings: settingsRepository(),
  registrySettings: registrySettings(),
  registry: certificateRegistry(),
  numbers: certificateNumbers(),
  romaniser,
  clock: clock(),
});

/** Registry checks as batches and admission ask for them (verification does them). */
export const registryChecks = /* @__PURE__ */ once(() => registryChecksOf(verificationAdapters()));

/** Everything at once, for scripts (migrations) and tests; handlers take only their own. */
export function allAdapters() {
  return {
    db: documentClient(),
    table: table(),
    notifier: notifier(),
    people: personRepository(),
    certificates: certificateRepository(),
    numbers: certificateNumbers(),
    settings: settingsRepository(),
    sites: siteRepository(),
    subcontractors: subcontractorRepository(),
    statusStore: statusStore(),
    statusReads: statusReads(),
    scans: scanStore(),
    travel: travelAlertStore(),
    heat: heatCounters(),
    badges: badgeRepository(),
    gates: gateDevices(),
    quizzes: quizStore(),
    inductions: siteInductions(),
    tickets: ticketStore(),
    ticketTimers: ticketTimers(),
    permits: permitStore(),
    permitWorkflow: permitWorkflow(),
    allowlists: allowlistState(),
    batches: batchStore(),
    reports: reportStore(),
    sweepIndex: sweepIndex(),
    registrySettings: registrySettings(),
    idHashKey: idHashKey(),
    pseudonyms: pseudonyms(),
    onRegistered: allianceOnRegistration(),
    mailer: mailer(),
    clock: clock(),
    registry: certificateRegistry(),
    registryChecks: registryChecks(),
    workQueue: workQueue(),
    publisher: gatePublisher(),
    provisioner: gateProvisioner(),
    signer: allowlistSigner(),
  };
}
