// The gate-scan topic rule's action, locally: the gate function's code run as the gate
// function (its table grants enforced), dropping a malformed scan as the Lambda does
// (logged, never retried), so the broker retries only real failures.
import { decisionMessage, InvalidScan, type ScanDeps } from '../../functions/gates/scans.ts';
import { asFunction } from './iam-check.ts';
import type { ScanHandler } from './mqtt-broker.ts';

export function gateScanAction(deps: ScanDeps): ScanHandler {
  return (gateId, message) =>
    asFunction('gates', () => decisionMessage(deps, gateId, message)).catch((error: unknown) => {
      if (error instanceof InvalidScan) return undefined;
      throw error;
    });
}
