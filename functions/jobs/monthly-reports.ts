// On the 5th of each month (Asia/Shanghai), every tenant's figures for last month are kept
// as a snapshot (the trend of later reports shows them as reported), and every tenant with
// safety-head addresses gets the report by e-mail. Re-running sends again (e-mail is the
// one at-least-once effect here; the schedule's retries only follow a failure); the first
// snapshot of a month stays.

import type { Mailer } from '../domain/mailer.ts';
import type { TenantSettings } from '../domain/settings.ts';
import { REPORT_RECIPIENTS } from '../reports/health-metrics.ts';
import { emailHealthReport, healthReport, type ReportDeps } from '../reports/health-report.ts';
import {
  emailSubcontractorReport,
  type SubcontractorReportDeps,
  subcontractorReport,
} from '../reports/subcontractor-report.ts';
import { addMonths, type CalendarDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { requiredEnv } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';

export async function runMonthlyHealthReports(
  deps: ReportDeps &
    Omit<SubcontractorReportDeps, 'settings' | 'reports'> & {
      settings: TenantSettings;
      mailer: Mailer;
      clock: Clock;
      /** The compliance radar as a section of the e-mail (E4); absent: the report goes without it. */
      radarSection?: (tenantId: string) => Promise<string>;
    },
  day: CalendarDate,
) {
  const month = addMonths(day, -1).slice(0, 7);
  const sent: { tenantId: string; messageId: string; recipients: number }[] = [];
  let snapshots = 0;
  for (const tenantId of await deps.reports.allTenants()) {
    const report = await healthReport(deps, tenantId, month);
    if (await deps.reports.storeSnapshot(report, deps.clock.now())) snapshots++;
    // The subcontractor report (O5) goes with it, kept as reported for its own trend.
    const subs = await subcontractorReport(deps, tenantId, month);
    await deps.reports.storeSubcontractorSnapshot(
      tenantId,
      month,
      Object.fromEntries(subs.rows.map((r) => [r.subcontractorId, r.expiredRatePercent])),
      deps.clock.now(),
    );
    const to = (await deps.settings.read(tenantId, REPORT_RECIPIENTS)).safetyHeads;
    if (!to.length) continue;
    const sections = deps.radarSection ? [await deps.radarSection(tenantId)] : [];
    const messageId = await emailHealthReport(
      deps.mailer,
      report,
      to,
      requiredEnv('REPORT_SENDER'),
      'zh',
      sections,
    );
    sent.push({ tenantId, messageId, recipients: to.length });
    if (subs.rows.length) await emailSubcontractorReport(deps.mailer, subs, to, requiredEnv('REPORT_SENDER'));
  }
  logger.info('monthly health reports sent', { month, tenants: sent.length, snapshots });
  return { month, sent, snapshots };
}
