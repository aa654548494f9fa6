// The cross-site permit co-sign workflow (functions/permits/permit-workflow-definition.ts):
// a standard state machine that asks each site over the work queue with a task token and
// writes the outcome on the permit and the person's link; the permits function starts and
// answers it, the worker answers it when a signature came before the request.
import { ArnFormat, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { permitWorkflowDefinition } from '../../functions/permits/permit-workflow-definition.ts';
import type { CapabilityFunction } from '../constructs/capability-function.ts';
import { type ApiStackScope, type FunctionContext, standardWorkflow } from './stack-parts.ts';

export function addPermitWorkflow(
  stack: ApiStackScope,
  { table, key }: Pick<FunctionContext, 'table' | 'key'>,
  workQueue: IQueue,
  permits: CapabilityFunction,
  worker: CapabilityFunction,
): StateMachine {
  const definition = permitWorkflowDefinition({
    tableName: table.tableName,
    queueUrl: workQueue.queueUrl,
    partition: stack.partition,
  });
  // The workflow sends signature requests and writes the outcome on two items: nothing else.
  const machine = standardWorkflow(stack, 'PermitWorkflow', definition, { table, key }, workQueue);

  permits.fn.addEnvironment('PERMIT_STATE_MACHINE_ARN', machine.stateMachineArn);
  worker.fn.addEnvironment('PERMIT_STATE_MACHINE_ARN', machine.stateMachineArn);
  machine.grantStartExecution(permits.fn);
  machine.grantTaskResponse(permits.fn);
  machine.grantTaskResponse(worker.fn);
  // Reading one execution's state (GET /permits/{id}): executions of this machine only.
  permits.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['states:DescribeExecution'],
      resources: [
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${machine.stateMachineName}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  const machineId = stack.getLogicalId(machine.node.defaultChild as CfnStateMachine);
  Validations.of(stack).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${machineId}.Name>:*]`,
    reason:
      'An execution is named by its permit id at request time; the grant covers this machine’s executions only.',
  });
  return machine;
}
