import {
  getAlliance,
  getDispatchPolicy,
  getFatigueThresholds,
  getOnboardingThresholds,
  getRegistrySettings,
  getSettlementRule,
  getThresholds,
  putAlliance,
  putDispatchPolicy,
  putFatigueThresholds,
  putOnboardingThresholds,
  putRegistrySettings,
  putReportRecipients,
  putSettlementRule,
  putThresholds,
} from '../../schemas/routes/settings.ts';
import { apiHandler } from '../api-handler.ts';
import { startRegistryCatchUp } from '../batches/registry-catch-up.ts';
import * as root from '../composition-root.ts';
import {
  ALLIANCE,
  FATIGUE_THRESHOLDS,
  ONBOARDING_THRESHOLDS,
  STATUS_THRESHOLDS,
} from '../domain/settings.ts';
import { REPORT_RECIPIENTS } from '../reports/health-metrics.ts';
import { SETTLEMENT_RULE } from '../reports/subcontractor-metrics.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { InvalidRequest, NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';
import { checkUscc } from '../shared/identity-numbers.ts';
import { DISPATCH_POLICY } from '../tickets/dispatch-rules.ts';
import type { RegistrySettings } from '../verification/registry-settings-repository.ts';

const adapters = {
  settings: root.settingsRepository(),
  registrySettings: root.registrySettings(),
  batches: root.batchStore(),
  workQueue: root.workQueue(),
  clock: root.clock(),
};

const connectionChanged = (before: RegistrySettings | undefined, after: RegistrySettings) =>
  !before ||
  before.unifiedSocialCreditCode !== after.unifiedSocialCreditCode ||
  before.clientCertificate?.fingerprintSha256 !== after.clientCertificate?.fingerprintSha256;
const { settings, registrySettings } = adapters;

export const handler = apiHandler([
  on(getThresholds, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.read(principal.tenantId, STATUS_THRESHOLDS) };
  }),
  on(putThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, STATUS_THRESHOLDS, body, requestId);
    return { status: 200, body };
  }),
  on(getFatigueThresholds, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.read(principal.tenantId, FATIGUE_THRESHOLDS) };
  }),
  on(putFatigueThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, FATIGUE_THRESHOLDS, body, requestId);
    return { status: 200, body };
  }),
  on(getDispatchPolicy, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.read(principal.tenantId, DISPATCH_POLICY) };
  }),
  on(putDispatchPolicy, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, DISPATCH_POLICY, body, requestId);
    return { status: 200, body };
  }),
  on(getOnboardingThresholds, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.read(principal.tenantId, ONBOARDING_THRESHOLDS) };
  }),
  on(putOnboardingThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, ONBOARDING_THRESHOLDS, body, requestId);
    return { status: 200, body };
  }),
  on(getSettlementRule, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.read(principal.tenantId, SETTLEMENT_RULE) };
  }),
  on(putSettlementRule, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, SETTLEMENT_RULE, body, requestId);
    return { status: 200, body };
  }),
  on(getAlliance, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.read(principal.tenantId, ALLIANCE) };
  }),
  on(putAlliance, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, ALLIANCE, body, requestId);
    return { status: 200, body };
  }),
  on(putReportRecipients, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.save(principal, REPORT_RECIPIENTS, { safetyHeads: body.safetyHeads }, requestId);
    return { status: 200, body };
  }),
  on(getRegistrySettings, async ({ principal }) => {
    authorize(principal, 'settings:read');
    const current = await registrySettings.get(principal.tenantId);
    if (!current) throw new NotFound('registry_not_configured');
    return { status: 200, body: current };
  }),
  on(putRegistrySettings, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    const verdict = checkUscc(body.unifiedSocialCreditCode);
    if (verdict === 'format') {
      throw new InvalidRequest('validation_failed', [
        { field: 'unifiedSocialCreditCode', code: 'uscc_format', message: 'uscc_format' },
      ]);
    }
    const now = adapters.clock.now();
    const before = await registrySettings.get(principal.tenantId);
    const saved = await registrySettings.save(principal, body, now.toISOString(), requestId);
    // A new or changed connection: check every certificate the registry never answered for.
    const catchUp = connectionChanged(before, saved)
      ? await startRegistryCatchUp(adapters, principal, now)
      : undefined;
    // Early pilot codes fail the checksum but are real: accept them with a warning.
    return {
      status: 200,
      body: {
        ...saved,
        ...(catchUp ? { verificationBatchId: catchUp.batchId } : {}),
        ...(verdict === 'bad_check_char' ? { warnings: ['uscc_check_char'] } : {}),
      },
    };
  }),
]);
