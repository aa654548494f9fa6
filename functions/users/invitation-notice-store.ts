// An invitation to a worker's own account, written to their inbox like any notice: the
// relay then takes it to their channels by the tenant's rule for `account_invitation`.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notifier } from '../domain/notifications.ts';
import type { Clock } from '../shared/clock.ts';
import { type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import type { InvitationNotices } from './users.ts';

export class InboxInvitationNotices implements InvitationNotices {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly notifier: Notifier<TransactItem>,
    private readonly clock: Clock,
  ) {}

  async toPerson(
    tenantId: string,
    personId: string,
    nameMasked: string,
    invitation: { code: string; expiresAt: string },
  ) {
    const transactItems = this.notifier.prepare(
      tenantId,
      [
        {
          kind: 'account_invitation',
          mailbox: `PERSON#${personId}`,
          personId,
          nameMasked,
          reasons: [],
          invitation,
        },
      ],
      this.clock.now(),
    );
    await transact(this.db, transactItems);
  }
}
