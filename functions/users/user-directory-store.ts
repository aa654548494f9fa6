// DynamoDB adapter of the user directory: tenants, their users, who signs in as whom and the
// open invitations (table-design.ts, pattern 49). Every change carries its audit record in
// the same transaction and is guarded by the record's version; the last active group admin
// is kept by a condition on another one, so two admins removing each other at once cannot
// both succeed.
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TENANT_ITEM, USER_ITEM } from '../domain/entities.ts';
import { type Actor, type AuditEvent, auditPut } from '../shared/audit.ts';
import type { Identity, Principal, PrincipalResolver } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../shared/dynamo/cursor.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, Forbidden, RulesBroken } from '../shared/errors.ts';
import { principalOf, refusal, type TenantRecord, type UserRecord } from './user-rules.ts';

export const codeHash = (code: string) =>
  createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

export interface UserDirectory extends PrincipalResolver {
  getTenant(tenantId: string): Promise<TenantRecord | undefined>;
  listTenants(): Promise<TenantRecord[]>;
  /** A new tenant, its credit-code guard and its first group admin (invited), at once. */
  createTenant(actor: Actor, tenant: TenantRecord, admin: UserRecord, requestId: string): Promise<void>;
  saveTenant(
    actor: Actor,
    before: TenantRecord,
    after: TenantRecord,
    action: string,
    requestId: string,
  ): Promise<void>;
  getUser(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  /** A page of the tenant's users (in id order). */
  listUsers(
    tenantId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: UserRecord[]; nextCursor?: string }>;
  /** Up to `limit` active group admins of the tenant (an index: never every user). */
  activeAdmins(tenantId: string, limit: number): Promise<UserRecord[]>;
  /** The user accounts bound to a person (a worker's own login; rarely more than one). */
  usersOfPerson(tenantId: string, personId: string): Promise<UserRecord[]>;
  /** The user, their open invitation and (when already bound) their login. */
  createUser(actor: Actor, user: UserRecord, requestId: string): Promise<void>;
  /** A changed user (version-guarded); `keeper` is another active group admin when one is taken away. */
  saveUser(
    actor: Actor,
    before: UserRecord,
    after: UserRecord,
    action: string,
    requestId: string,
    keeper?: UserRecord,
  ): Promise<void>;
  deleteUser(actor: Actor, user: UserRecord, requestId: string, keeper?: UserRecord): Promise<void>;
  /** A new code for a user still invited (the old one stops matching at once). */
  reissueInvitation(actor: Actor, before: UserRecord, after: UserRecord, requestId: string): Promise<void>;
  /** Which user an invitation code was sent to (undefined: no such open invitation). */
  invitationFor(hash: string): Promise<{ tenantId: string; userId: string } | undefined>;
  /** Binds the identity to the invited user: their login from now on. */
  acceptInvitation(user: UserRecord, identity: Identity, requestId: string): Promise<UserRecord>;
}

/** How long a removed user's item is kept (TTL) before DynamoDB drops it; the audit trail stays. */
const REMOVED_KEPT_DAYS = 90;

/** A version-guarded write stays a StaleRecord for the caller to re-read. */
const stale = () => new StaleRecord();

export class DynamoUserDirectory implements UserDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item as T | undefined;
  }

  async resolve(identity: Identity): Promise<Principal> {
    const login = await this.get<{ tenantId: string; userId: string }>(
      keys.login(identity.issuer, identity.subject),
    );
    if (!login) throw new Forbidden('no_account');
    const [user, tenant] = await Promise.all([
      this.getUser(login.tenantId, login.userId),
      login.tenantId ? this.getTenant(login.tenantId) : undefined,
    ]);
    if (!user) throw new Forbidden('no_account');
    const refused = refusal(user, tenant);
    if (refused) throw new Forbidden(refused);
    return principalOf(user);
  }

  async getTenant(tenantId: string) {
    return toTenant(await this.get(keys.tenant(tenantId)));
  }

  async listTenants() {
    const q = keys.tenantsQuery();
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': q.pk },
    });
    return items.flatMap((i) => toTenant(i) ?? []);
  }

  async createTenant(actor: Actor, tenant: TenantRecord, admin: UserRecord, requestId: string) {
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: tenantItem(tenant),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        () => new Conflict('tenant_exists'),
      ),
      guard(
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.tenantCode(tenant.unifiedSocialCreditCode),
              entity: 'tenant-code',
              tenantId: tenant.tenantId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        () => new Conflict('tenant_code_taken'),
      ),
      ...this.userItems(admin),
      this.audit(
        { ...actor, tenantId: tenant.tenantId },
        { action: 'tenant.create', entityType: 'tenant', entityId: tenant.tenantId },
        requestId,
      ),
      this.inviteAudit({ ...actor, tenantId: tenant.tenantId }, admin, requestId),
    ]);
  }

  async saveTenant(
    actor: Actor,
    before: TenantRecord,
    after: TenantRecord,
    action: string,
    requestId: string,
  ) {
    await transact(this.db, [
      this.versionedPut(tenantItem({ ...after, version: before.version + 1 }), before.version),
      this.audit(
        { ...actor, tenantId: after.tenantId },
        { action, entityType: 'tenant', entityId: after.tenantId },
        requestId,
      ),
    ]);
  }

  async getUser(tenantId: string, userId: string) {
    return toUser(await this.get(keys.user(tenantId, userId)));
  }

  async listUsers(tenantId: string, limit: number, cursor?: string) {
    const { pk, skPrefix } = keys.users(tenantId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, {
          attribute: 'pk',
          value: pk,
          allowedAttributes: ['pk', 'sk'],
        }),
      }),
    );
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return {
      items: (out.Items ?? []).flatMap((i) => toUser(i) ?? []),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async activeAdmins(tenantId: string, limit: number) {
    const q = keys.activeAdminsQuery(tenantId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: q.index,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': q.pk },
        Limit: limit,
      }),
    );
    // The index lags a moment: what it names is checked again (and, for the keeper, at commit).
    return (out.Items ?? [])
      .flatMap((i) => toUser(i) ?? [])
      .filter((u) => u.role === 'group_admin' && u.state === 'active');
  }

  async usersOfPerson(tenantId: string, personId: string) {
    const q = keys.personUsersQuery(tenantId, personId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: q.index,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': q.pk },
      }),
    );
    // The index lags a moment: each user is read again, consistently, before it is changed.
    const found = await Promise.all((out.Items ?? []).map((i) => this.getUser(tenantId, String(i.userId))));
    return found.filter((u): u is UserRecord => !!u && u.personId === personId);
  }

  async createUser(actor: Actor, user: UserRecord, requestId: string) {
    await transact(this.db, [...this.userItems(user), this.inviteAudit(actor, user, requestId)]);
  }

  private inviteAudit(actor: Actor, user: UserRecord, requestId: string) {
    return this.audit(
      actor,
      { action: 'user.invite', entityType: 'user', entityId: user.userId, details: { role: user.role } },
      requestId,
    );
  }

  /** The user item, its invitation look-up and its login: what creating a user writes. */
  private userItems(user: UserRecord): (TransactItem | ReturnType<typeof guard>)[] {
    const items: (TransactItem | ReturnType<typeof guard>)[] = [
      {
        Put: {
          TableName: this.table,
          Item: userItem(user),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (user.invitation) items.push(this.invitationPut(user, user.invitation));
    if (user.login) items.push(this.loginPut(user, user.login));
    return items;
  }

  /** The code's look-up item: which user an invitation code was sent to. */
  private invitationPut(user: UserRecord, invitation: NonNullable<UserRecord['invitation']>): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.invitation(invitation.codeHash),
          entity: 'invitation',
          tenantId: user.tenantId,
          userId: user.userId,
          // DynamoDB drops it a day after it lapsed (TTL); the expiry itself is checked on use.
          expiresAt: Math.floor(Date.parse(invitation.expiresAt) / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async reissueInvitation(actor: Actor, before: UserRecord, after: UserRecord, requestId: string) {
    if (!after.invitation) throw new Error('a reissued invitation needs its new code');
    await transact(this.db, [
      this.versioned(before, after),
      this.invitationPut(after, after.invitation),
      this.audit(actor, { action: 'user.reinvite', entityType: 'user', entityId: after.userId }, requestId),
    ]);
  }

  private loginPut(user: UserRecord, login: Identity) {
    return guard(
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.login(login.issuer, login.subject),
            entity: 'login',
            tenantId: user.tenantId,
            userId: user.userId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      () => new Conflict('identity_already_bound'),
    );
  }

  private versioned(before: UserRecord, after: UserRecord) {
    return this.versionedPut(userItem({ ...after, version: before.version + 1 }), before.version);
  }

  /** A put that finds the record as it was read (`version`), or fails as stale. */
  private versionedPut(item: Record<string, unknown>, version: number) {
    return guard(
      {
        Put: {
          TableName: this.table,
          Item: item,
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': version },
        },
      },
      stale,
    );
  }

  /** Another group admin is still there, active, as the change commits. */
  private keeperCheck(keeper: UserRecord) {
    return guard(
      {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.user(keeper.tenantId, keeper.userId),
          ConditionExpression: '#r = :admin AND #s = :active',
          ExpressionAttributeNames: { '#r': 'role', '#s': 'state' },
          ExpressionAttributeValues: { ':admin': 'group_admin', ':active': 'active' },
        },
      },
      () => new RulesBroken('last_group_admin', [{ code: 'last_group_admin' }]),
    );
  }

  async saveUser(
    actor: Actor,
    before: UserRecord,
    after: UserRecord,
    action: string,
    requestId: string,
    keeper?: UserRecord,
  ) {
    await transact(this.db, [
      this.versioned(before, after),
      ...(keeper ? [this.keeperCheck(keeper)] : []),
      this.audit(
        actor,
        { action, entityType: 'user', entityId: after.userId, details: changes(before, after) },
        requestId,
      ),
    ]);
  }

  async deleteUser(actor: Actor, user: UserRecord, requestId: string, keeper?: UserRecord) {
    // Marked removed and left to TTL (no function deletes items): reads treat it as gone.
    const now = this.clock.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + REMOVED_KEPT_DAYS * 86_400;
    const { invitation: _i, ...rest } = user;
    await transact(this.db, [
      this.versionedPut(
        {
          ...userItem({
            ...rest,
            state: 'removed' as never,
            updatedAt: now.toISOString(),
            version: user.version + 1,
          }),
          expiresAt,
        },
        user.version,
      ),
      // The login goes with the user: the next call of that identity finds no account.
      ...(user.login
        ? [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.login(user.login.issuer, user.login.subject),
                  entity: 'login',
                  revoked: true,
                  expiresAt,
                },
              },
            },
          ]
        : []),
      ...(keeper ? [this.keeperCheck(keeper)] : []),
      this.audit(
        actor,
        { action: 'user.delete', entityType: 'user', entityId: user.userId, details: { role: user.role } },
        requestId,
      ),
    ]);
  }

  async invitationFor(hash: string) {
    return this.get<{ tenantId: string; userId: string }>(keys.invitation(hash));
  }

  async acceptInvitation(user: UserRecord, identity: Identity, requestId: string) {
    const now = this.clock.now().toISOString();
    const { invitation: _used, ...rest } = user;
    const after: UserRecord = { ...rest, state: 'active', login: identity, updatedAt: now };
    await transact(this.db, [
      this.versioned(user, after),
      this.loginPut(user, identity),
      // The invitation's look-up item stays until its TTL: the code no longer matches the user.
      this.audit(
        { tenantId: user.tenantId, subject: identity.subject, role: user.role },
        { action: 'user.accept-invitation', entityType: 'user', entityId: user.userId },
        requestId,
      ),
    ]);
    return { ...after, version: user.version + 1 };
  }

  private audit(actor: Actor, event: AuditEvent, requestId: string) {
    return auditPut(this.table, actor, event, requestId, this.clock.now());
  }
}

