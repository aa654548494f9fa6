// The gate-decision function: the IoT topic rule (iot-rules/gate-scan.sql) invokes it
// with the scan and `gateId` = topic(2); it answers on gates/{gateId}/decision (QoS 1).
// The rule → Lambda action is asynchronous: a failure is retried and then dead-lettered.
import { gatePublisher, gateStore } from '../composition-root.ts';
import { logger } from '../shared/logger.ts';
import type { GatePublisher } from './gate-publisher.ts';
import type { DynamoGateStore } from './gate-store.ts';
import { decisionMessage, InvalidScan } from './scans.ts';

/** The gate-scan function, wired with the given adapters (the local runtime's broker differs). */
export function gateScanHandler(deps: { gates: DynamoGateStore; publisher: GatePublisher }) {
  return async (event: Record<string, unknown>): Promise<void> => {
    const { gateId, ...message } = event;
    try {
      const decision = await decisionMessage(deps.gates, String(gateId), message);
      await deps.publisher.publish(`gates/${String(gateId)}/decision`, JSON.stringify(decision), {
        retain: false,
      });
    } catch (error) {
      // A malformed scan can never succeed: log it, do not retry it.
      if (error instanceof InvalidScan)
        return logger.warn('invalid gate scan', { gateId: String(gateId), problem: error.message });
      throw error;
    }
  };
}

export const handler = gateScanHandler({ gates: gateStore(), publisher: gatePublisher() });
