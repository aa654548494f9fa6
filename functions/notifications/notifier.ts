// The Notifier port. A channel turns notification requests into work done with the
// status change: items written in the same transaction (the in-app inbox, and the outbox
// other channels will read), so a notice is never lost nor sent for a change that did
// not happen.

export type { Notifier } from '../domain/notifications.ts';
