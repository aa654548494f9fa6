import * as z from 'zod';
import { calendarDate } from './common.ts';

export const Color = z.enum(['green', 'yellow', 'red']);

export const StatusReason = z
  .object({
    code: z.string().meta({ description: 'e.g. expired, revoked, review_missed, vacuum_period, expiring' }),
    certificateId: z.string().optional(),
    date: calendarDate.optional(),
    days: z.number().int().optional(),
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
  })
  .meta({ id: 'CertificateStatus' });

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
  })
  .meta({ id: 'PersonStatus' });
