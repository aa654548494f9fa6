import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import type { Quiz, SiteSafety, SiteSafetyBody } from '../../schemas/quizzes.ts';
import { GATE_VIEW_ITEM } from '../domain/entities.ts';
import { type GateView, quizAttribute, quizPassedOnAttribute } from '../domain/gate-view.ts';
import type { Notifier } from '../domain/notifications.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { parseItem } from '../shared/dynamo/items.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Grade, QuizQuestion } from './quiz.ts';

export type SiteSafetyRecord = z.infer<typeof SiteSafety>;

export interface QuizRecord extends Omit<z.infer<typeof Quiz>, 'questions'> {
  questions: QuizQuestion[];
}

/** An item as its record: without storage keys and entity tag. */
function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _e, ...record } = item;
  return record as T;
}

/** A site's notice and question pool, and the quizzes people take there. */
export interface QuizRepository {
  saveSafety(
    actor: Actor,
    siteId: string,
    body: z.infer<typeof SiteSafetyBody>,
    requestId: string,
  ): Promise<unknown>;
  safety(tenantId: string, siteId: string): Promise<SiteSafetyRecord | undefined>;
  open(
    tenantId: string,
    quiz: QuizRecord,
    view: Pick<GateView, 'personId' | 'nameMasked' | 'color'>,
    renewing: string | undefined,
  ): Promise<boolean>;
  quizzesOf(
    tenantId: string,
    personId: string,
  ): Promise<
    { siteId: string; status: 'pending' | 'passed'; quizId?: string; passedOn?: string }[] | undefined
  >;
  get(tenantId: string, quizId: string): Promise<QuizRecord | undefined>;
  recordAttempt(
    actor: Actor,
    quiz: QuizRecord,
    grade: Extract<Grade, { ok: true }>,
    requestId: string,
  ): Promise<QuizRecord>;
}

