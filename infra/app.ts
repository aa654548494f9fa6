// The CDK app: `npx cdk synth` (offline, environment-agnostic) produces the production
// stacks; cdk-nag's AwsSolutions pack runs as a policy-validation plugin on every synth.
import { App, Validations } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { MonitoringStack } from './stacks/monitoring.ts';

export function buildApp(app = new App()) {
  const prefix = app.node.tryGetContext('stackPrefix') ?? 'SpecialOps';
  const data = new DataStack(app, `${prefix}Data`, {
    description: 'Special-ops compliance: table, key, secrets',
  });
  const api = new ApiStack(app, `${prefix}Api`, {
    description: 'Special-ops compliance: HTTP API, auth and functions',
    table: data.table,
    key: data.key,
    idHashKey: data.idHashKey,
    evidenceExport: data.evidenceExportName,
  });
  api.addStackDependency(data);
  // Alarms, dashboards and saved log queries (docs/operations.md).
  const monitoring = new MonitoringStack(app, `${prefix}Monitoring`, {
    description: 'Special-ops compliance: alarms, dashboards, saved log queries',
    source: api,
    api: api.api,
    table: data.table,
    workQueue: api.workQueue,
    workDeadLetters: api.workQueue.deadLetterQueue?.queue as Queue,
  });
  monitoring.addStackDependency(api);
  return { app, data, api, monitoring };
}

if (process.argv[1]?.endsWith('app.ts')) {
  const { app } = buildApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}
