// DynamoDB adapter of the ReportStore: the tenant-wide reads the monthly health report
// needs, and its snapshots.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PERSON_ITEM } from '../domain/entities.ts';
import type { PersonRecord } from '../domain/person.ts';
import { parseItems } from '../shared/dynamo/items.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import type { HealthReport, SiteForReport, TrendPoint } from './health-metrics.ts';

/** The port: what the report reads and keeps. */
export interface ReportStore {
  allTenants(): Promise<string[]>;
  allPeople(tenantId: string): Promise<PersonRecord[]>;
  allSites(tenantId: string): Promise<SiteForReport[]>;
  /** The months' figures as the monthly job reported them. */
  snapshots(tenantId: string): Promise<Map<string, TrendPoint>>;
  /** Keeps the month's figures as reported now; false when the month already has its snapshot. */
  storeSnapshot(report: HealthReport, takenAt: Date): Promise<boolean>;
  /** Subcontractors' expired rates per month, as reported then (O5 trend). */
  subcontractorSnapshots(tenantId: string): Promise<Map<string, Map<string, number | null>>>;
  storeSubcontractorSnapshot(
    tenantId: string,
    month: string,
    rates: Record<string, number | null>,
    takenAt: Date,
  ): Promise<boolean>;
}

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Tenants known to the system (registered when their first site is created). */
  async allTenants(): Promise<string[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SYSTEM#TENANTS' },
      }),
    );
    return (out.Items ?? []).map((i) => String(i.sk));
  }

  async allPeople(tenantId: string): Promise<PersonRecord[]> {
    const q = keys.peopleQuery(tenantId, {});
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: q.index,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': q.pk },
    });
    return parseItems<PersonRecord>(PERSON_ITEM, 'person', items);
  }

  async allSites(tenantId: string): Promise<SiteForReport[]> {
    const { pk, skPrefix } = keys.sites(tenantId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
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

  /** The months' figures as the monthly job reported them. */
  async snapshots(tenantId: string): Promise<Map<string, TrendPoint>> {
    const { pk, skPrefix } = keys.reportSnapshots(tenantId);
    const items = await queryAll<TrendPoint>(this.db, {
      TableName: this.table,
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
  async storeSnapshot(report: HealthReport, takenAt: Date): Promise<boolean> {
    const o = report.overall;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.reportSnapshot(report.tenantId, report.month),
            entity: 'report-snapshot',
            month: report.month,
            expiryRate: o.expiryRate,
            onTimeReviewRate: o.onTimeReviewRate,
            crossRegionRate: o.crossRegionRate,
            certificates: o.certificates,
            takenAt: takenAt.toISOString(),
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

  async subcontractorSnapshots(tenantId: string) {
    const { pk, skPrefix } = keys.subReportSnapshots(tenantId);
    const items = await queryAll<{ month: string; rates: Record<string, number | null> }>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
    });
    return new Map(items.map((i) => [i.month, new Map(Object.entries(i.rates ?? {}))]));
  }

  async storeSubcontractorSnapshot(
    tenantId: string,
    month: string,
    rates: Record<string, number | null>,
    takenAt: Date,
  ) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.subReportSnapshot(tenantId, month),
            entity: 'subcontractor-report-snapshot',
            month,
            rates,
            takenAt: takenAt.toISOString(),
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
}
