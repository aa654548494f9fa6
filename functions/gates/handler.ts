// The gate-decision function: the IoT topic rule (iot-rules/gate-scan.sql) invokes it
// with the scan and `gateId` = topic(2); it answers on gates/{gateId}/decision (QoS 1).
// The rule → Lambda action is asynchronous: a failure is retried and then dead-lettered.
import { dynamoAdapters } from '../composition-root.ts';
import { logger } from '../shared/logger.ts';
import { gatePublisher } from './gate-publisher.ts';
import { decisionMessage, InvalidScan } from './scans.ts';

const { gates: store } = dynamoAdapters();
const devices = gatePublisher();

export async function handler(event: Record<string, unknown>): Promise<void> {
  const { gateId, ...message } = event;
  try {
    const decision = await decisionMessage(store, String(gateId), message);
    await devices.publish(`gates/${String(gateId)}/decision`, JSON.stringify(decision), { retain: false });
  } catch (error) {
    // A malformed scan can never succeed: log it, do not retry it.
    if (error instanceof InvalidScan)
      return logger.warn('invalid gate scan', { gateId: String(gateId), problem: error.message });
    throw error;
  }
}
