import * as z from 'zod';

const Rate = z.number().nullable().meta({ description: 'Ratio 0–1; null when the denominator is 0' });
const Metrics = {
  certificates: z.number().int(),
  expired: z.number().int(),
  expiryRate: Rate,
  deadlinesInMonth: z.number().int(),
  onTime: z.number().int(),
  onTimeReviewRate: Rate,
  peopleWithRegion: z.number().int(),
  crossRegion: z.number().int(),
  crossRegionRate: Rate,
};

export const HealthReportQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  format: z.enum(['json', 'html', 'csv']).default('json'),
});

export const HealthReport = z
  .object({
    tenantId: z.string(),
    month: z.string(),
    asOf: z.string(),
    overall: z.object(Metrics),
    trend: z.array(
      z.object({
        month: z.string(),
        expiryRate: Rate,
        onTimeReviewRate: Rate,
        crossRegionRate: Rate,
        source: z.enum(['snapshot', 'recomputed']).meta({
          description: 'snapshot: as the monthly job reported it; recomputed: from today’s records',
        }),
      }),
    ),
    sites: z.array(z.object({ siteId: z.string(), name: z.string(), ...Metrics })),
  })
  .meta({ id: 'HealthReport', description: 'Definitions: docs/health-report.md' });

export const ReportRecipients = z
  .strictObject({ safetyHeads: z.array(z.email()).min(1).max(20) })
  .meta({ id: 'ReportRecipients' });

export const CreateSpotCheckBody = z
  .strictObject({
    personId: z.string().regex(/^per_[0-9A-Za-z]{10,40}$/),
    siteId: z.string().regex(/^site_[0-9A-Za-z]{10,40}$/),
    passed: z.boolean(),
    note: z.string().trim().max(500).default(''),
  })
  .meta({ id: 'CreateSpotCheckBody' });

export const SpotCheck = z
  .object({
    spotCheckId: z.string(),
    personId: z.string(),
    siteId: z.string(),
    subcontractorId: z.string().optional(),
    passed: z.boolean(),
    note: z.string(),
    at: z.string(),
    by: z.string(),
  })
  .meta({ id: 'SpotCheck' });

export const SubcontractorReportQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});

const Rule = z.object({
  maxExpiredRatePercent: z.number(),
  holdOnConfirmedForgery: z.boolean(),
  holdOnBlacklist: z.boolean(),
  minSpotCheckPassPercent: z.number(),
});

export const SubcontractorReport = z
  .object({
    tenantId: z.string(),
    month: z.string(),
    rule: Rule,
    rows: z.array(
      z.object({
        subcontractorId: z.string(),
        name: z.string(),
        workers: z.number().int(),
        workersLapsed: z.number().int(),
        expiredRatePercent: z.number().nullable(),
        forgery: z.object({
          flagged: z.number().int(),
          pendingReview: z.number().int(),
          confirmed: z.number().int(),
          clearedGenuine: z.number().int(),
        }),
        blacklistEntries: z.number().int(),
        spotChecks: z.object({ total: z.number().int(), passed: z.number().int() }),
        spotCheckPassPercent: z.number().nullable(),
        trend: z.array(z.object({ month: z.string(), expiredRatePercent: z.number().nullable() })),
        settlement: z.object({
          hold: z.boolean(),
          reasons: z.array(z.string()).meta({
            description:
              'expired_rate_over_limit, forged_certificate, blacklisted_worker, spot_checks_under_limit',
          }),
        }),
      }),
    ),
  })
  .meta({ id: 'SubcontractorReport' });
