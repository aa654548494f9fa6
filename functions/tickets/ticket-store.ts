// Work tickets in DynamoDB. A ticket is one item (version-guarded); while it is open, each
// person on it has a link item (their open tickets: guardian load) and the ticket's id in
// their gate view's `openTickets` set, which the status write reads anyway — so turning red
// suspends the person's tickets in the same transaction (status/status-writes.ts). When a
// ticket ends, its links are marked ended (expiring by TTL), its set entries go, and a
// job-history item stays.

import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TICKET_JOB_ITEM, WORK_TICKET_ITEM } from '../domain/entities.ts';
import type { TicketJob } from '../domain/fatigue.ts';
import type { PersonRecord } from '../domain/person.ts';
import {
  practiceAttributes,
  type PracticeDeclaration as WorkHistoryDeclaration,
} from '../domain/work-history.ts';
import { type Actor, auditPut } from '../shared/audit.ts';
import type { CalendarDate } from '../shared/calendar.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { parseItem, parseItems } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { guard, StaleRecord, type TransactItem, transact } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound, RulesBroken } from '../shared/errors.ts';
import type { MessageCode } from '../shared/i18n/messages.ts';
import { isOpen, peopleOnTicket, type WorkTicket } from './ticket-lifecycle.ts';
import { openTicketEntry } from './ticket-suspension-store.ts';
import type { TicketType } from './ticket-types.ts';

/** What a person's record says about their work in each type. */
export interface WorkHistory {
  /** Start of the last ticket in each type that was worked (closed). */
  lastTicket: Partial<Record<TicketType, string>>;
  /** The last passed practical re-exam in each type. */
  reexam: Partial<Record<TicketType, CalendarDate>>;
  /** The last practice in each type that hr declared (work before this product knew the person). */
  practice: Partial<Record<TicketType, CalendarDate>>;
}

export interface OpenTicketLink {
  ticketId: string;
  part: string;
  siteId: string;
  plannedFrom: string;
  plannedTo: string;
}

export interface TicketStore {
  create(actor: Actor, ticket: WorkTicket, requestId: string, now: Date): Promise<void>;
  get(tenantId: string, ticketId: string): Promise<WorkTicket | undefined>;
  /** Stores a transition (version-guarded: StaleRecord when someone moved the ticket meanwhile). */
  save(
    actor: Actor,
    before: WorkTicket,
    after: WorkTicket,
    action: string,
    requestId: string,
    now: Date,
  ): Promise<void>;
  openAtSite(tenantId: string, siteId: string): Promise<WorkTicket[]>;
  openTicketsOf(tenantId: string, personId: string): Promise<OpenTicketLink[]>;
  /** People and their work history, in one batch read (no query over the tenant). */
  peopleWithHistory(
    tenantId: string,
    personIds: string[],
  ): Promise<Map<string, PersonRecord & { history: WorkHistory }>>;
  recordReexam(
    actor: Actor,
    personId: string,
    type: TicketType,
    passedOn: CalendarDate,
    examiner: string,
    requestId: string,
    now: Date,
  ): Promise<void>;
  /** hr's declaration of a person's last practice in a type (the later date is kept; older → Conflict). */
  recordPractice(
    actor: Actor,
    personId: string,
    declaration: PracticeDeclaration,
    requestId: string,
    now: Date,
  ): Promise<void>;
}

export type PracticeDeclaration = WorkHistoryDeclaration<TicketType> & { lastPracticedOn: CalendarDate };

/** An ended ticket's links stay (marked) for a month, so a person's link query stays short. */
const ENDED_LINK_TTL_SECONDS = 30 * 24 * 3600;

type TicketItem = WorkTicket & { tenantId: string };

const stripKeys = ({ pk, sk, gsi2pk, gsi2sk, entity, tenantId, ...ticket }: Record<string, unknown>) =>
  parseItem<WorkTicket>(WORK_TICKET_ITEM, 'work-ticket', ticket);

