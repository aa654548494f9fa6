// The alliance propagation workflow (functions/federation/propagation-definition.ts): a
// standard state machine per entry version that delivers it to every partner through the
// work queue with a task token (the worker signs and POSTs), and records each delivery.
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { propagationDefinition } from '../../functions/federation/propagation-definition.ts';
import type { CapabilityFunction } from '../constructs/capability-function.ts';
import { type ApiStackScope, type FunctionContext, standardWorkflow } from './stack-parts.ts';

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
  // It sends delivery requests and writes delivery records: nothing else.
  const machine = standardWorkflow(stack, 'PropagationWorkflow', definition, { table, key }, workQueue);
  for (const starter of starters) {
    starter.fn.addEnvironment('FEDERATION_STATE_MACHINE_ARN', machine.stateMachineArn);
    machine.grantStartExecution(starter.fn);
  }
  worker.fn.addEnvironment('FEDERATION_STATE_MACHINE_ARN', machine.stateMachineArn);
  machine.grantTaskResponse(worker.fn);
  return machine;
}
