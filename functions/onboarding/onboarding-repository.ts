// DynamoDB adapter for the consent ledger and admission flows. Consents live on the
// person's partition (one item per record, never edited but for its withdrawal); a flow is
// its own item, saved whole under a version guard, with a link on the person's partition
// so that a withdrawal finds every flow holding face evidence. Every write carries its audit.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Onboarding } from '../../schemas/onboarding.ts';
import { type Actor, type AuditEvent, auditPut } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, transact } from '../shared/dynamo/transactions.ts';
import { ConcurrentModification, Conflict } from '../shared/errors.ts';
import type { ConsentRecord } from './consent.ts';
import { hashBands, type IndexedHash } from './forgery.ts';
import type { ImageHashes, ImagePrints } from './forgery-analysis.ts';

/** A flow as stored: the response shape plus what guards it. */
export type OnboardingRecord = Onboarding & { tenantId: string; version: number; createdBy: string };

export interface OnboardingRepository {
  consents(tenantId: string, personId: string): Promise<ConsentRecord[]>;
  addConsent(actor: Actor, personId: string, record: ConsentRecord, requestId: string): Promise<void>;
  /** Marks the record withdrawn; 409 when it already was. */
  withdrawConsent(
    actor: Actor,
    personId: string,
    record: ConsentRecord,
    details: Record<string, unknown>,
    requestId: string,
  ): Promise<void>;
  create(actor: Actor, flow: OnboardingRecord, requestId: string): Promise<void>;
  get(tenantId: string, onboardingId: string): Promise<OnboardingRecord | undefined>;
  /** Saves a changed flow if nobody saved it since `flow.version - 1` was read. */
  save(
    actor: Actor,
    flow: OnboardingRecord,
    event: Omit<AuditEvent, 'entityType' | 'entityId'>,
    requestId: string,
  ): Promise<void>;
  flowsOf(tenantId: string, personId: string): Promise<string[]>;
  /** Images of the tenant whose hashes share a band with these (the reuse candidates). */
  reuseCandidates(
    tenantId: string,
    hashes: ImageHashes,
  ): Promise<{ card: IndexedHash[]; photo: IndexedHash[] }>;
  /** Adds an analysed image to the band index, its detail prints beside it. */
  indexImage(tenantId: string, image: IndexedImage): Promise<void>;
  /** The detail prints of an indexed image, for the full comparison of a suspected reuse. */
  imagePrints(tenantId: string, candidate: IndexedHash): Promise<ImagePrints | undefined>;
}

export interface IndexedImage {
  personId: string;
  certificateId: string;
  imageSha256: string;
  hashes: ImageHashes;
  prints: ImagePrints;
}

export class DynamoOnboardingRepository implements OnboardingRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async consents(tenantId: string, personId: string) {
    const { pk, skPrefix } = keys.consentsOf(tenantId, personId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map(toConsent);
  }

