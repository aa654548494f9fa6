// Gate devices: the port the provisioning use cases talk to and its DynamoDB adapter
// (each gate's record under its tenant, its state, its site's published allowlist parts).
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound } from '../shared/errors.ts';

export interface GateDevices {
  gate(
    tenantId: string,
    gateId: string,
  ): Promise<{ gateId: string; siteId: string; status: string } | undefined>;
  allowlistParts(tenantId: string, siteId: string): Promise<number>;
  retireGate(
    principal: Principal,
    gate: { gateId: string; siteId: string },
    requestId: string,
  ): Promise<void>;
  gatesOfSite(
    tenantId: string,
    siteId: string,
  ): Promise<{
    items: { gateId: string; siteId: string; name: string; status: string; createdAt: string }[];
  }>;
  siteExists(tenantId: string, siteId: string): Promise<boolean>;
  siteState(tenantId: string, siteId: string): Promise<{ closed: boolean } | undefined>;
  recordGate(
    principal: Principal,
    gate: { gateId: string; siteId: string; name: string },
    requestId: string,
  ): Promise<void>;
  setGateStatus(tenantId: string, gateId: string, status: 'active' | 'failed'): Promise<void>;
}

export class DynamoGateDevices implements GateDevices {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async gate(tenantId: string, gateId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.gate(tenantId, gateId), ConsistentRead: true }),
    );
    return out.Item as { gateId: string; siteId: string; status: string } | undefined;
  }

  /** The number of allowlist parts last published to a site's gates. */
  async allowlistParts(tenantId: string, siteId: string): Promise<number> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.allowlistState(tenantId, siteId) }),
    );
    return Number(out.Item?.parts ?? 0);
  }

  /** Marks a gate retired (it no longer gets allowlists), with its audit record. */
  async retireGate(principal: Principal, gate: { gateId: string; siteId: string }, requestId: string) {
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.gate(principal.tenantId, gate.gateId),
            UpdateExpression: 'SET #s = :retired, retiredAt = :now',
            ConditionExpression: '#s = :active',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':retired': 'retired',
              ':active': 'active',
              ':now': this.clock.now().toISOString(),
            },
          },
        },
        () => new NotFound('gate_not_found'),
      ),
      auditPut(
        this.table,
        principal,
        {
          action: 'gate.retire',
          entityType: 'site',
          entityId: gate.siteId,
          details: { gateId: gate.gateId },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  /** A site's gates, and the version of the allowlist last published to them. */
  async gatesOfSite(tenantId: string, siteId: string) {
    const of = keys.gatesOf(tenantId);
    const [gates, state] = await Promise.all([
      queryAll<{ gateId: string; siteId: string; name: string; status: string; createdAt: string }>(this.db, {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: {
          ':pk': of.pk,
          ':sk': `${of.skPrefix}${tenantId}:${siteId}:`,
        },
      }),
      this.db.send(new GetCommand({ TableName: this.table, Key: keys.allowlistState(tenantId, siteId) })),
    ]);
    return {
      items: gates.map(({ gateId, name, status, createdAt }) => ({
        gateId,
        siteId,
        name,
        status,
        createdAt,
      })),
      allowlist: state.Item
        ? {
            version: Number(state.Item.version),
            issuedAt: String(state.Item.issuedAt),
            ...(state.Item.parts ? { parts: Number(state.Item.parts) } : {}),
          }
        : null,
    };
  }

  /** Whether the site exists, and whether it is closed (no gate is provisioned at a closed site). */
  async siteState(tenantId: string, siteId: string): Promise<{ closed: boolean } | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.site(tenantId, siteId), ConsistentRead: true }),
    );
    return out.Item ? { closed: !!out.Item.closed } : undefined;
  }

  async siteExists(tenantId: string, siteId: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.site(tenantId, siteId) }),
    );
    return !!out.Item;
  }

  /** Records a gate before its device identity exists; a gate whose provisioning failed may be recorded again. */
  async recordGate(
    principal: Principal,
    gate: { gateId: string; siteId: string; name: string },
    requestId: string,
  ) {
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.gate(principal.tenantId, gate.gateId),
              ...keys.gateIndex(principal.tenantId, gate.gateId),
              entity: 'gate',
              ...gate,
              status: 'provisioning',
              createdAt: this.clock.now().toISOString(),
            },
            // A gate whose provisioning failed, or that was retired, may be provisioned again.
            ConditionExpression: 'attribute_not_exists(pk) OR #s IN (:failed, :retired)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':failed': 'failed', ':retired': 'retired' },
          },
        },
        () => new Conflict('gate_exists'),
      ),
      auditPut(
        this.table,
        principal,
        {
          action: 'gate.create',
          entityType: 'site',
          entityId: gate.siteId,
          details: { gateId: gate.gateId },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
  }

  async setGateStatus(tenantId: string, gateId: string, status: 'active' | 'failed') {
    // A new gate gets its site's allowlist on the next allowlists run.
    const marker = keys.allowlistDirty(tenantId, `GATE#${gateId}`, this.clock.now().toISOString());
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.gate(tenantId, gateId),
        UpdateExpression: `SET #s = :s${status === 'active' ? ', gsi4pk = :mpk, gsi4sk = :msk' : ''}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': status,
          ...(status === 'active' ? { ':mpk': marker.gsi4pk, ':msk': marker.gsi4sk } : {}),
        },
      }),
    );
  }
}
