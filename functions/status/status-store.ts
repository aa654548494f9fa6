// Stores a recomputed status outside a certificate write (status read, daily sweep,
// verification result), with everything a status change sets off.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status.ts';
import type { StatusCause, StatusStore, StatusWrites } from '../domain/status-write.ts';
import type { Actor } from '../shared/audit.ts';
import { type Guarded, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';

export { type StatusStore, statusDiffers } from '../domain/status-write.ts';

export class DynamoStatusStore implements StatusStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly statusWrites: StatusWrites<TransactItem | Guarded>,
  ) {}

  async save(
    actor: Actor,
    person: PersonRecord,
    status: PersonStatus,
    cause: StatusCause,
    requestId: string,
    now: Date,
  ) {
    const presence = await this.statusWrites.presence(person.tenantId, person.personId);
    const items = this.statusWrites.updateItems({ actor, requestId, now }, person, status, cause, presence);
    try {
      await transact(this.db, items);
      return true;
    } catch (error) {
      if (error instanceof StaleRecord) return false; // someone stored a newer status meanwhile
      throw error;
    }
  }
}
