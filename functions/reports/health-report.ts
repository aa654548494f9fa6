// The monthly health report of a tenant (L7): gathering its data through the ReportStore
// and certificate ports, and sending it through the Mailer (HTML with inline SVG charts,
// the CSV attached).
import type { CertificateRepository } from '../domain/certificate.ts';
import type { Language } from '../shared/i18n/messages.ts';
import { buildHealthReport, type HealthReport, type PersonForReport } from './health-metrics.ts';
import type { Mailer } from './mailer.ts';
import { renderCsv, renderHtml } from './render.ts';
import type { ReportStore } from './report-store.ts';

export interface ReportDeps {
  reports: ReportStore;
  certificates: CertificateRepository;
}

export async function healthReport(deps: ReportDeps, tenantId: string, month: string): Promise<HealthReport> {
  const [people, sites] = await Promise.all([
    deps.reports.allPeople(tenantId),
    deps.reports.allSites(tenantId),
  ]);
  const forReport: PersonForReport[] = [];
  for (const p of people) {
    const certs = await deps.certificates.listForPerson(tenantId, p.personId);
    forReport.push({
      personId: p.personId,
      ...(p.homeSiteId ? { homeSiteId: p.homeSiteId } : {}),
      idProvince: p.idNumberMasked.slice(0, 2),
      certificates: certs.map((c) => ({
        certificateId: c.certificateId,
        scheme: c.scheme,
        category: c.category,
        issuedOn: c.issuedOn,
        expiresOn: c.expiresOn,
        reviewDueOn: c.reviewDueOn,
        revokedOn: c.revokedOn ?? null,
        replacesCertificateId: c.replacesCertificateId ?? null,
        metDeadlines: (c.stamps ?? []).flatMap((s) =>
          s.previousDeadline
            ? [{ deadline: s.previousDeadline, metOn: s.reviewedOn ?? s.extendedOn ?? '' }]
            : [],
        ),
      })),
    });
  }
  return buildHealthReport(tenantId, month, forReport, sites, await deps.reports.snapshots(tenantId));
}

export function emailHealthReport(
  mailer: Mailer,
  report: HealthReport,
  to: string[],
  from: string,
  lang: Language = 'zh',
  sections: string[] = [],
): Promise<string> {
  const subject =
    lang === 'zh' ? `特种作业人员持证健康月报 ${report.month}` : `Certificate health report ${report.month}`;
  return mailer.send({
    from,
    to,
    subject,
    html: renderHtml(report, lang, sections),
    attachments: [
      {
        filename: `health-${report.tenantId}-${report.month}.csv`,
        content: renderCsv(report),
        contentType: 'text/csv; charset=utf-8',
      },
    ],
  });
}
