// What the parts of the API stack (functions, gate devices, scheduled jobs) share. Each part
// creates its resources in the stack's own scope, so splitting the stack into files changed
// no logical ID: a moved Cognito pool or named IoT policy would otherwise be replaced.
import type { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';
import type { CapabilityFunction } from '../constructs/capability-function.ts';
import type { CapabilityAccess } from '../table-access.ts';

export const KMS_TABLE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/** The API stack as its parts see it. */
export type ApiStackScope = Stack & { readonly allowlistKey: IKey; readonly gatePolicyName: string };

/** What every function of the API is built with. */
export interface FunctionContext {
  table: ITable;
  key: IKey;
  environment: Record<string, string>;
}

/**
 * The one way a function is allowed to publish to gates: on gates/<gate>/<what>, retained
 * or not. Topics are per gate, so the resource is a pattern (acknowledged where used).
 */
export function grantGatePublish(
  stack: Stack,
  fn: CapabilityFunction,
  topics: 'decision' | 'allowlist/*',
  options: { retain: boolean },
) {
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: options.retain ? ['iot:Publish', 'iot:RetainPublish'] : ['iot:Publish'],
      resources: [stack.formatArn({ service: 'iot', resource: 'topic', resourceName: `gates/*/${topics}` })],
    }),
  );
}

/** A function's table grants (infra/table-access.ts): named resources only, the key to read them. */
export function grantTableAccess(
  fn: CapabilityFunction,
  access: CapabilityAccess,
  ctx: Pick<FunctionContext, 'table' | 'key'>,
) {
  if (!access.actions.length) return;
  // The table, and its indexes where the capability queries them.
  const indexArns = access.indexes
    ? TABLE_DESIGN.globalSecondaryIndexes.map((gsi) => `${ctx.table.tableArn}/index/${gsi.indexName}`)
    : [];
  fn.fn.addToRolePolicy(
    new PolicyStatement({ actions: access.actions, resources: [ctx.table.tableArn, ...indexArns] }),
  );
  // Reading items needs the table's key; DescribeTable alone (health) does not.
  if (access.actions.some((a) => a !== 'dynamodb:DescribeTable'))
    fn.fn.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [ctx.key.keyArn] }));
}
