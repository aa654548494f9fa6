// The monthly subcontractor report (SPEC O5): gathered through the ports (people and their
// certificates, subcontractors, blacklist entries, spot checks, settings, snapshots), scored
// by subcontractor-metrics.ts, rendered for the mail.
import type { BlacklistRepository } from '../domain/blacklist-rules.ts';
import type { CertificateRepository } from '../domain/certificate.ts';
import { certificateFacts } from '../domain/certificate.ts';
import type { TenantSettings } from '../domain/settings.ts';
import { computePersonStatus } from '../domain/status-rules.ts';
import type { SubcontractorRepository } from '../domain/subcontractors.ts';
import { addDays, addMonths } from '../shared/calendar.ts';
import type { Mailer } from './mailer.ts';
import type { ReportStore } from './report-store.ts';
import type { SpotCheckStore } from './spot-check-store.ts';
import {
  hasLapsed,
  SETTLEMENT_RULE,
  type SettlementRule,
  type SubcontractorFacts,
  type SubcontractorRow,
  subcontractorRows,
} from './subcontractor-metrics.ts';

export interface SubcontractorReportDeps {
  reports: Pick<ReportStore, 'allPeople' | 'subcontractorSnapshots'>;
  certificates: Pick<CertificateRepository, 'listForPerson'>;
  subcontractors: Pick<SubcontractorRepository, 'list'>;
  blacklist: Pick<BlacklistRepository, 'list'>;
  spotChecks: Pick<SpotCheckStore, 'inMonth'>;
  settings: TenantSettings;
}

export interface SubcontractorReport {
  tenantId: string;
  month: string;
  rule: SettlementRule;
  rows: SubcontractorRow[];
}

const inMonth = (iso: string | undefined, month: string) => !!iso && iso.slice(0, 7) === month;

export async function subcontractorReport(
  deps: SubcontractorReportDeps,
  tenantId: string,
  month: string,
): Promise<SubcontractorReport> {
  const monthEnd = addDays(addMonths(`${month}-01`, 1), -1);
  const [people, subs, entries, checks, rule, earlier] = await Promise.all([
    deps.reports.allPeople(tenantId),
    deps.subcontractors.list(tenantId),
    deps.blacklist.list(tenantId),
    deps.spotChecks.inMonth(tenantId, month),
    deps.settings.read(tenantId, SETTLEMENT_RULE),
    deps.reports.subcontractorSnapshots(tenantId),
  ]);
  const facts = new Map<string, SubcontractorFacts>(
    subs.map((s) => [
      s.subcontractorId,
      {
        subcontractorId: s.subcontractorId,
        name: s.name,
        workers: 0,
        workersLapsed: 0,
        forgery: { flagged: 0, pendingReview: 0, confirmed: 0, clearedGenuine: 0 },
        blacklistEntries: 0,
        spotChecks: { total: 0, passed: 0 },
      },
    ]),
  );
  for (const p of people) {
    const f = p.employer.type === 'subcontractor' ? facts.get(p.employer.subcontractorId ?? '') : undefined;
    if (!f || p.createdAt.slice(0, 10) > monthEnd) continue; // not yet theirs that month
    const certs = await deps.certificates.listForPerson(tenantId, p.personId);
    f.workers += 1;
    const status = computePersonStatus(
      certs.filter((c) => c.issuedOn <= monthEnd).map(certificateFacts),
      monthEnd,
    );
    if (hasLapsed(status.reasons)) f.workersLapsed += 1;
    for (const c of certs) {
      const forgery = c.forgery;
      if (!forgery || forgery.state === 'clear') continue;
      if (inMonth(forgery.analysedAt, month)) f.forgery.flagged += 1;
      if (forgery.state === 'pending_review' && inMonth(forgery.analysedAt, month))
        f.forgery.pendingReview += 1;
      if (forgery.review && inMonth(forgery.review.at, month)) {
        if (forgery.review.decision === 'forged') f.forgery.confirmed += 1;
        else f.forgery.clearedGenuine += 1;
      }
    }
  }
  for (const e of entries)
    if (e.subcontractorId && inMonth(e.createdAt, month)) {
      const f = facts.get(e.subcontractorId);
      if (f) f.blacklistEntries += 1;
    }
  for (const c of checks) {
    const f = c.subcontractorId ? facts.get(c.subcontractorId) : undefined;
    if (!f) continue;
    f.spotChecks.total += 1;
    if (c.passed) f.spotChecks.passed += 1;
  }
  return { tenantId, month, rule, rows: subcontractorRows(month, [...facts.values()], rule, earlier) };
}

/** A plain HTML table for the mail (the health report's mail carries its own charts). */
export function renderSubcontractorHtml(report: SubcontractorReport): string {
  const esc = (v: unknown) =>
    String(v ?? '—').replace(
      /[&<>"]/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
    );
  const rows = report.rows
    .map(
      (r) =>
        `<tr${r.settlement.hold ? ' style="background:#fde8e8"' : ''}><td>${esc(r.name)}</td><td>${r.workers}</td><td>${esc(r.expiredRatePercent)}%</td><td>${r.forgery.flagged}/${r.forgery.confirmed}</td><td>${r.blacklistEntries}</td><td>${esc(r.spotCheckPassPercent)}%</td><td>${r.trend.map((t) => esc(t.expiredRatePercent)).join(' → ')}</td><td>${r.settlement.hold ? `暂缓结算：${esc(r.settlement.reasons.join('、'))}` : '可结算'}</td></tr>`,
    )
    .join('');
  return `<!doctype html><meta charset="utf-8"><h1>分包单位月度报告 ${esc(report.month)}</h1><table border="1" cellpadding="4"><tr><th>分包单位</th><th>人数</th><th>证书失效率</th><th>疑似伪造/确认伪造</th><th>黑名单</th><th>抽查合格率</th><th>近 6 月失效率</th><th>结算</th></tr>${rows}</table>`;
}

export function emailSubcontractorReport(
  mailer: Mailer,
  report: SubcontractorReport,
  to: string[],
  from: string,
) {
  return mailer.send({
    from,
    to,
    subject: `分包单位月度报告 ${report.month}`,
    html: renderSubcontractorHtml(report),
    attachments: [],
  });
}
