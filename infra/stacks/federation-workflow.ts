// The alliance propagation workflow (functions/federation/propagation-definition.ts): a
// standard state machine per entry version that delivers it to every partner through the
// work queue with a task token (the worker signs and POSTs), and records each delivery.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { propagationDefinition } from '../../functions/federation/propagation-definition.ts';
import type { CapabilityFunction } from '../constructs/capability-function.ts';
import { type ApiStackScope, type FunctionContext, KMS_TABLE_ACTIONS } from './stack-parts.ts';

export function addPropagationWorkflow(
  stack: ApiStackScope,
  { table, key }: Pick<FunctionContext, 'table' | 'key'>,
  workQueue: IQueue,
  starters: CapabilityFunction[],
  worker: CapabilityFunction,
): StateMachine {
  const definition = propagationDefinition({
    tableName: table.tableName,
    queueUrl: workQueue.queueUrl,
    partition: stack.partition,
  });
  const machine = new StateMachine(stack, 'PropagationWorkflow', {
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromString(Stack.of(stack).toJsonString(definition)),
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(stack, 'PropagationWorkflowLogs', {
        retention: RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      level: LogLevel.ALL,
      // Pseudonyms and partner answers stay out of the logs.
      includeExecutionData: false,
    },
  });
  // It sends delivery requests and writes delivery records: nothing else.
  workQueue.grantSendMessages(machine);
  machine.addToRolePolicy(
    new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn] }),
  );
  machine.addToRolePolicy(new PolicyStatement({ actions: KMS_TABLE_ACTIONS, resources: [key.keyArn] }));
  for (const starter of starters) {
    starter.fn.addEnvironment('FEDERATION_STATE_MACHINE_ARN', machine.stateMachineArn);
    machine.grantStartExecution(starter.fn);
  }
  worker.fn.addEnvironment('FEDERATION_STATE_MACHINE_ARN', machine.stateMachineArn);
  machine.grantTaskResponse(worker.fn);
  return machine;
}
