// Badge bindings: the port and its DynamoDB adapter. A badge belongs to one person at a
// time; binding it elsewhere moves it, and every change marks the tenant's allowlists dirty.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../shared/audit.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound } from '../shared/errors.ts';

export interface BadgeRepository {
  /** The holders of many badges at once (a ledger chunk's look-up): uid → personId, active bindings only. */
  holders(tenantId: string, badgeUids: string[]): Promise<Map<string, string>>;
  /** Binds a badge to a person; a badge bound to someone else moves (their binding is revoked). */
  bind(
    principal: Principal,
    personId: string,
    badgeUid: string,
    requestId: string,
  ): Promise<Record<string, unknown>>;
  revoke(actor: Actor, personId: string, badgeUid: string, requestId: string): Promise<void>;
  /** Whom the badge is bound to now, if anyone. */
  holder(tenantId: string, badgeUid: string): Promise<string | undefined>;
  /** The badges bound to a person now. */
  activeOf(tenantId: string, personId: string): Promise<string[]>;
}

export class DynamoBadgeRepository implements BadgeRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async activeOf(tenantId: string, personId: string) {
    const { pk } = keys.personBadge(tenantId, personId, '');
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :badge)',
        FilterExpression: 'active = :yes',
        ExpressionAttributeValues: { ':pk': pk, ':badge': 'BADGE#', ':yes': true },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((i) => String(i.badgeUid));
  }

  async holder(tenantId: string, badgeUid: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.badge(tenantId, badgeUid), ConsistentRead: true }),
    );
    return out.Item?.active ? String(out.Item.personId) : undefined;
  }

  /** The holders of many badges at once (a ledger chunk's look-up): uid → personId, active bindings only. */
  async holders(tenantId: string, badgeUids: string[]): Promise<Map<string, string>> {
    const items = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      badgeUids.map((uid) => keys.badge(tenantId, uid)),
      { consistent: true },
    );
    return new Map(items.filter((i) => i.active).map((i) => [String(i.badgeUid), String(i.personId)]));
  }

  /**
   * Binds a badge to a person; a badge bound to someone else moves (their binding is revoked).
   * `seenFree`: the caller has just read the badge unheld (the ledger import's batched read),
   * so it is not read again; the write is then conditional on it still being free.
   */
  async bind(principal: Principal, personId: string, badgeUid: string, requestId: string, seenFree = false) {
    const tenantId = principal.tenantId;
    const current = seenFree
      ? { Item: undefined }
      : await this.db.send(
          new GetCommand({
            TableName: this.table,
            Key: keys.badge(tenantId, badgeUid),
            ConsistentRead: true,
          }),
        );
    const previous = current.Item?.active ? String(current.Item.personId) : undefined;
    const boundAt = this.clock.now().toISOString();
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.badge(tenantId, badgeUid),
              ...keys.badgeIndex(tenantId, badgeUid),
              ...keys.allowlistDirty(tenantId, `BADGE#${badgeUid}`, boundAt),
              entity: 'badge',
              badgeUid,
              personId,
              active: true,
              boundAt,
            },
            // Guard against a concurrent rebinding since the badge was read: still unheld, or
            // still exactly the binding read.
            ...(!current.Item
              ? {
                  ConditionExpression: 'attribute_not_exists(pk) OR active = :no',
                  ExpressionAttributeValues: { ':no': false },
                }
              : {
                  ConditionExpression: 'personId = :prev AND boundAt = :prevAt',
                  ExpressionAttributeValues: {
                    ':prev': current.Item.personId,
                    ':prevAt': current.Item.boundAt,
                  },
                }),
          },
        },
        () => new Conflict('concurrent_update'),
      ),
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.personBadge(tenantId, personId, badgeUid),
            entity: 'person-badge',
            badgeUid,
            active: true,
            boundAt,
          },
        },
      },
      ...(previous && previous !== personId
        ? [this.deactivate(keys.personBadge(tenantId, previous, badgeUid), boundAt)]
        : []),
      auditPut(
        this.table,
        principal,
        {
          action: 'badge.bind',
          entityType: 'person',
          entityId: personId,
          details: { badgeUid, ...(previous && previous !== personId ? { from: previous } : {}) },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
    return {
      badgeUid,
      personId,
      boundAt,
      ...(previous && previous !== personId ? { replacedPersonId: previous } : {}),
    };
  }

  /** Marks a badge binding inactive; with `heldBy`, only if it is that person's active badge. */
  private deactivate(
    key: { pk: string; sk: string },
    at: string,
    heldBy?: string,
    marker?: { gsi4pk: string; gsi4sk: string },
  ) {
    return {
      Update: {
        TableName: this.table,
        Key: key,
        UpdateExpression: `SET active = :no, revokedAt = :at${marker ? ', gsi4pk = :mpk, gsi4sk = :msk' : ''}`,
        ...(heldBy ? { ConditionExpression: 'personId = :p AND active = :yes' } : {}),
        ExpressionAttributeValues: {
          ':no': false,
          ':at': at,
          ...(heldBy ? { ':yes': true, ':p': heldBy } : {}),
          ...(marker ? { ':mpk': marker.gsi4pk, ':msk': marker.gsi4sk } : {}),
        },
      },
    };
  }

  async revoke(principal: Actor, personId: string, badgeUid: string, requestId: string) {
    const tenantId = principal.tenantId;
    const at = this.clock.now().toISOString();
    await transact(this.db, [
      guard(
        this.deactivate(keys.badge(tenantId, badgeUid), at, personId, {
          ...keys.allowlistDirty(tenantId, `BADGE#${badgeUid}`, at),
        }),
        () => new NotFound('badge_not_found'),
      ),
      this.deactivate(keys.personBadge(tenantId, personId, badgeUid), at),
      auditPut(
        this.table,
        principal,
        { action: 'badge.revoke', entityType: 'person', entityId: personId, details: { badgeUid } },
        requestId,
        this.clock.now(),
      ),
    ]);
  }
}
