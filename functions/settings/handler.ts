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
import { authorize } from '../shared/auth/permissions.ts';
import { InvalidRequest, NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';
import { checkUscc } from '../shared/identity-numbers.ts';
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
    return { status: 200, body: await settings.thresholds(principal.tenantId) };
  }),
  on(putThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveThresholds(principal, body, requestId);
    return { status: 200, body };
  }),
  on(getFatigueThresholds, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.fatigue(principal.tenantId) };
  }),
  on(putFatigueThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveFatigue(principal, body, requestId);
    return { status: 200, body };
  }),
  on(getDispatchPolicy, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.dispatchPolicy(principal.tenantId) };
  }),
  on(putDispatchPolicy, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveDispatchPolicy(principal, body, requestId);
    return { status: 200, body };
  }),
  on(getOnboardingThresholds, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.onboardingThresholds(principal.tenantId) };
  }),
  on(putOnboardingThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveOnboardingThresholds(principal, body, requestId);
    return { status: 200, body };
  }),
  on(getSettlementRule, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.settlementRule(principal.tenantId) };
  }),
  on(putSettlementRule, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveSettlementRule(principal, body, requestId);
    return { status: 200, body };
  }),
  on(getAlliance, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.alliance(principal.tenantId) };
  }),
  on(putAlliance, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveAlliance(principal, body, requestId);
    return { status: 200, body };
  }),
  on(putReportRecipients, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveReportRecipients(principal, body.safetyHeads, requestId);
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
