import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

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
