import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Indexes of the transaction items whose condition failed, or undefined when the error
 * is not a condition failure (those are re-thrown by the caller).
 */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
  return failed.length ? failed : undefined;
}

/**
 * Runs a transaction; a failed condition on item i becomes the error `onFailed[i]` makes
 * (the first such item wins); any other failure is re-thrown as it is.
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  onFailed: Record<number, () => Error> = {},
): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const index = failedConditions(error)?.find((i) => onFailed[i]);
    if (index !== undefined) throw (onFailed[index] as () => Error)();
    throw error;
  }
}