  async addConsent(actor: Actor, personId: string, record: ConsentRecord, requestId: string) {
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.consent(actor.tenantId, personId, record.purpose, record.givenAt, record.consentId),
            entity: 'consent',
            personId,
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.audit(
        actor,
        {
          action: 'consent.give',
          entityType: 'consent',
          entityId: record.consentId,
          details: { personId, purpose: record.purpose, textVersion: record.textVersion },
        },
        requestId,
      ),
    ]);
  }

  async withdrawConsent(
    actor: Actor,
    personId: string,
    record: ConsentRecord,
    details: Record<string, unknown>,
    requestId: string,
  ) {
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.consent(actor.tenantId, personId, record.purpose, record.givenAt, record.consentId),
            UpdateExpression: 'SET withdrawnAt = :at, withdrawnBy = :by',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(withdrawnAt)',
            ExpressionAttributeValues: { ':at': record.withdrawnAt, ':by': record.withdrawnBy },
          },
        },
        () => new Conflict('consent_already_withdrawn'),
      ),
      this.audit(
        actor,
        {
          action: 'consent.withdraw',
          entityType: 'consent',
          entityId: record.consentId,
          details: { personId, purpose: record.purpose, ...details },
        },
        requestId,
      ),
    ]);
  }

  async create(actor: Actor, flow: OnboardingRecord, requestId: string) {
    await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.onboarding(actor.tenantId, flow.onboardingId), entity: 'onboarding', ...flow },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.onboardingLink(actor.tenantId, flow.personId, flow.onboardingId),
            entity: 'onboarding-link',
            onboardingId: flow.onboardingId,
          },
        },
      },
      this.audit(
        actor,
        {
          action: 'onboarding.start',
          entityType: 'onboarding',
          entityId: flow.onboardingId,
          details: { personId: flow.personId, subcontractorId: flow.subcontractorId },
        },
        requestId,
      ),
    ]);
  }

  async get(tenantId: string, onboardingId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.onboarding(tenantId, onboardingId) }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _e, ...flow } = out.Item;
    return flow as OnboardingRecord;
  }

  async save(
    actor: Actor,
    flow: OnboardingRecord,
    event: Omit<AuditEvent, 'entityType' | 'entityId'>,
    requestId: string,
  ) {
    await transact(this.db, [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.onboarding(actor.tenantId, flow.onboardingId), entity: 'onboarding', ...flow },
            ConditionExpression: 'version = :previous',
            ExpressionAttributeValues: { ':previous': flow.version - 1 },
          },
        },
        () => new ConcurrentModification('onboarding_changed'),
      ),
      this.audit(actor, { ...event, entityType: 'onboarding', entityId: flow.onboardingId }, requestId),
    ]);
  }

  async flowsOf(tenantId: string, personId: string) {
    const { pk, skPrefix } = keys.onboardingsOf(tenantId, personId);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return items.map((i) => i.onboardingId as string);
  }

  async reuseCandidates(tenantId: string, hashes: ImageHashes) {
    const look = async (kind: 'card' | 'photo') => {
      const pages = await Promise.all(
        hashBands(hashes[kind]).map((band) =>
          queryAll(this.db, {
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.imageHashBand(tenantId, kind, band).pk },
          }),
        ),
      );
      return pages.flat().map((i) => ({
        personId: i.personId as string,
        certificateId: i.certificateId as string,
        hash: i.hash as string,
        ...(typeof i.imageRef === 'string' ? { imageRef: i.imageRef } : {}),
      }));
    };
    const [card, photo] = await Promise.all([look('card'), look('photo')]);
    return { card, photo };
  }

  async indexImage(tenantId: string, image: IndexedImage) {
    const imageRef = `${image.certificateId}#${image.imageSha256.slice(0, 16)}`;
    const items: Parameters<typeof transact>[1] = (['card', 'photo'] as const).flatMap((kind) =>
      hashBands(image.hashes[kind]).map((band) => ({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.imageHashBand(tenantId, kind, band),
            sk: `${image.personId}#${image.certificateId}#${image.imageSha256.slice(0, 16)}`,
            entity: 'image-hash',
            personId: image.personId,
            certificateId: image.certificateId,
            hash: image.hashes[kind],
            imageRef,
          },
        },
      })),
    );
    // The prints (9 KB each) once, on the person's partition: read only to confirm a match,
    // and gone with the person's data.
    items.push({
      Put: {
        TableName: this.table,
        Item: {
          ...keys.imagePrints(tenantId, image.personId, imageRef),
          entity: 'image-prints',
          card: Buffer.from(
            image.prints.card.buffer,
            image.prints.card.byteOffset,
            image.prints.card.byteLength,
          ),
          photo: Buffer.from(
            image.prints.photo.buffer,
            image.prints.photo.byteOffset,
            image.prints.photo.byteLength,
          ),
        },
      },
    });
    await transact(this.db, items);
  }

  async imagePrints(tenantId: string, candidate: IndexedHash) {
    if (!candidate.imageRef) return undefined;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.imagePrints(tenantId, candidate.personId, candidate.imageRef),
      }),
    );
    if (!(Item?.card instanceof Uint8Array) || !(Item.photo instanceof Uint8Array)) return undefined;
    const signed = (bytes: Uint8Array) => new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { card: signed(Item.card), photo: signed(Item.photo) };
  }

  private audit(actor: Actor, event: AuditEvent, requestId: string) {
    return auditPut(this.table, actor, event, requestId, this.clock.now());
  }
}

function toConsent(item: Record<string, unknown>): ConsentRecord {
  const r = item as unknown as ConsentRecord;
  return {
    consentId: r.consentId,
    purpose: r.purpose,
    textVersion: r.textVersion,
    language: r.language,
    channel: r.channel,
    givenAt: r.givenAt,
    collectedBy: r.collectedBy,
    ...(r.withdrawnAt ? { withdrawnAt: r.withdrawnAt, withdrawnBy: r.withdrawnBy } : {}),
  };
}
