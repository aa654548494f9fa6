// The CDK app: `npx cdk synth` (offline, environment-agnostic) produces the production
// stacks; cdk-nag's AwsSolutions pack runs as a policy-validation plugin on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';

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
  return { app, data, api };
}

if (process.argv[1]?.endsWith('app.ts')) {
  const { app } = buildApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}
