// Tenant settings. Status and fatigue thresholds are product policy, not law: each tenant
// may change them, and absent settings mean the brief's defaults.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_FATIGUE, type FatigueThresholds } from '../domain/fatigue.ts';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from '../domain/status.ts';
import { DEFAULT_ONBOARDING_THRESHOLDS, type OnboardingThresholds } from '../onboarding/admission.ts';
import { DEFAULT_SETTLEMENT_RULE, type SettlementRule } from '../reports/subcontractor-metrics.ts';
import { settingPuts } from '../shared/audit.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { transact } from '../shared/dynamo/transactions.ts';
import { DEFAULT_DISPATCH_POLICY, type DispatchPolicy } from '../tickets/dispatch-rules.ts';

/** Who receives the monthly health report (L7): nobody until the tenant says. */
const NO_RECIPIENTS: { safetyHeads: string[] } = { safetyHeads: [] };

/** Alliance membership (O4): a tenant that has not joined neither sends nor receives entries. */
export interface AllianceMembership {
  joined: boolean;
}
const NOT_JOINED: AllianceMembership = { joined: false };

/** Each named setting with its default: the stored item holds exactly these fields. */
const SETTINGS = {
  'status-thresholds': DEFAULT_THRESHOLDS,
  'fatigue-thresholds': DEFAULT_FATIGUE,
  'report-recipients': NO_RECIPIENTS,
  'dispatch-policy': DEFAULT_DISPATCH_POLICY,
  'onboarding-thresholds': DEFAULT_ONBOARDING_THRESHOLDS,
  alliance: NOT_JOINED,
  'settlement-rule': DEFAULT_SETTLEMENT_RULE,
} as const;
type SettingName = keyof typeof SETTINGS;

export interface SettingsRepository {
  thresholds(tenantId: string): Promise<StatusThresholds>;
  saveThresholds(principal: Principal, thresholds: StatusThresholds, requestId: string): Promise<void>;
  fatigue(tenantId: string): Promise<FatigueThresholds>;
  saveFatigue(principal: Principal, thresholds: FatigueThresholds, requestId: string): Promise<void>;
  /** Dispatch rules' limits (50 km / 24 h, re-exam months, guardian load, permit signing window). */
  dispatchPolicy(tenantId: string): Promise<DispatchPolicy>;
  saveDispatchPolicy(principal: Principal, policy: DispatchPolicy, requestId: string): Promise<void>;
  /** Admission of outside workers: liveness confidence and face similarity (0–100). */
  onboardingThresholds(tenantId: string): Promise<OnboardingThresholds>;
  saveOnboardingThresholds(principal: Principal, t: OnboardingThresholds, requestId: string): Promise<void>;
  alliance(tenantId: string): Promise<AllianceMembership>;
  /** When the monthly subcontractor report flags a payment hold (O5). */
  settlementRule(tenantId: string): Promise<SettlementRule>;
  saveSettlementRule(principal: Principal, rule: SettlementRule, requestId: string): Promise<void>;
  saveAlliance(principal: Principal, membership: AllianceMembership, requestId: string): Promise<void>;
  /** The safety heads' addresses for the monthly report. */
  reportRecipients(tenantId: string): Promise<string[]>;
  saveReportRecipients(principal: Principal, safetyHeads: string[], requestId: string): Promise<void>;
}

export class DynamoSettingsRepository implements SettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  thresholds(tenantId: string): Promise<StatusThresholds> {
    return this.read(tenantId, 'status-thresholds');
  }

  saveThresholds(principal: Principal, t: StatusThresholds, requestId: string): Promise<void> {
    return this.save(principal, 'status-thresholds', t, requestId);
  }

  fatigue(tenantId: string): Promise<FatigueThresholds> {
    return this.read(tenantId, 'fatigue-thresholds');
  }

  saveFatigue(principal: Principal, t: FatigueThresholds, requestId: string): Promise<void> {
    return this.save(principal, 'fatigue-thresholds', t, requestId);
  }

  onboardingThresholds(tenantId: string): Promise<OnboardingThresholds> {
    return this.read(tenantId, 'onboarding-thresholds');
  }

  saveOnboardingThresholds(principal: Principal, t: OnboardingThresholds, requestId: string): Promise<void> {
    return this.save(principal, 'onboarding-thresholds', t, requestId);
  }

  settlementRule(tenantId: string): Promise<SettlementRule> {
    return this.read(tenantId, 'settlement-rule');
  }

  saveSettlementRule(principal: Principal, rule: SettlementRule, requestId: string): Promise<void> {
    return this.save(principal, 'settlement-rule', rule, requestId);
  }

  alliance(tenantId: string): Promise<AllianceMembership> {
    return this.read(tenantId, 'alliance');
  }

  saveAlliance(principal: Principal, membership: AllianceMembership, requestId: string): Promise<void> {
    return this.save(principal, 'alliance', membership, requestId);
  }

  dispatchPolicy(tenantId: string): Promise<DispatchPolicy> {
    return this.read(tenantId, 'dispatch-policy');
  }

  saveDispatchPolicy(principal: Principal, policy: DispatchPolicy, requestId: string): Promise<void> {
    return this.save(principal, 'dispatch-policy', policy, requestId);
  }

  async reportRecipients(tenantId: string): Promise<string[]> {
    return [...(await this.read(tenantId, 'report-recipients')).safetyHeads];
  }

  saveReportRecipients(principal: Principal, safetyHeads: string[], requestId: string): Promise<void> {
    return this.save(principal, 'report-recipients', { safetyHeads }, requestId);
  }

  private async read<N extends SettingName>(tenantId: string, name: N): Promise<(typeof SETTINGS)[N]> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.settings(tenantId, name) }),
    );
    const defaults = SETTINGS[name];
    if (!out.Item) return defaults;
    const stored = out.Item as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(defaults).map((field) => [
        field,
        stored[field] ?? defaults[field as keyof typeof defaults],
      ]),
    ) as unknown as (typeof SETTINGS)[N];
  }

  private async save(principal: Principal, name: SettingName, value: object, requestId: string) {
    await transact(this.db, settingPuts(this.table, principal, name, value, requestId, this.clock.now()));
  }
}