export class DynamoQuizStore implements QuizRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly notifier: Notifier<TransactItem>,
    private readonly clock: Clock,
  ) {}

  async saveSafety(
    actor: Actor,
    siteId: string,
    body: z.output<typeof SiteSafetyBody>,
    requestId: string,
  ): Promise<SiteSafetyRecord> {
    const safety: SiteSafetyRecord = {
      siteId,
      notice: body.notice,
      questions: body.questions.map((q) => ({ ...q, questionId: q.questionId ?? newId('q') })),
      quizRequired: body.quizRequired,
      ...(body.quizValidDays ? { quizValidDays: body.quizValidDays } : {}),
      updatedAt: this.clock.now().toISOString(),
    };
    await transact(this.db, [
      guard(
        {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.site(actor.tenantId, siteId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        () => new NotFound('site_not_found'),
      ),
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.siteSafety(actor.tenantId, siteId), entity: 'site-safety', ...safety },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.siteEntryPolicy(actor.tenantId, siteId),
            ...keys.allowlistDirty(actor.tenantId, `SITE#${siteId}`, safety.updatedAt),
            entity: 'site-entry-policy',
            siteId,
            quizRequired: safety.quizRequired,
            ...(safety.quizValidDays ? { quizValidDays: safety.quizValidDays } : {}),
          },
        },
      },
      auditPut(
        this.table,
        actor,
        {
          action: 'site.safety.put',
          entityType: 'site',
          entityId: siteId,
          details: { questions: safety.questions.length, quizRequired: safety.quizRequired },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
    return safety;
  }

  async safety(tenantId: string, siteId: string): Promise<SiteSafetyRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.siteSafety(tenantId, siteId) }),
    );
    return out.Item ? withoutKeys<SiteSafetyRecord>(out.Item) : undefined;
  }

  /**
   * Opens a quiz on the person's gate view, with the site notice in their inbox. False if
   * the person already has a quiz there (a concurrent or repeated arrival included) — or,
   * when `renewing` (the passed-on day of a quiz that ran out), if that quiz changed since.
   */
  async open(
    tenantId: string,
    quiz: QuizRecord,
    view: Pick<GateView, 'personId' | 'nameMasked' | 'color'>,
    renewing: string | undefined,
  ): Promise<boolean> {
    const { siteId } = quiz;
    const now = new Date(quiz.createdAt);
    const notice = this.notifier.prepare(
      tenantId,
      [
        {
          kind: 'site_induction',
          mailbox: `PERSON#${view.personId}`,
          personId: view.personId,
          nameMasked: view.nameMasked,
          color: view.color,
          reasons: [],
          quiz: { quizId: quiz.quizId, siteId },
        },
      ],
      now,
    );
    try {
      await transact(this.db, [
        guard(
          {
            Update: {
              TableName: this.table,
              Key: keys.gateView(tenantId, view.personId),
              UpdateExpression: 'SET #q = :pending, #qid = :id',
              // No quiz there yet — or the passed one we saw, run out: a newer one wins.
              ConditionExpression: renewing
                ? 'attribute_exists(pk) AND #q = :passed AND #on = :seenOn'
                : 'attribute_exists(pk) AND attribute_not_exists(#q)',
              ExpressionAttributeNames: {
                '#q': quizAttribute(siteId),
                '#qid': `quizId_${siteId}`,
                ...(renewing ? { '#on': quizPassedOnAttribute(siteId) } : {}),
              },
              ExpressionAttributeValues: {
                ':pending': 'pending',
                ':id': quiz.quizId,
                ...(renewing ? { ':passed': 'passed', ':seenOn': renewing } : {}),
              },
            },
          },
          () => new StaleRecord(),
        ),
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.quiz(tenantId, quiz.quizId), entity: 'quiz', ...quiz },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...notice,
      ]);
    } catch (error) {
      if (error instanceof StaleRecord) return false; // another arrival opened it first
      throw error;
    }
    return true;
  }

  /** A person's quiz per site, from their gate view (undefined: no such person). */
  async quizzesOf(tenantId: string, personId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.gateView(tenantId, personId) }),
    );
    if (!out.Item) return undefined;
    const view = parseItem<GateView>(GATE_VIEW_ITEM, 'gate view', out.Item);
    return Object.keys(view)
      .filter((k) => k.startsWith('quiz_'))
      .map((k) => {
        const siteId = k.slice('quiz_'.length);
        const quizId = view[`quizId_${siteId}` as keyof GateView] as string | undefined;
        const passedOn = view[quizPassedOnAttribute(siteId)];
        return {
          siteId,
          status: view[quizAttribute(siteId)] as 'pending' | 'passed',
          ...(quizId ? { quizId } : {}),
          ...(passedOn ? { passedOn } : {}),
        };
      })
      .sort((a, b) => a.siteId.localeCompare(b.siteId));
  }

  async get(tenantId: string, quizId: string): Promise<QuizRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.quiz(tenantId, quizId), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<QuizRecord>(out.Item) : undefined;
  }

  /** Stores an attempt; a pass opens the site's gates to the person in the same transaction. */
  async recordAttempt(
    actor: Actor,
    quiz: QuizRecord,
    grade: Extract<Grade, { ok: true }>,
    requestId: string,
  ): Promise<QuizRecord> {
    const now = this.clock.now().toISOString();
    const key = keys.quiz(actor.tenantId, quiz.quizId);
    const marker = keys.allowlistDirty(actor.tenantId, `PERSON#${quiz.personId}`, now);
    if (!grade.passed) {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'ADD attempts :one SET lastAttemptAt = :now',
          ExpressionAttributeValues: { ':one': 1, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ...quiz, attempts: Number(out.Attributes?.attempts ?? quiz.attempts + 1) };
    }
    await transact(this.db, [
      guard(
        {
          Update: {
            TableName: this.table,
            Key: key,
            UpdateExpression: 'SET #s = :passed, passedAt = :now, lastAttemptAt = :now, attempts = :attempts',
            ConditionExpression: '#s = :pending AND attempts = :before',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':passed': 'passed',
              ':pending': 'pending',
              ':now': now,
              ':attempts': quiz.attempts + 1,
              ':before': quiz.attempts,
            },
          },
        },
        () => new Conflict('concurrent_update'),
      ),
      {
        Update: {
          TableName: this.table,
          Key: keys.gateView(actor.tenantId, quiz.personId),
          UpdateExpression: 'SET #q = :passed, #on = :today, gsi4pk = :mpk, gsi4sk = :msk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#q': quizAttribute(quiz.siteId),
            '#on': quizPassedOnAttribute(quiz.siteId),
          },
          ExpressionAttributeValues: {
            ':passed': 'passed',
            ':today': this.clock.today(),
            ':mpk': marker.gsi4pk,
            ':msk': marker.gsi4sk,
          },
        },
      },
      auditPut(
        this.table,
        actor,
        {
          action: 'quiz.pass',
          entityType: 'quiz',
          entityId: quiz.quizId,
          details: { personId: quiz.personId, siteId: quiz.siteId, attempts: quiz.attempts + 1 },
        },
        requestId,
        this.clock.now(),
      ),
    ]);
    return { ...quiz, status: 'passed', attempts: quiz.attempts + 1, passedAt: now };
  }
}
