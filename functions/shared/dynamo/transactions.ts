// One way to write a transaction and to read what a failed condition means. Each item
// whose condition may fail names the domain error it raises (`guard`), so no caller maps
// positions (`failed.includes(3)`) that shift whenever an item is added.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentModification } from '../errors.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An item whose failed condition means something: `old` is the item as stored (with ALL_OLD). */
export interface Guarded {
  item: TransactItem;
  onConditionFailed: (old?: Record<string, unknown>) => Error;
  /** Runs once the transaction has committed (a metric of what it changed), never before. */
  onCommitted?: () => void;
}

export const guard = (
  item: TransactItem,
  onConditionFailed: Guarded['onConditionFailed'],
  onCommitted?: () => void,
): Guarded => ({
  item,
  onConditionFailed,
  ...(onCommitted ? { onCommitted } : {}),
});

const isGuarded = (entry: TransactItem | Guarded): entry is Guarded =>
  'onConditionFailed' in entry && typeof entry.onConditionFailed === 'function';

/** The record changed between read and write: re-read and try again (see `retryOnStale`). */
export class StaleRecord extends Error {
  constructor() {
    super('stale record');
    this.name = 'StaleRecord';
  }
}

/**
 * Runs one transaction. A failed condition on a guarded item raises that item's error (the
 * first such item, in order); one on an item nobody guarded — a race nobody foresaw —
 * raises ConcurrentModification (409: the client may retry); anything else is rethrown.
 */
export async function transact(
  db: DynamoDBDocumentClient,
  entries: (TransactItem | Guarded)[],
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({ TransactItems: entries.map((e) => (isGuarded(e) ? e.item : e)) }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
    if (!failed.length) throw error;
    for (const i of failed) {
      const entry = entries[i];
      if (entry && isGuarded(entry)) {
        const old = reasons[i]?.Item;
        throw entry.onConditionFailed(old ? unmarshall(old as never) : undefined);
      }
    }
    throw new ConcurrentModification('concurrent_update');
  }
  for (const e of entries) if (isGuarded(e)) e.onCommitted?.();
}

/** Whether a single conditional write (PutItem/UpdateItem/DeleteItem) found its condition false. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException;

/**
 * Runs a read-decide-write step until it is not working on a stale read (it throws
 * StaleRecord when a guarded version check fails, or what `isStale` names for a store that
 * says so otherwise); after `attempts` tries, 409.
 */
export async function retryOnStale<T>(
  step: () => Promise<T>,
  attempts = 3,
  isStale: (error: unknown) => boolean = (error) => error instanceof StaleRecord,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isStale(error)) throw error;
      if (attempt >= attempts) throw new ConcurrentModification('concurrent_update');
    }
  }
}
