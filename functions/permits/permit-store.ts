// Cross-site permits in DynamoDB: the permit (T#t#PERMIT#id) and a link on the person's
// partition (PERMIT#id), which dispatch reads to find a person's approved permits. The
// workflow (Step Functions) writes the outcome on both; this adapter writes the request,
// each signature (conditionally: one per side) and the task token each side waits on.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationRequest, Notifier } from '../domain/notifications.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, isConditionFailure, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict } from '../shared/errors.ts';
import type { CrossSitePermit, PermitSide, Signature } from './permit.ts';

export interface StoredPermit extends CrossSitePermit {
  /** The task token each side's signature answers (set when the request reached the queue's consumer). */
  tokens: Partial<Record<PermitSide, string>>;
}

export interface PermitStore {
  /** false when the permit already exists (a retried request). */
  create(actor: Actor, permit: CrossSitePermit, requestId: string, now: Date): Promise<boolean>;
  get(tenantId: string, permitId: string): Promise<StoredPermit | undefined>;
  /** Records one side's signature; the stored permit after it. Conflict when that side is already signed. */
  sign(
    actor: Actor,
    permitId: string,
    side: PermitSide,
    signature: Signature,
    requestId: string,
    now: Date,
  ): Promise<StoredPermit>;
  /** Keeps the task token a side waits on; the stored permit after it. */
  keepToken(
    tenantId: string,
    permitId: string,
    side: PermitSide,
    token: string,
  ): Promise<StoredPermit | undefined>;
  /** Puts notifications (the signature requests) in their mailboxes. */
  notify(tenantId: string, requests: NotificationRequest[], now: Date): Promise<void>;
  /** A person's permits as their links say (status kept current by the workflow). */
  permitsOf(
    tenantId: string,
    personId: string,
  ): Promise<Pick<CrossSitePermit, 'permitId' | 'status' | 'toSiteId' | 'from' | 'to'>[]>;
}

const fromItem = (item: Record<string, unknown>): StoredPermit => {
  const { pk, sk, entity, tenantId, ...rest } = item;
  const signatures: StoredPermit['signatures'] = {};
  const tokens: StoredPermit['tokens'] = {};
  for (const side of ['from', 'to'] as const) {
    if (rest[`sig_${side}`]) signatures[side] = rest[`sig_${side}`] as Signature;
    if (rest[`token_${side}`]) tokens[side] = rest[`token_${side}`] as string;
    delete rest[`sig_${side}`];
    delete rest[`token_${side}`];
  }
  return { ...(rest as unknown as CrossSitePermit), signatures, tokens };
};

export class DynamoPermitStore implements PermitStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly notifier: Notifier<TransactItem>,
  ) {}

  async notify(tenantId: string, requests: NotificationRequest[], now: Date) {
    await transact(this.db, this.notifier.prepare(tenantId, requests, now));
  }

  async create(actor: Actor, permit: CrossSitePermit, requestId: string, now: Date) {
    const { signatures, ...fields } = permit;
    try {
      await transact(this.db, [
        guard(
          {
            Put: {
              TableName: this.table,
              Item: {
                ...keys.permit(actor.tenantId, permit.permitId),
                entity: 'cross-site-permit',
                tenantId: actor.tenantId,
                ...fields,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          () => new PermitExists(),
        ),
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.permitLink(actor.tenantId, permit.personId, permit.permitId),
              entity: 'permit-link',
              permitId: permit.permitId,
              status: permit.status,
              fromSiteId: permit.fromSiteId,
              toSiteId: permit.toSiteId,
              from: permit.from,
              to: permit.to,
            },
          },
        },
        auditPut(
          this.table,
          actor,
          {
            action: 'permit.request',
            entityType: 'permit',
            entityId: permit.permitId,
            details: { personId: permit.personId, fromSiteId: permit.fromSiteId, toSiteId: permit.toSiteId },
          },
          requestId,
          now,
        ),
      ]);
      return true;
    } catch (error) {
      if (error instanceof PermitExists) return false;
      throw error;
    }
  }

  async get(tenantId: string, permitId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.permit(tenantId, permitId), ConsistentRead: true }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async sign(
    actor: Actor,
    permitId: string,
    side: PermitSide,
    signature: Signature,
    requestId: string,
    now: Date,
  ) {
    const key = keys.permit(actor.tenantId, permitId);
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: key,
            UpdateExpression: 'SET #sig = :sig',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#sig) AND #status = :pending',
            ExpressionAttributeNames: { '#sig': `sig_${side}`, '#status': 'status' },
            ExpressionAttributeValues: { ':sig': signature, ':pending': 'pending' },
          },
        },
        () => new Conflict('permit_already_signed'),
      ),
      auditPut(
        this.table,
        actor,
        {
          action: `permit.${signature.decision}`,
          entityType: 'permit',
          entityId: permitId,
          details: { side },
        },
        requestId,
        now,
      ),
    ]);
    // Read back, not merged locally: the side's task token may have arrived meanwhile
    // (keepToken), and whoever writes second must see it to answer the workflow.
    return (await this.get(actor.tenantId, permitId)) as StoredPermit;
  }

  async keepToken(tenantId: string, permitId: string, side: PermitSide, token: string) {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.permit(tenantId, permitId),
          UpdateExpression: 'SET #token = :token',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#token': `token_${side}` },
          ExpressionAttributeValues: { ':token': token },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async permitsOf(tenantId: string, personId: string) {
    const items = await queryAll<Record<string, string>>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.person(tenantId, personId).pk, ':sk': 'PERMIT#' },
    });
    return items.map((i) => ({
      permitId: i.permitId as string,
      status: i.status as CrossSitePermit['status'],
      toSiteId: i.toSiteId as string,
      from: i.from as string,
      to: i.to as string,
    }));
  }
}

class PermitExists extends Error {}
