// Alarms and a dashboard per stage (issue 30), from cdk-monitoring-constructs (cdklabs: the
// alarm and widget conventions every serverless team at AWS uses, kept current with CDK)
// rather than hand-written CloudWatch resources. Every alarm goes to one SNS topic (e-mail
// with `-c alarmEmail=ops@…`, the operators' WeCom/DingTalk group with `-c alarmRobotSecret=…`). The SLOs each alarm watches: docs/operations.md.
//
// What is watched: every function (errors, throttles, p99 duration), the HTTP API (5xx rate,
// p99 latency), the work queue and every dead-letter queue (depth > 0, oldest message age),
// both workflows (failed, timed-out executions), the table (throttles, system errors), the
// gate scan rule (its failures land in its DLQ), and the product's own metrics: gate
// decision p99 (SLO 500 ms) and the registry's unavailable rate.
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { CfnQueryDefinition, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import type { Construct } from 'constructs';
import { ALLOWLIST_REFRESH_HOURS } from '../../functions/jobs/schedules.ts';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics.ts';
import { CapabilityFunction } from '../constructs/capability-function.ts';

export interface MonitoringProps {
  /** The stack whose functions, queues and workflows are watched. */
  source: Stack;
  api: HttpApi;
  table: ITable;
  /** The work queue and its dead letters (the worker's). */
  workQueue: Queue;
  workDeadLetters: Queue;
}

/** Saved CloudWatch Logs Insights queries the runbooks name (docs/operations.md). */
export const SAVED_QUERIES: Record<string, string> = {
  'requests-by-status': `fields @timestamp, routeKey, status, ms
| filter message = "request served"
| stats count() as requests, pct(ms, 99) as p99 by routeKey, status
| sort requests desc`,
  'one-correlation-id': `fields @timestamp, @log, level, message, routeKey, type, status
| filter correlationId = "<paste the x-correlation-id here>"
| sort @timestamp asc`,
  'errors-by-code': `fields @timestamp, @log, message, code, error.name
| filter level = "ERROR" or level = "WARN"
| stats count() by @log, message, code
| sort count() desc`,
  'requests-per-tenant': `fields @timestamp, tenantId, status
| filter message = "request served" and ispresent(tenantId)
| stats count() as requests by tenantId, status
| sort requests desc`,
  'work-messages-by-type': `fields @timestamp, type, ms
| filter message = "work message done"
| stats count() as done, pct(ms, 99) as p99 by type`,
};

/** The gate scan topic rules of the watched stack (one today). */
const gateScanRules = (source: Stack) =>
  source.node.findAll().filter((c): c is CfnTopicRule => c instanceof CfnTopicRule);

/** An AWS IoT rule metric with an alarm as soon as it counts one (docs/operations.md#gate-scan-rule). */
function iotAlarm(
  metricName: string,
  dimensionsMap: Record<string, string>,
  name: string,
  level: 'Critical' | 'Warning',
) {
  return {
    metric: new Metric({
      namespace: 'AWS/IoT',
      metricName,
      dimensionsMap,
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    alarmFriendlyName: name,
    addAlarm: {
      [level]: {
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
        alarmDescriptionOverride: `Gate scan rule: ${metricName} (docs/operations.md#gate-scan-rule)`,
      },
    },
  };
}

/**
 * Its own stack: a hundred alarms and three dashboards would take the API stack past
 * CloudFormation's 500 resources. It reads the API stack's resources (cross-stack
 * references) and changes none of them.
 */
export class MonitoringStack extends Stack {
  readonly topic: Topic;
  constructor(scope: Construct, id: string, props: MonitoringProps & StackProps) {
    super(scope, id, props);
    this.topic = addMonitoring(this, props).topic;
  }
}

function addMonitoring(stack: Stack, props: MonitoringProps) {
  const topic = new Topic(stack, 'Alarms', {
    displayName: `${stack.stackName} alarms`,
    enforceSSL: true,
  });
  const email = stack.node.tryGetContext('alarmEmail') as string | undefined;
  if (email) topic.addSubscription(new EmailSubscription(email));
  // The operators' WeCom / DingTalk group (`-c alarmRobotSecret=<secret name>`, the secret
  // {kind, key, secret?, keyword?}): a relay function posts each state change through the
  // product's own robot adapters (functions/alarms/).
  const robotSecret = stack.node.tryGetContext('alarmRobotSecret') as string | undefined;
  const relay = robotSecret
    ? new CapabilityFunction(stack, 'AlarmRelay', {
        capability: 'alarms',
        environment: { ALARM_ROBOT_SECRET_ID: robotSecret },
        timeout: Duration.seconds(15),
        memorySize: 256,
      })
    : undefined;
  if (relay && robotSecret) {
    Secret.fromSecretNameV2(stack, 'AlarmRobotSecret', robotSecret).grantRead(relay.fn);
    topic.addSubscription(new LambdaSubscription(relay.fn));
    Validations.of(relay).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.',
    });
  }

  const monitoring = new MonitoringFacade(stack, 'Monitoring', {
    alarmFactoryDefaults: {
      alarmNamePrefix: stack.stackName,
      actionsEnabled: true,
      action: new SnsAlarmActionStrategy({ onAlarmTopic: topic, onOkTopic: topic }),
      datapointsToAlarm: 1,
    },
    dashboardFactory: new DefaultDashboardFactory(stack, 'Dashboards', {
      dashboardNamePrefix: stack.stackName,
      createDashboard: true,
      createSummaryDashboard: true,
      createAlarmDashboard: true,
    }),
  });

  monitoring.addLargeHeader(`${stack.stackName}: API, functions, queues, workflows, table`);
  monitoring.monitorApiGatewayV2HttpApi({
    api: props.api,
    add5xxRateAlarm: { Critical: { maxErrorRate: 0.001 } },
    addLatencyP99Alarm: { Warning: { maxLatency: Duration.seconds(2) } },
  });

  const functions = [
    ...props.source.node
      .findAll()
      .filter((c): c is CapabilityFunction => CapabilityFunction.isCapabilityFunction(c)),
    ...(relay ? [relay] : []),
  ];
  for (const f of functions) {
    const timeout = f.fn.timeout ?? Duration.seconds(10);
    monitoring.monitorLambdaFunction({
      lambdaFunction: f.fn,
      alarmFriendlyName: f.node.id,
      addFaultCountAlarm: { Critical: { maxErrorCount: 0 } },
      addThrottlesCountAlarm: { Warning: { maxErrorCount: 0 } },
      addLatencyP99Alarm: {
        Warning: { maxLatency: Duration.millis(Math.round(timeout.toMilliseconds() * 0.8)) },
      },
    });
  }

  monitoring.monitorSqsQueueWithDlq({
    queue: props.workQueue,
    deadLetterQueue: props.workDeadLetters,
    alarmFriendlyName: 'WorkQueue',
    addQueueMaxMessageAgeAlarm: { Warning: { maxAgeInSeconds: 900 } },
    addDeadLetterQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
    addDeadLetterQueueMaxMessageAgeAlarm: { Warning: { maxAgeInSeconds: 86_400 } },
  });
  // The other dead-letter queues (gate scans, scheduled jobs): anything in them is a failure.
  const dlqs = props.source.node
    .findAll()
    .filter(
      (c): c is Queue => c instanceof Queue && c !== props.workDeadLetters && /DeadLetters$/.test(c.node.id),
    );
  for (const q of dlqs)
    monitoring.monitorSqsQueue({
      queue: q,
      alarmFriendlyName: q.node.id,
      addQueueMaxSizeAlarm: { Critical: { maxMessageCount: 0 } },
      addQueueMaxMessageAgeAlarm: { Warning: { maxAgeInSeconds: 86_400 } },
    });

  for (const machine of props.source.node
    .findAll()
    .filter((c): c is StateMachine => c instanceof StateMachine))
    monitoring.monitorStepFunction({
      stateMachine: machine,
      alarmFriendlyName: machine.node.id,
      addFailedExecutionCountAlarm: { Critical: { maxErrorCount: 0 } },
      addTimedOutExecutionCountAlarm: { Critical: { maxErrorCount: 0 } },
    });

  monitoring.monitorDynamoTable({
    table: props.table,
    alarmFriendlyName: 'Table',
    addReadThrottledEventsCountAlarm: { Warning: { maxThrottledEventsThreshold: 0 } },
    addWriteThrottledEventsCountAlarm: { Warning: { maxThrottledEventsThreshold: 0 } },
    addSystemErrorCountAlarm: { Critical: { maxErrorCount: 0 } },
  });

  // The product's own metrics (functions/shared/metrics.ts): EMF, dimension `service` always.
  const service = 'special-ops';
  const ours = (name: string, dimensionsMap: Record<string, string>, statistic: string) =>
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service, ...dimensionsMap },
      statistic,
      period: Duration.minutes(5),
    });
  const registry = (outcome: string) => ours(METRIC.registryCall, { outcome }, 'Sum');
  const hourly = (name: string, dimensionsMap: Record<string, string>, statistic: string, hours: number) =>
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service, ...dimensionsMap },
      statistic,
      period: Duration.hours(hours),
    });
  monitoring.monitorCustom({
    alarmFriendlyName: 'Product',
    humanReadableName: 'Gate decisions and the registry',
    metricGroups: [
      {
        title: 'Gate decision latency (SLO p99 ≤ 500 ms)',
        metrics: [
          {
            metric: ours(METRIC.gateDecisionLatency, { outcome: 'allow' }, 'p99'),
            alarmFriendlyName: 'GateDecisionP99',
            addAlarm: {
              Critical: {
                threshold: 500,
                comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                datapointsToAlarm: 3,
                evaluationPeriods: 3,
                alarmDescriptionOverride:
                  'Gate decisions slower than the 500 ms SLO (docs/operations.md#gate-decision-p99)',
              },
            },
          },
        ],
      },
      {
        title: 'Registry unavailable rate',
        metrics: [
          {
            metric: new MathExpression({
              expression: 'u / MAX([f + n + u, 1])',
              usingMetrics: { u: registry('unavailable'), f: registry('found'), n: registry('not_found') },
              label: 'unavailable / calls',
              period: Duration.minutes(5),
            }),
            alarmFriendlyName: 'RegistryUnavailable',
            addAlarm: {
              Warning: {
                threshold: 0.2,
                comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                datapointsToAlarm: 2,
                evaluationPeriods: 3,
                alarmDescriptionOverride:
                  'More than a fifth of registry calls failing (docs/operations.md#registry-unavailable)',
              },
            },
          },
        ],
      },
      ...gateScanRules(props.source).map((rule) => ({
        // AWS IoT's own rule metrics: the Lambda action failing (the scan then goes to the
        // rule's error action, the gate-scan DLQ), scans it could not parse, and throttling.
        title: 'Gate scan rule (AWS IoT)',
        metrics: [
          iotAlarm(
            'Failure',
            { RuleName: rule.ref, ActionType: 'Lambda' },
            'GateScanRuleActionFailure',
            'Critical',
          ),
          iotAlarm('ParseError', { RuleName: rule.ref }, 'GateScanRuleParseError', 'Warning'),
          iotAlarm('RuleMessageThrottled', { RuleName: rule.ref }, 'GateScanRuleThrottled', 'Warning'),
        ],
      })),
      {
        title: 'Offline allowlists (refreshed every 6 h, valid 24 h)',
        metrics: [
          {
            // Each publish reports how old the list it replaces had grown.
            metric: hourly(METRIC.allowlistAge, { cause: 'refresh' }, 'Maximum', 1),
            alarmFriendlyName: 'AllowlistAge',
            addAlarm: {
              Critical: {
                threshold: ALLOWLIST_REFRESH_HOURS * 3600 + 30 * 60,
                comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                alarmDescriptionOverride:
                  'A gate held an offline allowlist older than its 6-hour refresh (docs/operations.md#allowlist-age)',
              },
            },
          },
          {
            // One a refresh run, gates or not: none in 7 hours means the refresh stopped.
            metric: hourly(METRIC.allowlistRefresh, {}, 'Sum', ALLOWLIST_REFRESH_HOURS + 1),
            alarmFriendlyName: 'AllowlistRefreshStopped',
            addAlarm: {
              Critical: {
                threshold: 1,
                comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
                treatMissingDataOverride: TreatMissingData.BREACHING,
                alarmDescriptionOverride:
                  'No allowlist refresh ran in 7 hours: lists expire 24 h after issue (docs/operations.md#allowlist-age)',
              },
            },
          },
        ],
      },
    ],
  });

  // The saved queries the runbooks use.
  const logGroups = functions.map((f) => f.logGroup as ILogGroup);
  for (const [name, queryString] of Object.entries(SAVED_QUERIES))
    new CfnQueryDefinition(stack, `Query-${name}`, {
      name: `${stack.stackName}/${name}`,
      queryString,
      logGroupNames: logGroups.map((g) => g.logGroupName),
    });

  return { topic, monitoring };
}
