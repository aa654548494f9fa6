// The gate-scan topic rule's action, locally: the gate function's code run as the gate
// function (its table grants enforced), dropping a malformed scan as the Lambda does
// (logged, never retried), so the broker retries only real failures.
import {
  decisionMessage,
  InvalidScan,
  raiseTravelAlerts,
  type ScanDeps,
} from '../../functions/gates/scans.ts';
import { errorForLog } from '../../functions/shared/error-log.ts';
import { logger } from '../../functions/shared/logger.ts';
import { asFunction } from './iam-check.ts';
import type { ScanHandler } from './mqtt-broker.ts';

export function gateScanAction(deps: ScanDeps): ScanHandler {
  return (gateId, message) =>
    asFunction('gates', () => decisionMessage(deps, gateId, message)).then(
      ({ decision, travel }) => ({
        decision,
        // As the Lambda does after publishing: the 50 km / 24 h alert, never failing the scan.
        ...(travel
          ? {
              afterPublish: () =>
                asFunction('gates', () => raiseTravelAlerts(deps, travel)).then(
                  () => undefined,
                  (error: unknown) =>
                    logger.error('could not raise the travel alert', { gateId, error: errorForLog(error) }),
                ),
            }
          : {}),
      }),
      (error: unknown) => {
        if (error instanceof InvalidScan) return undefined;
        throw error;
      },
    );
}
