// A person's channel bindings (WeCom, DingTalk, phone, mail), their follow state and mail
// suppression (N1).
// Credentials are never here: they are the tenant's secret (channel-credentials.ts).

import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../shared/audit.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { TableStore } from '../shared/dynamo/table-store.ts';
import { isConditionFailure, transact } from '../shared/dynamo/transactions.ts';
import type { Bindings } from './channel-rules.ts';
import { bindingsFrom } from './notification-records.ts';

export class DynamoBindingStore extends TableStore {
  async bindings(tenantId: string, personId: string): Promise<Bindings> {
    return bindingsFrom(await this.item<Record<string, unknown>>(keys.bindings(tenantId, personId)));
  }

  async saveBindings(principal: Principal, personId: string, bindings: Bindings, requestId: string) {
    const now = this.clock.now();
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.bindings(principal.tenantId, personId),
            // Listed for the binding check only when there is a WeCom user id to check.
            ...(bindings.wecomUserId ? keys.wecomBindings(principal.tenantId, personId) : {}),
            entity: 'bindings',
            personId,
            ...bindings,
            updatedAt: now.toISOString(),
          },
          // Bindings belong to a person of this tenant: none for an id that is not one.
          ConditionExpression: 'attribute_not_exists(pk) OR entity = :e',
          ExpressionAttributeValues: { ':e': 'bindings' },
        },
      },
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.person(principal.tenantId, personId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      auditPut(
        this.table,
        principal,
        // Which channels are bound, never the phone number or address itself.
        {
          action: 'person.bindings.put',
          entityType: 'person',
          entityId: personId,
          details: { channels: Object.keys(bindings) },
        },
        requestId,
        now,
      ),
    ]);
  }

  /**
   * A leaver's channels dropped (issue 28): no more messages to their WeCom, DingTalk, phone
   * or mail, and off the binding check's list. The item stays, empty (no function deletes
   * items); audited with which channels went. Nothing bound: nothing written.
   */
  async dropBindings(actor: Actor, personId: string, requestId: string): Promise<string[]> {
    const channels = Object.keys(await this.bindings(actor.tenantId, personId));
    if (channels.length === 0) return [];
    const now = this.clock.now();
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.bindings(actor.tenantId, personId),
            entity: 'bindings',
            personId,
            updatedAt: now.toISOString(),
          },
        },
      },
      auditPut(
        this.table,
        actor,
        { action: 'person.bindings.drop', entityType: 'person', entityId: personId, details: { channels } },
        requestId,
        now,
      ),
    ]);
    return channels;
  }

  /** Bindings of many people (a page of the tenant-wide diagnosis), by person id. */
  async bindingsOf(tenantId: string, personIds: string[]): Promise<Map<string, Bindings>> {
    const items = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      personIds.map((p) => keys.bindings(tenantId, p)),
    );
    const byPk = new Map(items.map((i) => [i.pk, i]));
    return new Map(
      personIds.map((p) => {
        return [p, bindingsFrom(byPk.get(keys.bindings(tenantId, p).pk))];
      }),
    );
  }

  /** The binding check's finding: whether the person follows the WeCom app now. */
  async setFollowing(tenantId: string, personId: string, wecomUserId: string, following: boolean) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.bindings(tenantId, personId),
          UpdateExpression: 'SET wecomFollowing = :f, checkedAt = :now',
          // Only if the binding is still the one checked (a PUT may have changed it meanwhile).
          ConditionExpression: 'wecomUserId = :u',
          ExpressionAttributeValues: {
            ':f': following,
            ':u': wecomUserId,
            ':now': this.clock.now().toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Marks a person's address suppressed (bounced for good, or a complaint); false without one. */
  async suppressEmail(tenantId: string, personId: string, reason: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.bindings(tenantId, personId),
          UpdateExpression: 'SET emailSuppressed = :t, suppressedFor = :r, checkedAt = :now',
          ConditionExpression: 'attribute_exists(email)',
          ExpressionAttributeValues: { ':t': true, ':r': reason, ':now': this.clock.now().toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Bound people of a tenant with a WeCom user id, a page at a time (the binding check). */
  async wecomBound(
    tenantId: string,
    cursor: Record<string, string> | undefined,
    limit = 100,
  ): Promise<{ items: { personId: string; wecomUserId: string }[]; next?: Record<string, string> }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.wecomBindings(tenantId).gsi3pk },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({
        personId: i.personId as string,
        wecomUserId: i.wecomUserId as string,
      })),
      ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey as Record<string, string> } : {}),
    };
  }
}

/** The port its use cases are handed: the adapter's public methods. */
export type BindingStore = Pick<DynamoBindingStore, keyof DynamoBindingStore>;
