// Outbound propagation of one entry version to every partner (SPEC O4) as Amazon States
// Language (JSONPath: the emulator runs neither JSONata nor `Assign`). One definition, built by
// CDK and by the local runtime. A standard workflow per entry version, named by it, so a
// retried start is the same execution:
//
//   Map over partners (5 at a time) ── Deliver: SQS message with a task token; the worker
//     signs and POSTs it to the partner and answers success or DeliveryFailed
//     ├─ retried with backoff (DeliveryFailed, timeout)
//     ├─ delivered → a delivery record {status: delivered}
//     └─ still failing → a delivery record {status: failed, error} (a later run retries it)

export interface PropagationResources {
  tableName: string;
  queueUrl: string;
  partition: string;
}

export const DELIVERY_FAILED = 'DeliveryFailed';

/** The execution's input (built by the propagation adapter). */
export interface PropagationInput {
  feed: Record<string, unknown>;
  partners: { partnerId: string; record: { pk: string; sk: string } }[];
}

/**
 * The delivery record: an update, so the partner's last answer that the worker noted on the
 * same item (`lastError`) stays beside the outcome (the emulator's Catch output has no Cause).
 */
function record(status: 'delivered' | 'failed', r: PropagationResources) {
  return {
    Type: 'Task',
    Resource: `arn:${r.partition}:states:::dynamodb:updateItem`,
    Parameters: {
      TableName: r.tableName,
      Key: { pk: { 'S.$': '$.record.pk' }, sk: { 'S.$': '$.record.sk' } },
      // Delivered: off the re-run index the worker's failure note put it on.
      UpdateExpression:
        status === 'delivered'
          ? 'SET entity = :entity, partnerId = :partner, #status = :status, #at = :at REMOVE gsi4pk, gsi4sk'
          : 'SET entity = :entity, partnerId = :partner, #status = :status, #at = :at',
      ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
      ExpressionAttributeValues: {
        ':entity': { S: 'delivery' },
        ':partner': { 'S.$': '$.partnerId' },
        ':status': { S: status },
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
    End: true,
  };
}

export function propagationDefinition(r: PropagationResources) {
  return {
    Comment: 'Alliance blacklist: deliver one entry version to every partner, signed (docs/federation.md)',
    StartAt: 'Deliver to each partner',
    States: {
      'Deliver to each partner': {
        Type: 'Map',
        ItemsPath: '$.partners',
        MaxConcurrency: 5,
        Parameters: {
          'partnerId.$': '$$.Map.Item.Value.partnerId',
          'record.$': '$$.Map.Item.Value.record',
          'feed.$': '$.feed',
        },
        Iterator: {
          StartAt: 'Deliver',
          States: {
            Deliver: {
              Type: 'Task',
              Resource: `arn:${r.partition}:states:::sqs:sendMessage.waitForTaskToken`,
              Parameters: {
                QueueUrl: r.queueUrl,
                MessageBody: {
                  type: 'federation-delivery',
                  'partnerId.$': '$.partnerId',
                  'feed.$': '$.feed',
                  'taskToken.$': '$$.Task.Token',
                },
              },
              TimeoutSeconds: 120,
              // Short in-workflow backoff; a partner down for longer is retried by a later run.
              Retry: [
                {
                  ErrorEquals: [DELIVERY_FAILED, 'States.Timeout'],
                  IntervalSeconds: 1,
                  MaxAttempts: 2,
                  BackoffRate: 2,
                },
              ],
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record failure' }],
              ResultPath: '$.answer',
              Next: 'Record delivery',
            },
            'Record delivery': record('delivered', r),
            'Record failure': record('failed', r),
          },
        },
        ResultPath: null,
        End: true,
      },
    },
  };
}
