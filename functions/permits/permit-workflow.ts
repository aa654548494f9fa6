// The co-sign workflow behind a port: start an execution (named by the permit id, so a
// retried start is the same execution), answer a waiting signature, read the execution.
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { awsClient } from '../shared/aws-client-config.ts';
import type { Decision } from './permit.ts';
import { type PermitExecutionInput, REJECTED_ERROR } from './permit-workflow-definition.ts';

export interface PermitWorkflow {
  start(input: PermitExecutionInput): Promise<void>;
  /** Answers one side's waiting task; false when that task is already over (answered, timed out). */
  answer(token: string, decision: Decision, comment?: string): Promise<boolean>;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED; undefined when never started. */
  state(permitId: string): Promise<string | undefined>;
}

export class StepFunctionsPermitWorkflow implements PermitWorkflow {
  private readonly sfn = awsClient(SFNClient);

  constructor(private readonly stateMachineArn: () => string) {}

  async start(input: PermitExecutionInput) {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn(),
          name: input.permitId,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // The same name: this permit's workflow is already running (or ran).
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async answer(token: string, decision: Decision, comment?: string) {
    try {
      if (decision === 'approve')
        await this.sfn.send(
          new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision, comment }) }),
        );
      else
        await this.sfn.send(
          new SendTaskFailureCommand({
            taskToken: token,
            error: REJECTED_ERROR,
            cause: 'rejected by a site manager',
          }),
        );
      return true;
    } catch (error) {
      if (error instanceof InvalidToken || error instanceof TaskDoesNotExist || error instanceof TaskTimedOut)
        return false;
      throw error;
    }
  }

  async state(permitId: string) {
    const machine = this.stateMachineArn();
    // arn:<partition>:states:<region>:<account>:stateMachine:<name> → …:execution:<name>:<execution>
    const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${permitId}`;
    try {
      return (await this.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }
}
