// The settings function's routes (see schemas/route.ts).
import { ReportRecipients } from '../reports.ts';
import { route } from '../route.ts';
import {
  AllianceMembership,
  DispatchPolicy,
  FatigueThresholds,
  OnboardingThresholds,
  SettlementRule,
  StatusThresholds,
} from '../settings.ts';
import { RegistrySettings, RegistrySettingsBody } from '../verification.ts';

export const getRegistrySettings = route({
  operationId: 'getRegistrySettings',
  method: 'GET',
  path: '/settings/registry',
  capability: 'settings',
  auth: true,
  summary: 'The tenant’s registry connection',
  responses: { 200: { description: 'Registry settings', schema: RegistrySettings } },
});

export const putRegistrySettings = route({
  operationId: 'putRegistrySettings',
  method: 'PUT',
  path: '/settings/registry',
  capability: 'settings',
  auth: true,
  summary:
    'Connect the tenant to the registry gateway (group_admin): credit code and client-certificate secret',
  body: RegistrySettingsBody,
  responses: { 200: { description: 'Registry settings', schema: RegistrySettings } },
});

export const putReportRecipients = route({
  operationId: 'putReportRecipients',
  method: 'PUT',
  path: '/settings/report-recipients',
  capability: 'settings',
  auth: true,
  summary: 'Safety-head addresses that receive the monthly health report (group_admin)',
  body: ReportRecipients,
  responses: { 200: { description: 'Recipients', schema: ReportRecipients } },
});

export const getThresholds = route({
  operationId: 'getStatusThresholds',
  method: 'GET',
  path: '/settings/status-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'The tenant’s colour thresholds',
  responses: { 200: { description: 'Thresholds', schema: StatusThresholds } },
});

export const putThresholds = route({
  operationId: 'putStatusThresholds',
  method: 'PUT',
  path: '/settings/status-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'Change the tenant’s colour thresholds (group_admin); applies at each person’s next recompute',
  body: StatusThresholds,
  responses: { 200: { description: 'Thresholds', schema: StatusThresholds } },
});

export const getFatigueThresholds = route({
  operationId: 'getFatigueThresholds',
  method: 'GET',
  path: '/settings/fatigue-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'The tenant’s fatigue limits (continuous and trailing-24 h time on site)',
  responses: { 200: { description: 'Fatigue thresholds', schema: FatigueThresholds } },
});

export const putFatigueThresholds = route({
  operationId: 'putFatigueThresholds',
  method: 'PUT',
  path: '/settings/fatigue-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'Change the tenant’s fatigue limits (group_admin); applies to the next status read',
  body: FatigueThresholds,
  responses: { 200: { description: 'Fatigue thresholds', schema: FatigueThresholds } },
});

export const getDispatchPolicy = route({
  operationId: 'getDispatchPolicy',
  method: 'GET',
  path: '/settings/dispatch-policy',
  capability: 'settings',
  auth: true,
  summary:
    'The tenant’s dispatch limits: 50 km / 24 h, re-exam months, guardian load, permit co-sign window, permit hours',
  responses: { 200: { description: 'Dispatch policy', schema: DispatchPolicy } },
});

export const putDispatchPolicy = route({
  operationId: 'putDispatchPolicy',
  method: 'PUT',
  path: '/settings/dispatch-policy',
  capability: 'settings',
  auth: true,
  summary: 'Set the tenant’s dispatch limits (group_admin)',
  body: DispatchPolicy,
  responses: { 200: { description: 'Dispatch policy', schema: DispatchPolicy } },
});

export const getOnboardingThresholds = route({
  operationId: 'getOnboardingThresholds',
  method: 'GET',
  path: '/settings/onboarding-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'Liveness confidence and face similarity thresholds of worker admission',
  responses: { 200: { description: 'Onboarding thresholds', schema: OnboardingThresholds } },
});

export const putOnboardingThresholds = route({
  operationId: 'putOnboardingThresholds',
  method: 'PUT',
  path: '/settings/onboarding-thresholds',
  capability: 'settings',
  auth: true,
  summary: 'Set the admission thresholds (group_admin)',
  body: OnboardingThresholds,
  responses: { 200: { description: 'Onboarding thresholds', schema: OnboardingThresholds } },
});

export const getAlliance = route({
  operationId: 'getAlliance',
  method: 'GET',
  path: '/settings/alliance',
  capability: 'settings',
  auth: true,
  summary: 'Whether the tenant has joined the alliance blacklist',
  responses: { 200: { description: 'Alliance membership', schema: AllianceMembership } },
});

export const putAlliance = route({
  operationId: 'putAlliance',
  method: 'PUT',
  path: '/settings/alliance',
  capability: 'settings',
  auth: true,
  summary: 'Join or leave the alliance blacklist (group_admin)',
  body: AllianceMembership,
  responses: { 200: { description: 'Alliance membership', schema: AllianceMembership } },
});

export const getSettlementRule = route({
  operationId: 'getSettlementRule',
  method: 'GET',
  path: '/settings/settlement-rule',
  capability: 'settings',
  auth: true,
  summary: 'When the monthly subcontractor report flags a payment hold',
  responses: { 200: { description: 'The rule', schema: SettlementRule } },
});

export const putSettlementRule = route({
  operationId: 'putSettlementRule',
  method: 'PUT',
  path: '/settings/settlement-rule',
  capability: 'settings',
  auth: true,
  summary: 'Set the settlement rule (group_admin)',
  body: SettlementRule,
  responses: { 200: { description: 'The rule', schema: SettlementRule } },
});
