// The gate-scan topic rule's action, locally: the gate function's code run as the gate
// function (its table grants enforced), dropping a malformed scan as the Lambda does
// (logged, never retried), so the broker retries only real failures.
import type { DynamoGateStore } from '../../functions/gates/gate-store.ts';
import { decisionMessage, InvalidScan } from '../../functions/gates/scans.ts';
import { asFunction } from './iam-check.ts';
import type { ScanHandler } from './mqtt-broker.ts';

export function gateScanAction(store: DynamoGateStore): ScanHandler {
  return (gateId, message) =>
    asFunction('gates', () => decisionMessage(store, gateId, message)).catch((error: unknown) => {
      if (error instanceof InvalidScan) return undefined;
      throw error;
    });
}