/** The stored user: an active group admin also carries the sparse admins index entry. */
export const userItem = (user: UserRecord) => ({
  ...keys.user(user.tenantId, user.userId),
  ...(user.role === 'group_admin' && user.state === 'active' && user.tenantId
    ? keys.activeAdminIndex(user.tenantId, user.userId)
    : {}),
  ...(user.personId && user.tenantId ? keys.personUserIndex(user.tenantId, user.personId, user.userId) : {}),
  entity: 'user',
  ...user,
});

const tenantItem = (tenant: TenantRecord) => ({
  ...keys.tenant(tenant.tenantId),
  ...keys.tenantIndex(tenant.tenantId),
  entity: 'tenant',
  ...tenant,
});

/** What changed, for the audit record: codes and ids, never contacts. */
function changes(before: UserRecord, after: UserRecord) {
  const out: Record<string, unknown> = {};
  for (const k of ['role', 'siteIds', 'subcontractorId', 'state'] as const)
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      out[k] = { from: before[k] ?? null, to: after[k] ?? null };
  return out;
}

const USER_FIELDS = [
  'userId',
  'tenantId',
  'role',
  'siteIds',
  'subcontractorId',
  'personId',
  'state',
  'name',
  'email',
  'phone',
  'login',
  'invitation',
  'createdAt',
  'createdBy',
  'updatedAt',
  'version',
] as const;

function pick<T>(item: Record<string, unknown> | undefined, fields: readonly string[]): T | undefined {
  if (!item) return undefined;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (item[f] !== undefined) out[f] = item[f];
  return out as T;
}

/** A removed user reads as gone (the item waits for its TTL). */
const toUser = (item: Record<string, unknown> | undefined) => {
  if (item?.state === 'removed') return undefined;
  const user = pick<UserRecord>(item && parseItem(USER_ITEM, 'user', item), USER_FIELDS);
  if (user) user.siteIds ??= [];
  return user;
};

const toTenant = (item: Record<string, unknown> | undefined) =>
  pick<TenantRecord>(item && parseItem(TENANT_ITEM, 'tenant', item), [
    'tenantId',
    'name',
    'unifiedSocialCreditCode',
    'state',
    'settings',
    'createdAt',
    'createdBy',
    'suspendedAt',
    'suspensionReason',
    'version',
  ]);
