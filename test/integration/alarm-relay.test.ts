// The alarm relay end to end (issue 30): an SNS record as the alarm topic delivers it, the
// robot's configuration read from Secrets Manager (the emulator), the note posted by the
// product's WeCom / DingTalk robot adapters to the local provider simulator.
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/alarms/handler.ts';
import {
  SIMULATED_ACCOUNTS as A,
  type ChannelSimulator,
  startChannelSimulator,
} from '../../infra/local/channel-simulator.ts';

let sim: ChannelSimulator;
const secrets = new SecretsManagerClient({});
const suffix = Date.now().toString(36);

const snsEvent = (message: unknown): SNSEvent =>
  ({
    Records: [
      {
        EventSource: 'aws:sns',
        Sns: {
          MessageId: 'm-1',
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: new Date().toISOString(),
        },
      },
    ],
  }) as unknown as SNSEvent;

const alarm = {
  AlarmName: 'SpecialOpsMonitoring-WorkQueue-DLQ-Critical',
  AlarmDescription: 'Messages in the dead-letter queue (docs/operations.md#work-queue-age-dead-letters)',
  NewStateValue: 'ALARM',
  OldStateValue: 'OK',
  NewStateReason: 'Threshold Crossed: 1 datapoint [1.0] was greater than the threshold (0.0).',
  StateChangeTime: '2026-12-07T02:00:00.000+0000',
  Region: 'China (Beijing)',
};

async function robotSecret(name: string, value: unknown) {
  await secrets.send(
    new CreateSecretCommand({ Name: `${name}-${suffix}`, SecretString: JSON.stringify(value) }),
  );
  return `${name}-${suffix}`;
}

beforeAll(async () => {
  sim = await startChannelSimulator();
  process.env.WECOM_BASE_URL = sim.url;
  process.env.DINGTALK_BASE_URL = sim.url;
});
afterAll(async () => {
  delete process.env.ALARM_ROBOT_SECRET_ID;
  delete process.env.WECOM_BASE_URL;
  delete process.env.DINGTALK_BASE_URL;
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

describe('the alarm relay', () => {
  it('posts an alarm to the operators’ WeCom group robot', async () => {
    process.env.ALARM_ROBOT_SECRET_ID = await robotSecret('alarm-robot-wecom', {
      kind: 'wecom',
      key: A.wecomRobotKey,
    });
    await handler(snsEvent(alarm));
    expect(sim.sent).toHaveLength(1);
    const [sent] = sim.sent;
    expect(sent?.provider).toBe('wecom_robot');
    const content = (sent?.body.markdown as { content?: string } | undefined)?.content ?? '';
    expect(content).toContain('SpecialOpsMonitoring-WorkQueue-DLQ-Critical');
    expect(content).toContain('时间 Time: 2026/12/07 10:00:00 (UTC+8)');
    expect(content).toContain('docs/operations.md#work-queue-age-dead-letters');
  });

  it('signs for a DingTalk robot and carries its keyword; back to OK is told too', async () => {
    process.env.ALARM_ROBOT_SECRET_ID = await robotSecret('alarm-robot-dingtalk', {
      kind: 'dingtalk',
      key: A.dingtalkRobot.key,
      secret: A.dingtalkRobot.secret,
      keyword: A.dingtalkRobot.keyword,
    });
    await handler(snsEvent({ ...alarm, NewStateValue: 'OK', OldStateValue: 'ALARM' }));
    expect(sim.sent.map((s) => s.provider)).toEqual(['dingtalk_robot']);
    expect(JSON.stringify(sim.sent[0]?.body)).toContain('恢复 OK');
  });

  it('fails the invocation (SNS retries it) when the robot refuses or is down, and skips what is no alarm', async () => {
    process.env.ALARM_ROBOT_SECRET_ID = await robotSecret('alarm-robot-wrong', {
      kind: 'wecom',
      key: 'not-the-key',
    });
    await expect(handler(snsEvent(alarm))).rejects.toThrow(/robot refused the alarm/);
    process.env.ALARM_ROBOT_SECRET_ID = await robotSecret('alarm-robot-down', {
      kind: 'wecom',
      key: A.wecomRobotKey,
    });
    sim.switches.down = true;
    await expect(handler(snsEvent(alarm))).rejects.toThrow(/provider_down/);
    sim.switches.down = false;
    await handler(snsEvent('a test message from the console'));
    expect(sim.sent).toEqual([]);
    delete process.env.ALARM_ROBOT_SECRET_ID;
    await expect(handler(snsEvent(alarm))).rejects.toThrow(/no operator group robot is configured/);
  });
});
