// The alarm relay (issue 30): CloudWatch's notification turned into the operators' group
// note — state, reason, China time, the runbook — and what it does when the robot is not
// configured, refuses, or the message is not an alarm.
import { describe, expect, it } from 'vitest';
import {
  type AlarmNote,
  type AlarmRobot,
  alarmNote,
  type RobotConfig,
  RobotNotConfigured,
  RobotRefused,
  relayAlarm,
} from '../../functions/alarms/alarm-relay.ts';

/** As CloudWatch sends it (fields trimmed to those the note reads, plus some it ignores). */
const alarm = {
  AlarmName: 'SpecialOpsMonitoring-Product-GateDecisionP99-Critical',
  AlarmDescription: 'Gate decisions slower than the 500 ms SLO (docs/operations.md#gate-decision-p99)',
  AWSAccountId: '123456789012',
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 3 out of the last 3 datapoints [612.0 (07/12/26 05:35:00)] were greater than the threshold (500.0).',
  StateChangeTime: '2026-12-07T05:40:12.345+0000',
  Region: 'China (Ningxia)',
  OldStateValue: 'OK',
  Trigger: { MetricName: 'GateDecisionLatency' },
};

class FakeRobot implements AlarmRobot {
  posted: { config: RobotConfig; note: AlarmNote }[] = [];
  constructor(
    private readonly configured: unknown,
    private readonly answer: { ok: boolean; cause?: string } = { ok: true },
  ) {}
  async config() {
    return this.configured;
  }
  async post(config: RobotConfig, note: AlarmNote) {
    this.posted.push({ config, note });
    return this.answer;
  }
}

describe('the alarm note', () => {
  it('says what fired, its state and why, when in China time, and where the runbook is', () => {
    const note = alarmNote(alarm as never);
    expect(note.title).toBe('[告警 ALARM] SpecialOpsMonitoring-Product-GateDecisionP99-Critical');
    expect(alarmNote({ ...alarm, AlarmName: `${alarm.AlarmName}-and-more` } as never).title).toHaveLength(64);
    expect(note.markdown).toContain('状态 State: **告警 ALARM** (was OK)');
    expect(note.markdown).toContain('时间 Time: 2026/12/07 13:40:12 (UTC+8)');
    expect(note.markdown).toContain('处置 Runbook: docs/operations.md#gate-decision-p99');
    expect(note.markdown).toContain(
      '原因 Reason: Threshold Crossed: 3 out of the last 3 datapoints \\[612.0',
    );
    expect(note.idempotencyKey).toBe(`${alarm.AlarmName}#ALARM#${alarm.StateChangeTime}`);
  });

  it.each([
    ['OK', '恢复 OK'],
    ['INSUFFICIENT_DATA', '无数据 NO DATA'],
  ])('names the %s state', (state, shown) => {
    expect(alarmNote({ ...alarm, NewStateValue: state } as never).markdown).toContain(`**${shown}**`);
  });

  it('leads with the DingTalk keyword, escapes markdown from outside, and stays short', () => {
    const note = alarmNote(
      { ...alarm, AlarmDescription: undefined, NewStateReason: `<b>*${'x'.repeat(2000)}` } as never,
      '告警',
    );
    expect(note.title.startsWith('告警 [告警 ALARM]')).toBe(true);
    expect(note.markdown).toContain('\\<b\\>\\*');
    expect(note.markdown).not.toContain('Runbook');
    expect(Buffer.byteLength(note.markdown)).toBeLessThan(4096);
  });
});

describe('relaying an alarm', () => {
  const wecom: RobotConfig = { kind: 'wecom', key: 'k' };

  it('posts the note to the configured robot', async () => {
    const robot = new FakeRobot(wecom);
    expect(await relayAlarm(robot, JSON.stringify(alarm))).toEqual({
      relayed: true,
      alarm: alarm.AlarmName,
      state: 'ALARM',
    });
    expect(robot.posted).toHaveLength(1);
    expect(robot.posted[0]?.config).toEqual(wecom);
  });

  it.each([
    ['a test publish', 'hello from the console'],
    ['another JSON', JSON.stringify({ Type: 'Notification', hello: 1 })],
    ['an unknown state', JSON.stringify({ ...alarm, NewStateValue: 'MAYBE' })],
  ])('skips %s without posting', async (_, message) => {
    const robot = new FakeRobot(wecom);
    expect(await relayAlarm(robot, message)).toEqual({ relayed: false });
    expect(robot.posted).toEqual([]);
  });

  it('fails loudly when no robot is configured, or the robot refuses (the invocation is retried)', async () => {
    await expect(relayAlarm(new FakeRobot(undefined), JSON.stringify(alarm))).rejects.toBeInstanceOf(
      RobotNotConfigured,
    );
    await expect(
      relayAlarm(new FakeRobot({ kind: 'telegram', key: 'k' }), JSON.stringify(alarm)),
    ).rejects.toThrow(/not \{kind, key/);
    await expect(
      relayAlarm(new FakeRobot(wecom, { ok: false, cause: 'rate_limited' }), JSON.stringify(alarm)),
    ).rejects.toThrow(new RobotRefused('the wecom robot refused the alarm: rate_limited'));
  });
});