export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private ticketPut(tenantId: string, ticket: WorkTicket): Record<string, unknown> {
    return {
      ...keys.ticket(tenantId, ticket.ticketId),
      ...keys.siteTicketsIndex(
        tenantId,
        ticket.siteId,
        isOpen(ticket.status),
        ticket.plannedFrom,
        ticket.ticketId,
      ),
      entity: 'work-ticket',
      tenantId,
      ...ticket,
    } satisfies Record<string, unknown> & TicketItem;
  }

  async create(actor: Actor, ticket: WorkTicket, requestId: string, now: Date) {
    const tenantId = actor.tenantId;
    const items: (TransactItem | ReturnType<typeof guard>)[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.ticketPut(tenantId, ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    for (const { personId, part } of peopleOnTicket(ticket)) {
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.ticketLink(tenantId, personId, ticket.ticketId),
            entity: 'ticket-link',
            ticketId: ticket.ticketId,
            part,
            siteId: ticket.siteId,
            plannedFrom: ticket.plannedFrom,
            plannedTo: ticket.plannedTo,
          },
        },
      });
      // Still dispatchable when written (the rules read a moment ago). The version bump makes
      // a status write that read the gate view before this ticket existed re-read it, so a
      // person turning red at this very moment cannot miss suspending it.
      items.push(
        guard(
          {
            Update: {
              TableName: this.table,
              Key: keys.gateView(tenantId, personId),
              UpdateExpression: 'ADD openTickets :t, cv :one',
              // Not blacklisted on the day the work starts either (a hold entered a moment ago).
              ConditionExpression:
                'attribute_exists(pk) AND dispatch = :allowed AND (attribute_not_exists(blacklist) OR blacklist.expiresOn <= :startDay) AND (attribute_not_exists(engagementEnd) OR engagementEnd.#on > :startDay)',
              ExpressionAttributeNames: { '#on': 'on' },
              ExpressionAttributeValues: {
                ':t': new Set([openTicketEntry(ticket)]),
                ':one': 1,
                ':allowed': 'allowed',
                ':startDay': todayInShanghai(new Date(ticket.plannedFrom)),
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          (old) =>
            new RulesBroken('dispatch_rules_broken', [
              {
                code:
                  old?.engagementEnd && old.dispatch === 'allowed'
                    ? 'person_engagement_ended'
                    : old?.blacklist && old.dispatch === 'allowed'
                      ? 'person_blacklisted'
                      : 'person_frozen',
                personId,
              },
            ]),
        ),
      );
    }
    items.push(
      auditPut(
        this.table,
        actor,
        {
          action: 'work-ticket.create',
          entityType: 'work-ticket',
          entityId: ticket.ticketId,
          details: { siteId: ticket.siteId, type: ticket.type, people: peopleOnTicket(ticket).length },
        },
        requestId,
        now,
      ),
    );
    await transact(this.db, items);
  }

  async get(tenantId: string, ticketId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.ticket(tenantId, ticketId), ConsistentRead: true }),
    );
    return out.Item ? stripKeys(out.Item) : undefined;
  }

  async save(
    actor: Actor,
    before: WorkTicket,
    after: WorkTicket,
    action: string,
    requestId: string,
    now: Date,
  ) {
    const tenantId = actor.tenantId;
    const next = { ...after, version: before.version + 1 };
    const items: (TransactItem | ReturnType<typeof guard>)[] = [
      guard(
        {
          Put: {
            TableName: this.table,
            Item: this.ticketPut(tenantId, next),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': before.version },
          },
        },
        () => new StaleRecord(),
      ),
    ];
    if (isOpen(before.status) && !isOpen(after.status)) {
      // The ticket ended: it no longer holds its people; worked tickets enter their history.
      const endedAt = after.endedAt ?? now.toISOString();
      for (const { personId, part } of peopleOnTicket(after)) {
        // Marked, not deleted (no function deletes data); the table's TTL removes it later.
        items.push({
          Update: {
            TableName: this.table,
            Key: keys.ticketLink(tenantId, personId, after.ticketId),
            UpdateExpression: 'SET ended = :ended, expiresAt = :ttl',
            ExpressionAttributeValues: {
              ':ended': endedAt,
              ':ttl': Math.floor(now.getTime() / 1000) + ENDED_LINK_TTL_SECONDS,
            },
          },
        });
        items.push({
          Update: {
            TableName: this.table,
            Key: keys.gateView(tenantId, personId),
            UpdateExpression: 'DELETE openTickets :t',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':t': new Set([openTicketEntry(after)]) },
          },
        });
        if (after.status !== 'closed') continue;
        items.push({
          Put: {
            TableName: this.table,
            Item: {
              ...keys.job(tenantId, personId, endedAt, after.ticketId),
              entity: 'job',
              ticketId: after.ticketId,
              siteId: after.siteId,
              type: after.type,
              part,
              from: after.activatedAt ?? after.plannedFrom,
              to: endedAt,
            },
          },
        });
        items.push({
          Update: {
            TableName: this.table,
            Key: keys.workHistory(tenantId, personId),
            UpdateExpression: 'SET entity = :e, #last = :from',
            ExpressionAttributeNames: { '#last': `lastTicket_${after.type}` },
            ExpressionAttributeValues: {
              ':e': 'work-history',
              ':from': after.activatedAt ?? after.plannedFrom,
            },
          },
        });
      }
    }
    items.push(
      auditPut(
        this.table,
        actor,
        {
          action,
          entityType: 'work-ticket',
          entityId: after.ticketId,
          details: { from: before.status, to: after.status },
        },
        requestId,
        now,
      ),
    );
    await transact(this.db, items);
  }

  async openAtSite(tenantId: string, siteId: string) {
    const q = keys.openTicketsOfSite(tenantId, siteId);
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :sk)',
      ExpressionAttributeValues: { ':pk': q.pk, ':sk': q.skPrefix },
    });
    return items.map(stripKeys);
  }

  async openTicketsOf(tenantId: string, personId: string) {
    const items = await queryAll<OpenTicketLink>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      FilterExpression: 'attribute_not_exists(ended)',
      ExpressionAttributeValues: { ':pk': keys.person(tenantId, personId).pk, ':sk': 'TICKET#' },
      ConsistentRead: true,
    });
    return items.map(({ ticketId, part, siteId, plannedFrom, plannedTo }) => ({
      ticketId,
      part,
      siteId,
      plannedFrom,
      plannedTo,
    }));
  }

  async peopleWithHistory(tenantId: string, personIds: string[]) {
    const items = await batchGetAll<Record<string, unknown>>(
      this.db,
      this.table,
      personIds.flatMap((id) => [keys.person(tenantId, id), keys.workHistory(tenantId, id)]),
    );
    const history = new Map<string, WorkHistory>();
    for (const item of items) {
      if (item.sk !== 'WORKHISTORY') continue;
      const h: WorkHistory = { lastTicket: {}, reexam: {}, practice: {} };
      for (const [name, value] of Object.entries(item)) {
        const m = /^(lastTicket|reexam|practice)_(\w+)$/.exec(name);
        if (m) (h[m[1] as keyof WorkHistory] as Record<string, unknown>)[m[2] as string] = value;
      }
      history.set(String(item.pk), h);
    }
    const out = new Map<string, PersonRecord & { history: WorkHistory }>();
    for (const item of items) {
      if (item.sk !== 'PROFILE') continue;
      const person = item as unknown as PersonRecord;
      out.set(person.personId, {
        ...person,
        history: history.get(String(item.pk)) ?? { lastTicket: {}, reexam: {}, practice: {} },
      });
    }
    return out;
  }

  async jobsOf(tenantId: string, personId: string, limit = 20) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.person(tenantId, personId).pk, ':sk': 'JOB#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return parseItems<TicketJob>(TICKET_JOB_ITEM, 'job', out.Items ?? []).map(
      ({ ticketId, siteId, type, from, to }) => ({
        ticketId,
        siteId,
        type,
        from,
        to,
      }),
    );
  }

  recordReexam(
    actor: Actor,
    personId: string,
    type: TicketType,
    passedOn: CalendarDate,
    examiner: string,
    requestId: string,
    now: Date,
  ) {
    return this.recordWorkDate(actor, personId, requestId, now, {
      attribute: `reexam_${type}`,
      date: passedOn,
      by: { attribute: `reexamBy_${type}`, value: examiner },
      conflict: 'reexam_not_newer',
      audit: { action: 'person.practical-reexam', details: { type, passedOn } },
    });
  }

  recordPractice(
    actor: Actor,
    personId: string,
    declaration: PracticeDeclaration,
    requestId: string,
    now: Date,
  ) {
    const { workType, lastPracticedOn, source, evidenceNote } = declaration;
    return this.recordWorkDate(actor, personId, requestId, now, {
      attribute: practiceAttributes(workType).date,
      date: lastPracticedOn,
      by: { attribute: practiceAttributes(workType).source, value: source },
      conflict: 'practice_not_newer',
      audit: {
        action: 'person.practice-declared',
        details: { type: workType, lastPracticedOn, source, ...(evidenceNote ? { evidenceNote } : {}) },
      },
    });
  }

  /** A dated fact of the person's work history: the later date is kept, an older one is a Conflict. */
  private async recordWorkDate(
    actor: Actor,
    personId: string,
    requestId: string,
    now: Date,
    fact: {
      attribute: string;
      date: CalendarDate;
      by: { attribute: string; value: string };
      conflict: MessageCode;
      audit: { action: string; details: Record<string, string> };
    },
  ) {
    const tenantId = actor.tenantId;
    await transact(this.db, [
      guard(
        {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.person(tenantId, personId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        () => new NotFound('person_not_found'),
      ),
      guard(
        {
          Update: {
            TableName: this.table,
            Key: keys.workHistory(tenantId, personId),
            UpdateExpression: 'SET entity = :e, #d = :d, #b = :b',
            ConditionExpression: 'attribute_not_exists(#d) OR #d <= :d',
            ExpressionAttributeNames: { '#d': fact.attribute, '#b': fact.by.attribute },
            ExpressionAttributeValues: { ':e': 'work-history', ':d': fact.date, ':b': fact.by.value },
          },
        },
        () => new Conflict(fact.conflict),
      ),
      auditPut(
        this.table,
        actor,
        { ...fact.audit, entityType: 'person', entityId: personId },
        requestId,
        now,
      ),
    ]);
  }
}
