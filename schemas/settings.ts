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

export const FatigueThresholds = z
  .strictObject({
    maxContinuousMinutes: z
      .number()
      .int()
      .min(60)
      .max(24 * 60)
      .meta({ description: 'Longest continuous time on site, in minutes (default 720 = 12 h)' }),
    maxMinutesIn24h: z
      .number()
      .int()
      .min(60)
      .max(24 * 60)
      .meta({ description: 'Most time on site within any trailing 24 h, in minutes (default 840 = 14 h)' }),
  })
  .superRefine((t, ctx) => {
    if (t.maxMinutesIn24h < t.maxContinuousMinutes) {
      ctx.addIssue({ code: 'custom', path: ['maxMinutesIn24h'], message: 'fatigue_thresholds_order' });
    }
  })
  .meta({ id: 'FatigueThresholds', description: 'When the fatigue window flags a person' });
