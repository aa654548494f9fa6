import * as z from 'zod';

export const StatusThresholds = z
  .strictObject({
    reminderDays: z.number().int().min(0).max(365),
    yellowDays: z.number().int().min(0).max(365),
    escalateDays: z.number().int().min(0).max(365),
  })
  .superRefine((t, ctx) => {
    if (!(t.reminderDays >= t.yellowDays && t.yellowDays >= t.escalateDays)) {
      ctx.addIssue({ code: 'custom', path: ['yellowDays'], message: 'thresholds_order' });
    }
  })
  .meta({ id: 'StatusThresholds', description: 'Colour thresholds in days (defaults 90 / 60 / 30)' });
