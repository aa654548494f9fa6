import type { DeliveryDeps } from './delivery-deps.ts';

/** Hands pending inbox messages to the work queue, then unmarks them. */
export async function relayPending(
  deps: Pick<DeliveryDeps, 'notifications' | 'workQueue'>,
  pageSize = 200,
  // A sweep can write thousands of notices at once: up to 10,000 a run, page after page
  // (following the index's own cursor: its keys-only copy may still show what was unmarked).
  maxPages = 50,
) {
  let relayed = 0;
  let after: Record<string, string> | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { items, next } = await deps.notifications.pending(pageSize, after);
    if (items.length) {
      await deps.workQueue.send(items.map((p) => ({ type: 'deliver-notification' as const, ...p })));
      // Unmarked only once queued: a crash in between queues it again, which the claims absorb.
      for (const p of items) await deps.notifications.markRelayed(p);
      relayed += items.length;
    }
    if (!next) break;
    after = next;
  }
  return relayed;
}
