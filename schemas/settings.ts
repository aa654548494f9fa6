import * as z from 'zod';
import { WORK_TYPES } from './gates.ts';

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

export const DispatchPolicy = z
  .strictObject({
    distanceKm: z
      .number()
      .min(1)
      .max(1000)
      .meta({ description: 'No check-ins farther apart than this… (default 50 km)' }),
    distanceHours: z
      .number()
      .int()
      .min(1)
      .max(168)
      .meta({ description: '…within these hours before the work (default 24 h)' }),
    monthsAwayForReexam: z.number().int().min(1).max(6).meta({
      description:
        'Months away from a work type before a practical re-exam (MEM Order 30 Art. 32: 6; only shorter)',
    }),
    maxTicketsPerGuardian: z
      .number()
      .int()
      .min(1)
      .max(10)
      .meta({ description: 'Tickets one guardian guards at once (default 1)' }),
    permitSignatureHours: z
      .number()
      .int()
      .min(1)
      .max(168)
      .meta({ description: 'Hours both site managers have to co-sign a cross-site permit (default 48)' }),
    maxHours: z.partialRecord(z.enum(WORK_TYPES), z.number().min(0.5).max(72)).meta({
      description:
        'Longest permit per work type; only ever stricter than GB 30871 (a looser value has no effect)',
    }),
  })
  .meta({
    id: 'DispatchPolicy',
    description: 'The tenant’s dispatch limits (work tickets, cross-site permits)',
  });

export const OnboardingThresholds = z
  .strictObject({
    livenessConfidence: z
      .number()
      .min(50)
      .max(100)
      .meta({ description: 'Liveness confidence (0–100) at or above which the check passes (default 90)' }),
    faceSimilarity: z.number().min(50).max(100).meta({
      description:
        'Face similarity (0–100) at or above which the match passes; below it a person reviews (default 95)',
    }),
    forgeryRisk: z.number().int().min(20).max(100).default(60).meta({
      description:
        'Forgery risk (0–100) at or above which a certificate is locked red until a person reviews it (default 60)',
    }),
    registryMaxAgeHours: z.number().int().min(1).max(720).default(24).meta({
      description:
        'A verification-code scan asks the national registry again when its last answer is older than this (hours, default 24)',
    }),
  })
  .meta({
    id: 'OnboardingThresholds',
    description: 'Admission of outside workers: face and forgery thresholds',
  });

export const AllianceMembership = z
  .strictObject({
    joined: z.boolean().meta({
      description:
        'Joined the alliance blacklist: our entries are shared (as pseudonyms) and partners’ entries block our people. Default false.',
    }),
  })
  .meta({ id: 'AllianceMembership' });

export const SettlementRule = z
  .strictObject({
    maxExpiredRatePercent: z.number().min(0).max(100).meta({
      description:
        'Hold payment when more than this share of the workers had a lapsed certificate (default 5)',
    }),
    holdOnConfirmedForgery: z
      .boolean()
      .meta({ description: 'Hold on any certificate confirmed forged (default true)' }),
    holdOnBlacklist: z
      .boolean()
      .meta({ description: 'Hold on any blacklist entry about a worker (default true)' }),
    minSpotCheckPassPercent: z
      .number()
      .min(0)
      .max(100)
      .meta({ description: 'Hold when fewer spot checks passed (default 0: never)' }),
  })
  .meta({ id: 'SettlementRule', description: 'When the monthly subcontractor report flags a payment hold' });
