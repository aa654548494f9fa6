// The scheduled-jobs part of the API stack: the jobs function and its EventBridge Scheduler
// schedules. Created in the stack's own scope, so every logical ID stays what it was.
import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { SCHEDULES } from '../../functions/jobs/schedules.ts';
import { CapabilityFunction } from '../constructs/capability-function.ts';
import { TABLE_ACCESS } from '../table-access.ts';
import {
  type ApiStackScope,
  type FunctionContext,
  grantGatePublish,
  grantMail,
  grantTableAccess,
  reportSender,
} from './stack-parts.ts';

/**
 * The jobs function and its EventBridge Scheduler schedules (functions/jobs/schedules.ts),
 * retried and dead-lettered so that a failed run is never silently lost.
 */
export function addScheduledJobs(
  stack: ApiStackScope,
  { table, key, environment }: FunctionContext,
): CapabilityFunction {
  const jobs = new CapabilityFunction(stack, 'Jobs', {
    capability: 'jobs',
    environment,
    timeout: Duration.minutes(15),
    memorySize: 1024,
  });
  grantTableAccess(jobs, TABLE_ACCESS.jobs, { table, key });
  // The allowlist jobs sign in KMS and publish retained messages to each gate.
  jobs.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['kms:Sign', 'kms:GetPublicKey'],
      resources: [stack.allowlistKey.keyArn],
    }),
  );
  grantGatePublish(stack, jobs, 'allowlist/*', { retain: true });
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/gates/*/allowlist/*]',
    reason:
      'The allowlist jobs publish each site’s list to every gate of that site, on the gate’s own topic.',
  });
  // The monthly report is sent from one verified identity (-c reportSender=reports@your-domain).
  grantMail(stack, jobs, 'REPORT_SENDER', reportSender(stack));
  const deadLetters = new Queue(stack, 'JobsDeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the scheduled jobs.',
  });
  for (const schedule of SCHEDULES) {
    new Schedule(stack, `Schedule-${schedule.name}`, {
      description: schedule.description,
      schedule: ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timeZone)),
      target: new LambdaInvoke(jobs.fn, {
        input: ScheduleTargetInput.fromObject({ job: schedule.job }),
        deadLetterQueue: deadLetters,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
  // The scheduler's role may invoke the jobs function and its versions (`<arn>:*`).
  const jobsLogicalId = stack.getLogicalId(jobs.fn.node.defaultChild as CfnFunction);
  Validations.of(stack).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${jobsLogicalId}.Arn>:*]`,
    reason:
      'EventBridge Scheduler invokes the jobs function; the :* suffix only covers its own versions and aliases.',
  });
  return jobs;
}

/**
 * Work-ticket expiry timers (functions/tickets/ticket-timers.ts): the tickets function
 * creates and deletes one-time schedules in their own group, each invoking the jobs
 * function through a role only EventBridge Scheduler of this account can assume.
 */
export function addTicketTimers(stack: ApiStackScope, jobs: CapabilityFunction, tickets: CapabilityFunction) {
  const group = new ScheduleGroup(stack, 'TicketTimers', { scheduleGroupName: `${stack.stackName}-tickets` });
  const role = new Role(stack, 'TicketTimerRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: 'EventBridge Scheduler invokes the jobs function when the window of a work ticket ends',
  });
  jobs.fn.grantInvoke(role);
  tickets.fn.addEnvironment('TICKET_SCHEDULE_GROUP', group.scheduleGroupName);
  tickets.fn.addEnvironment('TICKET_EXPIRY_TARGET_ARN', jobs.fn.functionArn);
  tickets.fn.addEnvironment('TICKET_SCHEDULE_ROLE_ARN', role.roleArn);
  tickets.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
      resources: [
        stack.formatArn({
          service: 'scheduler',
          resource: 'schedule',
          resourceName: `${group.scheduleGroupName}/*`,
        }),
      ],
    }),
  );
  tickets.fn.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }));
  Validations.of(stack).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stack.stackName}-tickets/*]`,
    reason:
      'One schedule per work ticket, named by its id at request time, only inside the tickets’ own group.',
  });
}
