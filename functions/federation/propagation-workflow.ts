// The propagation workflow behind a port: start one entry version's delivery to the partners
// (an execution named by entry and version: a retried start is the same execution), and
// answer a waiting delivery.
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { awsClient } from '../shared/aws-client-config.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import type { FeedEntry } from './federation-rules.ts';
import { DELIVERY_FAILED, type PropagationInput } from './propagation-definition.ts';

export interface Propagation {
  /** Delivers the change to these partners; `attempt` names a later re-run of failed ones. */
  start(feed: FeedEntry, partnerIds: string[], attempt?: string): Promise<void>;
  /** Answers one partner's waiting delivery; false when it is over already. */
  answer(
    token: string,
    outcome: { delivered: true; status: number } | { delivered: false; cause: string },
  ): Promise<boolean>;
}

/** Execution names allow [A-Za-z0-9-_] up to 80 characters. */
export const executionName = (feed: Pick<FeedEntry, 'entryRef' | 'version'>, attempt?: string) =>
  `${feed.entryRef}-v${feed.version}${attempt ? `-${attempt}` : ''}`
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 80);

export class StepFunctionsPropagation implements Propagation {
  private readonly sfn = awsClient(SFNClient);

  constructor(private readonly stateMachineArn: () => string) {}

  async start(feed: FeedEntry, partnerIds: string[], attempt?: string) {
    if (!partnerIds.length) return;
    const input: PropagationInput = {
      feed: { ...feed },
      partners: partnerIds.map((partnerId) => ({
        partnerId,
        record: keys.delivery(feed.entryRef, feed.version, partnerId),
      })),
    };
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn(),
          name: executionName(feed, attempt),
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async answer(
    token: string,
    outcome: { delivered: true; status: number } | { delivered: false; cause: string },
  ) {
    try {
      if (outcome.delivered)
        await this.sfn.send(
          new SendTaskSuccessCommand({
            taskToken: token,
            output: JSON.stringify({ status: String(outcome.status) }),
          }),
        );
      else
        await this.sfn.send(
          new SendTaskFailureCommand({
            taskToken: token,
            error: DELIVERY_FAILED,
            cause: outcome.cause.slice(0, 250),
          }),
        );
      return true;
    } catch (error) {
      if (error instanceof InvalidToken || error instanceof TaskDoesNotExist || error instanceof TaskTimedOut)
        return false;
      throw error;
    }
  }
}
