// The gate-decision function: the IoT topic rule (iot-rules/gate-scan.sql) invokes it
// with the scan and `gateId` = topic(2); it answers on gates/{gateId}/decision (QoS 1).
// The rule → Lambda action is asynchronous: a failure is retried and then dead-lettered.
import {
  clock,
  gatePublisher,
  scanStore,
  siteInductions,
  travelAlertStore,
  violationProposals,
} from '../composition-root.ts';
import { errorForLog } from '../shared/error-log.ts';
import { logger } from '../shared/logger.ts';
import { coldStart, count, METRIC, metricsFlushed, millis } from '../shared/metrics.ts';
import { annotate } from '../shared/tracer.ts';
import type { GatePublisher } from './gate-publisher.ts';
import { decisionMessage, InvalidScan, raiseTravelAlerts, type ScanDeps } from './scans.ts';

/** The gate-scan function, wired with the given adapters (the local runtime's broker differs). */
export function gateScanHandler(deps: ScanDeps & { publisher: GatePublisher }) {
  return async (event: Record<string, unknown>): Promise<void> => {
    const { gateId, ...message } = event;
    coldStart('gates');
    const started = performance.now();
    try {
      const { decision, travel } = await decisionMessage(deps, String(gateId), message);
      await deps.publisher.publish(`gates/${String(gateId)}/decision`, JSON.stringify(decision), {
        retain: false,
      });
      // Outcome and reason are closed sets (the decision's codes): safe dimensions.
      const outcome = (decision as { decision?: string }).decision ?? 'unknown';
      count(METRIC.gateDecision, { outcome, reason: (decision as { reason?: string }).reason ?? 'none' });
      millis(METRIC.gateDecisionLatency, performance.now() - started, { outcome });
      annotate({ capability: 'gates', outcome });
      // After the gate has its answer; a failure here must not redeliver the scan.
      if (travel)
        await raiseTravelAlerts(deps, travel).catch((error: unknown) =>
          logger.error('could not raise the travel alert', {
            gateId: String(gateId),
            error: errorForLog(error),
          }),
        );
    } catch (error) {
      // A malformed scan can never succeed: log it, do not retry it.
      if (error instanceof InvalidScan)
        return logger.warn('invalid gate scan', { gateId: String(gateId), problem: error.message });
      throw error;
    } finally {
      await metricsFlushed();
    }
  };
}

export const handler = gateScanHandler({
  scans: scanStore(),
  inductions: siteInductions(),
  travel: travelAlertStore(),
  clock: clock(),
  publisher: gatePublisher(),
  refusedAtWork: violationProposals(),
});
