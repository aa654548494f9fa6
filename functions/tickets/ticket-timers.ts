// A ticket's end as a one-time EventBridge Scheduler schedule (`at(...)`): when the window
// closes the jobs function expires the ticket, whether anyone reads it or not. Named by the
// ticket id (a retried create is a conflict, not a second timer), deleted by the scheduler
// after it fires, and deleted by us when the ticket ends early. Locally, the project's
// scheduler (infra/local/scheduler.ts) reads the same schedules from the emulator and fires them.
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { awsClient } from '../shared/aws-client-config.ts';

export interface TicketTimers {
  /** Expire the ticket at this instant. */
  expireAt(tenantId: string, ticketId: string, at: Date): Promise<void>;
  /** The ticket ended early: its timer is not needed. */
  cancel(ticketId: string): Promise<void>;
}

/** What the schedule hands the jobs function. */
export interface TicketExpiryEvent {
  job: 'ticket-expiry';
  tenantId: string;
  ticketId: string;
}

/** EventBridge Scheduler's one-time expression: `at(yyyy-mm-ddThh:mm:ss)`, here in UTC. */
export const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

export interface SchedulerSettings {
  group: string;
  targetArn: string;
  roleArn: string;
}

export class EventBridgeTicketTimers implements TicketTimers {
  private readonly client = awsClient(SchedulerClient);

  constructor(private readonly settings: () => SchedulerSettings) {}

  async expireAt(tenantId: string, ticketId: string, at: Date) {
    const { group, targetArn, roleArn } = this.settings();
    const input: TicketExpiryEvent = { job: 'ticket-expiry', tenantId, ticketId };
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: ticketId,
          GroupName: group,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: targetArn,
            RoleArn: roleArn,
            Input: JSON.stringify(input),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error; // already armed by an earlier try
    }
  }

  async cancel(ticketId: string) {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: ticketId, GroupName: this.settings().group }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error; // fired or never armed
    }
  }
}
