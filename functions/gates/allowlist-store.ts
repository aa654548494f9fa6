// What the allowlist publisher reads and keeps (SPEC X2): the port and its DynamoDB
// adapter. A site's list state (version, parts) sits at its ALLOWLIST item; change
// markers are the sparse GSI4 entries a gate-access change leaves behind.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GATE_VIEW_ITEM } from '../domain/entities.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys, tenantOfKey } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import type { BadgeBinding, GateView, SiteEntryPolicy } from './decision.ts';
import { entryPolicy } from './scan-store.ts';

/** A change that asks for a tenant's lists to be republished. */
export interface AllowlistChange {
  tenantId: string;
  /** Opaque: handed back to `clearChange`. */
  marker: { pk: string; sk: string; seen: string };
}

export interface AllowlistState {
  activeGates(tenantId: string): Promise<{ gateId: string; siteId: string }[]>;
  badges(tenantId: string): Promise<BadgeBinding[]>;
  gateViews(tenantId: string, personIds: string[]): Promise<Map<string, GateView>>;
  sitePolicy(tenantId: string, siteId: string): Promise<SiteEntryPolicy | undefined>;
  /** Takes the site's next list version; answers how many parts the previous list had. */
  nextVersion(
    tenantId: string,
    siteId: string,
    at: Date,
  ): Promise<{ version: number; previousParts: number; previousIssuedAt?: string }>;
  recordParts(tenantId: string, siteId: string, parts: number): Promise<void>;
  pendingChanges(): Promise<AllowlistChange[]>;
  /** Clears a change marker only if unchanged since read: a newer change keeps it for the next run. */
  clearChange(change: AllowlistChange): Promise<void>;
  tenantsWithGates(): Promise<string[]>;
}

const unique = (ids: (string | undefined)[]) => [...new Set(ids.filter((t): t is string => !!t))];

export class DynamoAllowlistState implements AllowlistState {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async activeGates(tenantId: string) {
    const gatesOf = keys.gatesOf(tenantId);
    const gates = await queryAll<{ gateId: string; siteId: string; status: string }>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': gatesOf.pk, ':sk': gatesOf.skPrefix },
    });
    return gates.filter((g) => g.status === 'active').map(({ gateId, siteId }) => ({ gateId, siteId }));
  }

  async badges(tenantId: string): Promise<BadgeBinding[]> {
    const q = keys.badgesQuery(tenantId);
    const items = await queryAll<BadgeBinding>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': q.pk },
    });
    return items.map((b) => ({ badgeUid: b.badgeUid, personId: b.personId, active: b.active === true }));
  }

  async gateViews(tenantId: string, personIds: string[]) {
    const views = parseItems<GateView>(
      GATE_VIEW_ITEM,
      'gate view',
      await batchGetAll(
        this.db,
        this.table,
        personIds.map((p) => keys.gateView(tenantId, p)),
      ),
    );
    return new Map(views.map((v) => [v.personId, v]));
  }

  async sitePolicy(tenantId: string, siteId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.siteEntryPolicy(tenantId, siteId) }),
    );
    return out.Item ? entryPolicy(siteId, out.Item) : undefined;
  }

  async nextVersion(tenantId: string, siteId: string, at: Date) {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.allowlistState(tenantId, siteId),
        UpdateExpression: 'ADD version :one SET entity = :e, siteId = :s, issuedAt = :now',
        ExpressionAttributeValues: {
          ':one': 1,
          ':e': 'allowlist-state',
          ':s': siteId,
          ':now': at.toISOString(),
        },
        // The state as it was: this update's version is the one after it (ADD is atomic), and
        // the previous list's issue time gives the age of the list this one replaces.
        ReturnValues: 'ALL_OLD',
      }),
    );
    const old = out.Attributes ?? {};
    return {
      version: Number(old.version ?? 0) + 1,
      previousParts: Number(old.parts ?? 0),
      ...(typeof old.issuedAt === 'string' ? { previousIssuedAt: old.issuedAt } : {}),
    };
  }

  async recordParts(tenantId: string, siteId: string, parts: number) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.allowlistState(tenantId, siteId),
        UpdateExpression: 'SET parts = :n',
        ExpressionAttributeValues: { ':n': parts },
      }),
    );
  }

  async pendingChanges(): Promise<AllowlistChange[]> {
    const q = keys.allowlistDirtyQuery();
    const markers = await queryAll<{ pk: string; sk: string; gsi4sk: string }>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': q.pk },
    });
    return markers.flatMap((m) => {
      const tenantId = tenantOfKey(m.gsi4sk);
      return tenantId ? [{ tenantId, marker: { pk: m.pk, sk: m.sk, seen: m.gsi4sk } }] : [];
    });
  }

  async clearChange({ marker }: AllowlistChange) {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: marker.pk, sk: marker.sk },
          UpdateExpression: 'REMOVE gsi4pk, gsi4sk',
          ConditionExpression: 'gsi4sk = :seen',
          ExpressionAttributeValues: { ':seen': marker.seen },
        }),
      )
      .catch((error: Error) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async tenantsWithGates(): Promise<string[]> {
    const q = keys.allGatesQuery();
    const gates = await queryAll<{ gsi3sk: string }>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': q.pk },
    });
    return unique(gates.map((g) => tenantOfKey(g.gsi3sk)));
  }
}
