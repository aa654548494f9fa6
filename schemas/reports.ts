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
