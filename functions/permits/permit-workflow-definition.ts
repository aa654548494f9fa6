// The cross-site permit co-sign workflow as Amazon States Language (JSONPath: the emulator
// runs neither JSONata nor `Assign`). One definition, built by CDK (infra/stacks) and by the
// local runtime (infra/local/provision.ts) with their own table, queue and partition.
//
//   Signatures (Parallel) ── from-site manager ┐  each: SQS message with a task token,
//                         └─ to-site manager   ┘  waiting up to the tenant's window
//     both approve → Approved: permit and person link marked approved
//     a reject (SendTaskFailure PermitRejected) → Rejected
//     no answer in time (States.Timeout → PermitExpired) → Expired

export interface WorkflowResources {
  tableName: string;
  queueUrl: string;
  partition: string;
}

/** The execution's input (built by the permits use case). */
export interface PermitExecutionInput {
  tenantId: string;
  permitId: string;
  fromSiteId: string;
  toSiteId: string;
  timeoutSeconds: number;
  keys: { permit: { pk: string; sk: string }; link: { pk: string; sk: string } };
}

export const REJECTED_ERROR = 'PermitRejected';
export const EXPIRED_ERROR = 'PermitExpired';

function signatureBranch(side: 'from' | 'to', r: WorkflowResources) {
  return {
    StartAt: `Ask ${side}-site manager`,
    States: {
      [`Ask ${side}-site manager`]: {
        Type: 'Task',
        Resource: `arn:${r.partition}:states:::sqs:sendMessage.waitForTaskToken`,
        Parameters: {
          QueueUrl: r.queueUrl,
          MessageBody: {
            type: 'permit-signature-request',
            'tenantId.$': '$.tenantId',
            'permitId.$': '$.permitId',
            side,
            'siteId.$': `$.${side}SiteId`,
            'taskToken.$': '$$.Task.Token',
          },
        },
        TimeoutSecondsPath: '$.timeoutSeconds',
        // Turned into our own error inside the branch: the emulator cannot carry a States.*
        // error out of a Parallel branch (it re-raises it as a custom name and fails the
        // execution); in AWS both ways work.
        Catch: [{ ErrorEquals: ['States.Timeout'], Next: `${side}-site did not sign in time` }],
        End: true,
      },
      [`${side}-site did not sign in time`]: {
        Type: 'Fail',
        Error: EXPIRED_ERROR,
        Cause: 'no signature within the tenant’s window',
      },
    },
  };
}

/** Marks the permit and the person's link with the outcome; only a pending permit moves. */
function mark(
  name: string,
  status: 'approved' | 'rejected' | 'expired',
  key: 'permit' | 'link',
  r: WorkflowResources,
  next?: string,
) {
  return {
    [name]: {
      Type: 'Task',
      Resource: `arn:${r.partition}:states:::dynamodb:updateItem`,
      Parameters: {
        TableName: r.tableName,
        Key: { pk: { 'S.$': `$.keys.${key}.pk` }, sk: { 'S.$': `$.keys.${key}.sk` } },
        UpdateExpression: 'SET #status = :status, decidedAt = :at',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': { S: status },
          ':pending': { S: 'pending' },
          ':at': { 'S.$': '$$.State.EnteredTime' },
        },
      },
      ResultPath: null,
      Retry: [
        {
          ErrorEquals: [
            'DynamoDB.ProvisionedThroughputExceededException',
            'DynamoDB.InternalServerErrorException',
          ],
          MaxAttempts: 5,
          BackoffRate: 2,
          IntervalSeconds: 1,
        },
      ],
      ...(next ? { Next: next } : { End: true }),
    },
  };
}

export function permitWorkflowDefinition(r: WorkflowResources) {
  return {
    Comment: 'Cross-site permit: both sites’ safety managers co-sign (docs/work-tickets.md)',
    StartAt: 'Signatures',
    States: {
      Signatures: {
        Type: 'Parallel',
        Branches: [signatureBranch('from', r), signatureBranch('to', r)],
        ResultPath: '$.signatures',
        Catch: [
          { ErrorEquals: [REJECTED_ERROR], ResultPath: '$.error', Next: 'Rejected' },
          { ErrorEquals: [EXPIRED_ERROR], ResultPath: '$.error', Next: 'Expired' },
        ],
        Next: 'Approved',
      },
      ...mark('Approved', 'approved', 'permit', r, 'Person may cross'),
      ...mark('Person may cross', 'approved', 'link', r),
      ...mark('Rejected', 'rejected', 'permit', r, 'Person may not cross'),
      ...mark('Person may not cross', 'rejected', 'link', r),
      ...mark('Expired', 'expired', 'permit', r, 'Permit lapsed'),
      ...mark('Permit lapsed', 'expired', 'link', r),
    },
  };
}
