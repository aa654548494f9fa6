// On the 5th of each month (Asia/Shanghai), every tenant with safety-head addresses gets
// last month's health report by e-mail. Re-running sends again (e-mail is the one
// at-least-once effect here; the schedule's retries only follow a failure).

import { allTenants, emailHealthReport, healthReport, type ReportDeps } from '../reports/health-report.ts';
import { reportRecipients } from '../reports/recipients.ts';
import { addMonths, type CalendarDate } from '../shared/calendar.ts';
import { requiredEnv } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';

export async function runMonthlyHealthReports(deps: ReportDeps, day: CalendarDate) {
  const month = addMonths(day, -1).slice(0, 7);
  const sent: { tenantId: string; messageId: string; recipients: number }[] = [];
  for (const tenantId of await allTenants(deps)) {
    const to = await reportRecipients(deps, tenantId);
    if (!to.length) continue;
    const report = await healthReport(deps, tenantId, month);
    const messageId = await emailHealthReport(report, to, requiredEnv('REPORT_SENDER'));
    sent.push({ tenantId, messageId, recipients: to.length });
  }
  logger.info('monthly health reports sent', { month, tenants: sent.length });
  return { month, sent };
}
