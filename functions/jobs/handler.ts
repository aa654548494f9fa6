// Scheduled jobs (EventBridge Scheduler in AWS, the local cron or `npm run job` locally).
// At-least-once delivery is fine: every job is idempotent.
import * as z from 'zod';
import { calendarDate } from '../../schemas/common.ts';
import { expireDocuments } from '../archives/documents.ts';
import { announceExpiries, type BlacklistDeps } from '../blacklist/blacklist.ts';
import {
  allowlistSigner,
  allowlistState,
  auditSealDeps,
  blacklistRepository,
  certificateRepository,
  clock,
  departureDeps,
  diagnosticsDeps,
  documentDeps,
  federationStore,
  gatePublisher,
  heatCounters,
  mailer,
  notificationStore,
  personRepository,
  privacyDeps,
  propagate,
  propagation,
  reportStore,
  restatus,
  settingsRepository,
  spotCheckStore,
  statusStore,
  subcontractorRepository,
  sweepIndex,
  ticketStore,
  webhookDeps,
  workQueue,
} from '../composition-root.ts';
import type { BlacklistRepository, FeedEntry } from '../domain/blacklist-rules.ts';
import type { Mailer } from '../domain/mailer.ts';
import type { SubcontractorRepository } from '../domain/subcontractors.ts';
import { retryFailedDeliveries } from '../federation/federation.ts';
import type { FederationStore } from '../federation/federation-store.ts';
import type { Propagation } from '../federation/propagation-workflow.ts';
import { type AllowlistDeps, publishChangedAllowlists, refreshAllAllowlists } from '../gates/allowlists.ts';
import { checkBindingsEverywhere, relayPending } from '../notifications/deliveries.ts';
import type { NotificationStores } from '../notifications/notification-stores.ts';
import { queueReceipts } from '../notifications/receipts.ts';
import { completeDeparture } from '../people/departures.ts';
import { eraseExpiredLeavers } from '../privacy/personal-data.ts';
import { sealAuditDays } from '../reports/audit-seal.ts';
import type { ReportDeps } from '../reports/health-report.ts';
import type { SpotCheckStore } from '../reports/spot-check-store.ts';
import { systemActor } from '../shared/audit.ts';
import { logger } from '../shared/logger.ts';
import { metricsFlushed } from '../shared/metrics.ts';
import { annotate } from '../shared/tracer.ts';
import type { WorkQueue } from '../shared/work-queue.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import { expireOnTimer } from '../tickets/work-tickets.ts';
import { relayEvents } from '../webhooks/webhooks.ts';
import type { SweepDeps } from './expiry-sweep.ts';
import { runExpirySweep } from './expiry-sweep.ts';
import { type RecountDeps, recountHeatCounters } from './heat-recount.ts';
import { runMonthlyHealthReports } from './monthly-reports.ts';
import { JOBS } from './schedules.ts';

const JobEvent = z.object({
  job: z.enum(JOBS),
  date: calendarDate.optional(),
  dryRun: z.boolean().optional(),
  /** ticket-expiry: which ticket's window ended. */
  tenantId: z.string().min(1).optional(),
  ticketId: z.string().min(1).optional(),
});

export type JobDeps = SweepDeps &
  ReportDeps &
  AllowlistDeps &
  RecountDeps & {
    mailer: Mailer;
    tickets: TicketStore;
    federation: FederationStore;
    propagation: Propagation;
    subcontractors: SubcontractorRepository;
    blacklist: BlacklistRepository;
    spotChecks: SpotCheckStore;
    propagate: (feed: FeedEntry) => Promise<void>;
    restatus: BlacklistDeps['restatus'];
    notifications: NotificationStores;
    workQueue: WorkQueue;
  };

/** The scheduled-jobs function, wired with the given adapters (the local runtime's gate broker differs). */
export function jobsHandler(deps: JobDeps) {
  const run = async (event: unknown) => {
    const parsed = JobEvent.safeParse(event);
    if (!parsed.success) {
      // A malformed schedule input is a deployment bug: fail loudly so the retry/DLQ sees it.
      logger.error('invalid job event', { issues: parsed.error.issues });
      throw new Error('invalid job event');
    }
    const { job, date, dryRun, tenantId, ticketId } = parsed.data;
    const day = date ?? deps.clock.today();
    // Searchable in X-Ray: the job's name is a closed set.
    annotate({ capability: 'jobs', job });
    switch (job) {
      case 'expiry-sweep':
        return runExpirySweep(deps, day, { dryRun });
      case 'monthly-health-report':
        return runMonthlyHealthReports(
          {
            ...deps,
            radarSection: async (t) =>
              (await import('../diagnostics/diagnostics.ts')).radarSection(diagnosticsDeps(), t),
          },
          day,
        );
      case 'gate-allowlists-changed':
        return publishChangedAllowlists(deps);
      case 'gate-allowlists-refresh':
        return refreshAllAllowlists(deps);
      case 'heatmap-recount':
        return recountHeatCounters(deps, { repair: !dryRun });
      case 'federation-retry':
        return retryFailedDeliveries(deps);
      case 'blacklist-expiry':
        return announceExpiries(deps, day, `job:blacklist-expiry:${day}`);
      case 'notification-relay':
        return relayPending(deps);
      case 'webhook-relay':
        return relayEvents(webhookDeps());
      case 'binding-check':
        return checkBindingsEverywhere(deps);
      case 'sms-receipts':
        return queueReceipts(deps);
      case 'retention-erasure':
        return eraseExpiredLeavers(
          {
            ...privacyDeps(),
            // Every tenant that keeps people (the registry the monthly reports read).
            tenants: () => deps.reports.allTenants(),
          },
          day,
        );
      case 'records-expiry':
        return expireDocuments(documentDeps(), day);
      case 'audit-seal':
        // `date` names the day the job runs for: it seals the day before (and any missed).
        return sealAuditDays({ ...auditSealDeps(), tenants: () => deps.reports.allTenants() }, day);
      case 'ticket-expiry':
        if (!tenantId || !ticketId) throw new Error('ticket-expiry needs tenantId and ticketId');
        return expireOnTimer(deps, tenantId, ticketId);
    }
  };
  return async (event: unknown) => {
    try {
      return await run(event);
    } finally {
      await metricsFlushed();
    }
  };
}

export const jobsAdapters = (): JobDeps => ({
  sweepIndex: sweepIndex(),
  people: personRepository(),
  certificates: certificateRepository(),
  settings: settingsRepository(),
  statusStore: statusStore(),
  onDepartureDay: (tenantId, personId, day, requestId) =>
    completeDeparture(departureDeps(), systemActor(tenantId, 'expiry-sweep'), personId, requestId, day),
  reports: reportStore(),
  mailer: mailer(),
  allowlists: allowlistState(),
  heat: heatCounters(),
  signer: allowlistSigner(),
  publisher: gatePublisher(),
  tickets: ticketStore(),
  federation: federationStore(),
  propagation: propagation(),
  subcontractors: subcontractorRepository(),
  blacklist: blacklistRepository(),
  spotChecks: spotCheckStore(),
  propagate: propagate(),
  restatus: restatus(),
  notifications: notificationStore(),
  workQueue: workQueue(),
  clock: clock(),
});

export const handler = jobsHandler(jobsAdapters());
