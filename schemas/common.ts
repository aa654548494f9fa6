import * as z from 'zod';
import { isCalendarDate } from '../functions/shared/calendar.ts';

/** Custom issues carry a message code (functions/shared/i18n/messages.ts) and params. */
export const calendarDate = z
  .string()
  .refine(isCalendarDate, { message: 'calendar_date' })
  .meta({ description: 'Calendar date YYYY-MM-DD in Asia/Shanghai', examples: ['2027-03-01'] });

export const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{10,40}$`));

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: 'Stable machine-readable code of the detail' }),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
    violations: z
      .array(
        z.object({
          code: z.string(),
          personId: z.string().optional(),
          detail: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Every business rule the request breaks (422)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Limit = z.coerce.number().int().min(1).max(100).default(50);
export const Cursor = z.string().max(2000).optional();
