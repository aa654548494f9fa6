import * as z from 'zod';
import { NOTIFICATION_KINDS } from '../functions/status/status-change.ts';
import { Cursor, calendarDate, Limit } from './common.ts';

export const Color = z.enum(['green', 'yellow', 'red']);

export const StatusReason = z
  .object({
    code: z.string().meta({ description: 'e.g. expired, revoked, review_missed, vacuum_period, expiring' }),
    certificateId: z.string().optional(),
    date: calendarDate.optional(),
    days: z.number().int().optional(),
    source: z.string().optional().meta({
      description: 'blacklisted: the registered partner association whose entry it is (absent: own)',
    }),
    detail: z.string(),
  })
  .meta({ id: 'StatusReason' });

export const CertificateStatus = z
  .object({
    certificateId: z.string(),
    color: Color,
    daysLeft: z.number().int(),
    expiresOn: calendarDate,
    reviewDueOn: calendarDate.nullable(),
    vacuumPeriod: z.object({ from: calendarDate, to: calendarDate }).optional(),
    current: z.boolean(),
    verification: z
      .object({
        outcome: z.enum(['valid', 'expired', 'revoked', 'not_found', 'mismatch', 'name_review']),
        at: z.string(),
      })
      .nullable()
      .optional()
      .meta({ description: 'The registry’s last answer on this certificate (null: none yet)' }),
  })
  .meta({ id: 'CertificateStatus' });

export const FatigueWindow = z
  .object({
    onSite: z.boolean(),
    siteId: z.string().optional(),
    continuousMinutes: z.number().int(),
    minutesInLast24h: z.number().int(),
    flagged: z.boolean(),
    reasons: z.array(z.enum(['continuous_too_long', 'too_long_in_24h'])),
  })
  .meta({
    id: 'FatigueWindow',
    description:
      'Fatigue window from gate check-ins, against the tenant’s limits (GET /settings/fatigue-thresholds)',
  });

export const PersonStatus = z
  .object({
    personId: z.string(),
    color: Color,
    reasons: z.array(StatusReason),
    gateAccess: z.enum(['allowed', 'frozen']),
    dispatch: z.enum(['allowed', 'frozen']),
    certificates: z.array(CertificateStatus),
    computedOn: calendarDate,
    nextChangeOn: calendarDate.nullable(),
    fatigue: FatigueWindow.optional(),
  })
  .meta({ id: 'PersonStatus' });

export const StatusHistoryEntry = z
  .object({
    historyId: z.string(),
    from: Color.nullable(),
    to: Color,
    reasons: z.array(StatusReason),
    cause: z
      .string()
      .meta({ description: 'What recomputed the status: certificate.create, expiry-sweep, …' }),
    actor: z.object({ subject: z.string(), role: z.string() }),
    at: z.string(),
    effectiveOn: calendarDate,
  })
  .meta({ id: 'StatusHistoryEntry' });

export const StatusHistory = z
  .object({ items: z.array(StatusHistoryEntry), nextCursor: z.string().optional() })
  .meta({ id: 'StatusHistory' });

export const HistoryQuery = z.strictObject({ cursor: Cursor, limit: Limit });

export const InboxMessage = z
  .object({
    messageId: z.string(),
    mailbox: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    personId: z.string(),
    nameMasked: z.string(),
    color: Color.optional(),
    title: z.string(),
    body: z.string(),
    reasons: z.array(StatusReason),
    quiz: z
      .object({ quizId: z.string(), siteId: z.string() })
      .optional()
      .meta({ description: 'site_induction: read the notice and take this quiz (GET /quizzes/{quizId})' }),
    ticket: z
      .object({ ticketId: z.string(), siteId: z.string() })
      .optional()
      .meta({ description: 'ticket_suspended: the work ticket stopped because this person turned red' }),
    permit: z
      .object({
        permitId: z.string(),
        side: z.enum(['from', 'to']),
        fromSiteId: z.string(),
        toSiteId: z.string(),
      })
      .optional()
      .meta({ description: 'permit_signature_request: sign with POST /permits/{permitId}/approvals' }),
    travel: z
      .object({
        fromSiteId: z.string(),
        fromAt: z.string(),
        toSiteId: z.string(),
        toAt: z.string(),
        km: z.number(),
        hours: z.number(),
      })
      .optional()
      .meta({
        description:
          'travel_alert: check-ins at two sites farther apart than the tenant’s distance within its hours (50 km / 24 h)',
      }),
    blacklist: z
      .object({
        entryId: z.string(),
        reasonCode: z.string(),
        expiresOn: z.string(),
        appealBy: z.string().optional(),
        sharedWith: z.string().optional(),
        decision: z.enum(['uphold', 'remove']).optional(),
      })
      .optional()
      .meta({
        description:
          'blacklist_notice / _appeal / _decision: the entry, until when, how long to appeal (POST /blacklist/{entryId}/appeals), its outcome',
      }),
    createdAt: z.string(),
  })
  .meta({ id: 'InboxMessage' });

export const Inbox = z.object({ items: z.array(InboxMessage) }).meta({ id: 'Inbox' });
export const InboxQuery = z.strictObject({ limit: Limit });
