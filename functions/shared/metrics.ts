// Metrics with Powertools (CloudWatch embedded metric format: a JSON log line CloudWatch
// turns into metrics, no API call on the request path). One namespace; dimensions are kept
// low-cardinality — capability, outcome, reason, channel, colour — never a tenant, person,
// site or any id: per-tenant figures are log queries (docs/operations.md), not dimensions.
//
// Every point is its own single metric, flushed at once: the local gateway serves many
// requests in one process, and dimensions set on a shared instance would mix them.
// METRICS=off (the tests) writes nothing.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'SpecialOps';

const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'special-ops',
});

/** The metric names, one list: the dashboard and the alarms (infra/) name the same ones. */
export const METRIC = {
  coldStart: 'ColdStart',
  gateDecision: 'GateDecision',
  gateDecisionLatency: 'GateDecisionLatency',
  statusChange: 'StatusChange',
  registryCall: 'RegistryCall',
  registryLatency: 'RegistryLatency',
  notification: 'Notification',
  webhookDelivery: 'WebhookDelivery',
  federationDelivery: 'FederationDelivery',
  importRow: 'ImportRow',
  allowlistPublished: 'AllowlistPublished',
  allowlistAge: 'AllowlistAge',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Dimension names allowed (their values must come from closed sets). */
export type Dimensions = Partial<
  Record<'capability' | 'outcome' | 'reason' | 'channel' | 'colour' | 'cause', string>
>;

const enabled = () => process.env.METRICS !== 'off';

function point(
  name: MetricName,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
  dimensions: Dimensions,
) {
  if (!enabled()) return;
  const single = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) if (v !== undefined) single.addDimension(k, v);
  single.addMetric(name, unit, value);
}

/** One occurrence (a decision, a delivery, a change). */
export const count = (name: MetricName, dimensions: Dimensions = {}, n = 1) =>
  point(name, MetricUnit.Count, n, dimensions);

/** A duration in milliseconds. */
export const millis = (name: MetricName, ms: number, dimensions: Dimensions = {}) =>
  point(name, MetricUnit.Milliseconds, Math.round(ms), dimensions);

/** An age in seconds (the offline allowlists'). */
export const seconds = (name: MetricName, s: number, dimensions: Dimensions = {}) =>
  point(name, MetricUnit.Seconds, Math.round(s), dimensions);

let cold = true;
/** The container's first invocation, once (per capability). */
export function coldStart(capability: string) {
  if (!cold) return;
  cold = false;
  count(METRIC.coldStart, { capability });
}
