// The alarm-relay function: subscribed to the alarm topic (infra/stacks/monitoring.ts) when
// an operator group robot is configured; each SNS record is one alarm state change.
import type { SNSEvent } from 'aws-lambda';
import { alarmRobot } from '../composition-root.ts';
import { logger } from '../shared/logger.ts';
import { coldStart, metricsFlushed } from '../shared/metrics.ts';
import { relayAlarm } from './alarm-relay.ts';

export async function handler(event: SNSEvent): Promise<void> {
  coldStart('alarms');
  try {
    for (const record of event.Records) {
      const out = await relayAlarm(alarmRobot(), record.Sns.Message);
      if (out.relayed) logger.info('alarm relayed', { alarm: out.alarm, state: out.state });
      else logger.warn('not an alarm state change: skipped', { messageId: record.Sns.MessageId });
    }
  } finally {
    await metricsFlushed();
  }
}
