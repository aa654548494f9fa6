// Gathering a tenant's data for the report, and sending it (SES, HTML with inline SVG
// charts and the CSV attached). nodemailer's MailComposer builds the MIME message.

import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { CertificateRepository } from '../certificates/certificate-repository.ts';
import type { PersonRecord } from '../people/person-repository.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import type { Language } from '../shared/i18n/messages.ts';
import {
  buildHealthReport,
  type HealthReport,
  type PersonForReport,
  type SiteForReport,
  type TrendPoint,
} from './health-metrics.ts';
import { renderCsv, renderHtml } from './render.ts';

export interface ReportDeps {
  db: DynamoDBDocumentClient;
  table: string;
  certificates: CertificateRepository;
}

async function allPeople(deps: ReportDeps, tenantId: string): Promise<PersonRecord[]> {
  const q = keys.peopleQuery(tenantId, {});
  return queryAll<PersonRecord>(deps.db, {
    TableName: deps.table,
    IndexName: q.index,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': q.pk },
  });
}

async function allSites(deps: ReportDeps, tenantId: string): Promise<SiteForReport[]> {
  const { pk, skPrefix } = keys.sites(tenantId);
  const out = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    }),
  );
  return (out.Items ?? []).map((s) => ({
    siteId: String(s.siteId),
    name: String(s.name),
    ...(s.regionCode ? { regionCode: String(s.regionCode) } : {}),
  }));
}

export async function healthReport(deps: ReportDeps, tenantId: string, month: string): Promise<HealthReport> {
  const [people, sites] = await Promise.all([allPeople(deps, tenantId), allSites(deps, tenantId)]);
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
  return buildHealthReport(tenantId, month, forReport, sites, await snapshots(deps, tenantId));
}

/** The months' figures as the monthly job reported them. */
async function snapshots(deps: ReportDeps, tenantId: string): Promise<Map<string, TrendPoint>> {
  const { pk, skPrefix } = keys.reportSnapshots(tenantId);
  const items = await queryAll<TrendPoint>(deps.db, {
    TableName: deps.table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
  });
  return new Map(
    items.map((s) => [
      s.month,
      {
        month: s.month,
        expiryRate: s.expiryRate,
        onTimeReviewRate: s.onTimeReviewRate,
        crossRegionRate: s.crossRegionRate,
      },
    ]),
  );
}

/** Keeps the month's figures as reported now; the first snapshot of a month stays. */
export async function storeSnapshot(deps: ReportDeps, report: HealthReport): Promise<boolean> {
  const o = report.overall;
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.table,
        Item: {
          ...keys.reportSnapshot(report.tenantId, report.month),
          entity: 'report-snapshot',
          month: report.month,
          expiryRate: o.expiryRate,
          onTimeReviewRate: o.onTimeReviewRate,
          crossRegionRate: o.crossRegionRate,
          certificates: o.certificates,
          takenAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

let ses: SESv2Client | undefined;

export async function emailHealthReport(
  report: HealthReport,
  to: string[],
  from: string,
  lang: Language = 'zh',
): Promise<string> {
  const subject =
    lang === 'zh' ? `特种作业人员持证健康月报 ${report.month}` : `Certificate health report ${report.month}`;
  const mail = new MailComposer({
    from,
    to,
    subject,
    html: renderHtml(report, lang),
    attachments: [
      {
        filename: `health-${report.tenantId}-${report.month}.csv`,
        content: renderCsv(report),
        contentType: 'text/csv; charset=utf-8',
      },
    ],
  });
  const raw = await mail.compile().build();
  ses ??= new SESv2Client({});
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: to },
      Content: { Raw: { Data: raw } },
    }),
  );
  return out.MessageId ?? '';
}

/** Tenants known to the system (registered when their first site is created). */
export async function allTenants(deps: ReportDeps): Promise<string[]> {
  const out = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'SYSTEM#TENANTS' },
    }),
  );
  return (out.Items ?? []).map((i) => String(i.sk));
}
