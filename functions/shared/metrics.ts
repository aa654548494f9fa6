// Metrics with Powertools (CloudWatch embedded metric format: a JSON log line CloudWatch
// turns into metrics, no API call on the request path). One namespace; dimensions are kept
// low-cardinality — capability, outcome, reason, channel, colour — never a tenant, person,
// site or any id: per-tenant figures are log queries (docs/operations.md), not dimensions.
//
// Every point is its own single metric, flushed at once: the local gateway serves many
// requests in one process, and dimensions set on a shared instance would mix them.
// METRICS=off (the tests) writes nothing.
//
// Powertools Metrics is imported on the first point, not at start-up: imported eagerly it
// was most of what kept the HTTP functions at the 1.3× cold-start edge and the worker at 1.7×
// (docs/benchmarks.md). Points made while it loads wait in order and are written once it is
// there; every entry point awaits `metricsFlushed()` before it returns, so none is lost
// when Lambda freezes the container.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.ts';

export const METRICS_NAMESPACE = 'SpecialOps';

let metrics: Metrics | undefined;
let loading: Promise<void> | undefined;
const pending: Point[] = [];

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
  allowlistRefresh: 'AllowlistRefresh',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Dimension names allowed (their values must come from closed sets). */
export type Dimensions = Partial<
  Record<'capability' | 'outcome' | 'reason' | 'channel' | 'colour' | 'cause', string>
>;

const enabled = () => process.env.METRICS !== 'off';

type Unit = 'Count' | 'Milliseconds' | 'Seconds';
interface Point {
  name: MetricName;
  unit: Unit;
  value: number;
  dimensions: Dimensions;
}

function write(m: Metrics, p: Point) {
  const single = m.singleMetric();
  for (const [k, v] of Object.entries(p.dimensions)) if (v !== undefined) single.addDimension(k, v);
  single.addMetric(p.name, p.unit, p.value);
}

/** Metrics could not be loaded: points are dropped (a metric never fails a request). */
let unavailable = false;

function load() {
  loading ??= import('@aws-lambda-powertools/metrics')
    .then(({ Metrics }) => {
      const m = new Metrics({
        namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
        serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'special-ops',
      });
      for (const p of pending.splice(0)) write(m, p);
      metrics = m;
    })
    .catch((error: unknown) => {
      unavailable = true;
      pending.length = 0;
      logger.error('metrics unavailable: points are dropped', { error: String(error) });
    });
  return loading;
}

function point(name: MetricName, unit: Unit, value: number, dimensions: Dimensions) {
  if (!enabled() || unavailable) return;
  const p = { name, unit, value, dimensions };
  if (metrics) return write(metrics, p);
  pending.push(p);
  void load();
}

/** Resolves once every point made so far is written (entry points await it before returning). */
export const metricsFlushed = (): Promise<void> => (pending.length ? load() : Promise.resolve());

/** One occurrence (a decision, a delivery, a change). */
export const count = (name: MetricName, dimensions: Dimensions = {}, n = 1) =>
  point(name, 'Count', n, dimensions);

/** A duration in milliseconds. */
export const millis = (name: MetricName, ms: number, dimensions: Dimensions = {}) =>
  point(name, 'Milliseconds', Math.round(ms), dimensions);

/** An age in seconds (the offline allowlists'). */
export const seconds = (name: MetricName, s: number, dimensions: Dimensions = {}) =>
  point(name, 'Seconds', Math.round(s), dimensions);

let cold = true;
/** The container's first invocation, once (per capability). */
export function coldStart(capability: string) {
  if (!cold) return;
  cold = false;
  count(METRIC.coldStart, { capability });
}
