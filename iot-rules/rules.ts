// The IoT topic rules, read from their SQL files: CDK deploys them as topic rules, the
// local MQTT bridge applies the same topic filter. (Only the FROM filter and topic(n)
// are interpreted locally; the rules keep to that subset.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface TopicRule {
  name: string;
  sql: string;
  topicFilter: string;
}

function load(name: string): TopicRule {
  const sql = readFileSync(fileURLToPath(new URL(`./${name}.sql`, import.meta.url)), 'utf8').trim();
  const from = /FROM\s+'([^']+)'/i.exec(sql);
  if (!from) throw new Error(`iot-rules/${name}.sql has no FROM '<topic filter>'`);
  return { name, sql, topicFilter: from[1] as string };
}

export const GATE_SCAN_RULE = load('gate-scan');

/** MQTT topic-filter matching (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** The SQL function topic(n): the n-th level of the topic, 1-based. */
export const topicLevel = (topic: string, n: number) => topic.split('/')[n - 1];
