// Stores a recomputed status outside a certificate write (status read, daily sweep,
// verification result), with everything a status change sets off.
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonRecord } from '../domain/person.ts';
import type { PersonStatus } from '../domain/status.ts';
import type { StatusCause, StatusWrites } from '../domain/status-write.ts';
import type { Actor } from '../shared/audit.ts';
import { type Guarded, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';

export interface StatusStore {
  /** False when the person changed since it was read (the caller may re-read and retry). */
  save(
    actor: Actor,
    person: PersonRecord,
    status: PersonStatus,
    cause: StatusCause,
    requestId: string,
    now?: Date,
  ): Promise<boolean>;
}

/** Whether storing `next` over what the person carries would change anything. */
/**
 * Whether the stored status differs from a fresh computation, by value: DynamoDB keeps no
 * map key order, so comparing serialised text would see a change on every read in AWS
 * (and write on every status read and sweep). Undefined members count as absent, as they
 * are when stored.
 */
export function statusDiffers(person: PersonRecord, next: PersonStatus): boolean {
  const asStored = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  return !isDeepStrictEqual(asStored(person.status), asStored(next));
}

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
