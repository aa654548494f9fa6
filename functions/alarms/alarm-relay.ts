// The operators' group hears the alarms where they already talk (issue 30): every message
// CloudWatch sends to the alarm topic (a state change: ALARM, back to OK, no data) is turned
// into a short zh-CN/English note — what fired, its state, why, when in China time, and the
// runbook section its description names — and posted by the product's WeCom or DingTalk
// group-robot adapter (the composition root wires the robot; this module knows only the port).
import * as z from 'zod';

/** The part of CloudWatch's alarm notification the note uses (docs: "Using Amazon SNS with alarms"). */
const AlarmNotification = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).nullish(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  OldStateValue: z.string().max(32).optional(),
  NewStateReason: z.string().max(4096).optional(),
  StateChangeTime: z.string().max(64).optional(),
  Region: z.string().max(64).optional(),
});
export type AlarmNotification = z.infer<typeof AlarmNotification>;

/** What a group robot is configured with (a secret in Secrets Manager). */
export const RobotConfig = z.object({
  kind: z.enum(['wecom', 'dingtalk']),
  /** WeCom: the webhook key; DingTalk: the access_token. */
  key: z.string().min(1),
  /** DingTalk's signature security setting. */
  secret: z.string().min(1).optional(),
  /** DingTalk's keyword security setting: the note must contain it. */
  keyword: z.string().min(1).max(20).optional(),
});
export type RobotConfig = z.infer<typeof RobotConfig>;

export interface AlarmNote {
  title: string;
  markdown: string;
  /** The same state change posted twice (SNS redelivers) is the same note. */
  idempotencyKey: string;
}

/** The operators' group robot: a port. */
export interface AlarmRobot {
  /** The robot's configuration as stored (checked here); undefined when none is configured. */
  config(): Promise<unknown>;
  post(config: RobotConfig, note: AlarmNote): Promise<{ ok: boolean; cause?: string }>;
}

export class RobotNotConfigured extends Error {
  override readonly name = 'RobotNotConfigured';
}
export class RobotRefused extends Error {
  override readonly name = 'RobotRefused';
}

const STATE: Record<AlarmNotification['NewStateValue'], string> = {
  ALARM: '告警 ALARM',
  OK: '恢复 OK',
  INSUFFICIENT_DATA: '无数据 NO DATA',
};

// Made on first use: a time-zone formatter built at import costs every cold start (docs/benchmarks.md).
let shanghai: Intl.DateTimeFormat | undefined;

/** CloudWatch writes `2026-12-07T05:39:23.694+0000`; shown in China time. */
function chinaTime(at: string | undefined): string | undefined {
  if (!at) return undefined;
  const ms = Date.parse(at.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  shanghai ??= new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return Number.isNaN(ms) ? at : `${shanghai.format(new Date(ms))} (UTC+8)`;
}

/** Markdown control characters in text from outside (an alarm reason) shown as themselves. */
const plain = (text: string) => text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The note for one state change; the keyword (DingTalk's security setting) leads the title. */
export function alarmNote(alarm: AlarmNotification, keyword?: string): AlarmNote {
  const runbook = alarm.AlarmDescription?.match(/docs\/operations\.md#[\w-]+/)?.[0];
  const title = `${keyword ? `${keyword} ` : ''}[${STATE[alarm.NewStateValue]}] ${cut(alarm.AlarmName, 120)}`;
  const lines = [
    `### ${plain(title)}`,
    `> 状态 State: **${STATE[alarm.NewStateValue]}**${alarm.OldStateValue ? ` (was ${plain(alarm.OldStateValue)})` : ''}`,
    alarm.AlarmDescription ? `> 说明 About: ${plain(cut(alarm.AlarmDescription, 300))}` : undefined,
    alarm.NewStateReason ? `> 原因 Reason: ${plain(cut(alarm.NewStateReason, 600))}` : undefined,
    chinaTime(alarm.StateChangeTime) ? `> 时间 Time: ${chinaTime(alarm.StateChangeTime)}` : undefined,
    alarm.Region ? `> 区域 Region: ${plain(alarm.Region)}` : undefined,
    runbook ? `> 处置 Runbook: ${runbook}` : undefined,
  ];
  return {
    title: cut(title, 64),
    markdown: lines.filter(Boolean).join('\n'),
    idempotencyKey: `${alarm.AlarmName}#${alarm.NewStateValue}#${alarm.StateChangeTime ?? ''}`,
  };
}

/**
 * Relays one message of the alarm topic to the group robot. What is not an alarm's state
 * change (a test publish, a subscription notice) is skipped; a robot that is not configured
 * or refuses throws, so the invocation fails and is retried — and its own error alarm shows.
 */
export async function relayAlarm(
  robot: AlarmRobot,
  message: string,
): Promise<{ relayed: boolean; alarm?: string; state?: string }> {
  let parsed: ReturnType<typeof AlarmNotification.safeParse>;
  try {
    parsed = AlarmNotification.safeParse(JSON.parse(message));
  } catch {
    return { relayed: false };
  }
  if (!parsed.success) return { relayed: false };
  const stored = await robot.config();
  if (stored === undefined)
    throw new RobotNotConfigured('no operator group robot is configured (ALARM_ROBOT_SECRET_ID)');
  const checked = RobotConfig.safeParse(stored);
  if (!checked.success)
    throw new RobotNotConfigured('the operator group robot secret is not {kind, key, secret?, keyword?}');
  const config = checked.data;
  const outcome = await robot.post(config, alarmNote(parsed.data, config.keyword));
  if (!outcome.ok)
    throw new RobotRefused(`the ${config.kind} robot refused the alarm: ${outcome.cause ?? 'unknown'}`);
  return { relayed: true, alarm: parsed.data.AlarmName, state: parsed.data.NewStateValue };
}
