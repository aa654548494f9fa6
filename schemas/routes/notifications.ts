// The notifications function's routes (see schemas/route.ts): N1–N3.
import * as z from 'zod';
import {
  BindingsBody,
  BindingsView,
  ChannelSettingsBody,
  ChannelSettingsView,
  Diagnosis,
  DiagnosisBody,
  FixBody,
  FixResult,
  NotificationDelivery,
  NotificationLog,
  NotificationRules,
} from '../notifications.ts';
import { route, Unprocessable } from '../route.ts';

export const getChannelSettings = route({
  operationId: 'getChannelSettings',
  method: 'GET',
  path: '/settings/channels',
  capability: 'notifications',
  auth: true,
  summary: 'The tenant’s notification channels (WeCom, DingTalk, SMS, email); secrets are never shown',
  responses: { 200: { description: 'Channel settings', schema: ChannelSettingsView } },
});

export const putChannelSettings = route({
  operationId: 'putChannelSettings',
  method: 'PUT',
  path: '/settings/channels',
  capability: 'notifications',
  auth: true,
  summary:
    'Set the channels (group_admin); secrets go to the tenant’s secret; each enabled channel is checked with a dry call',
  body: ChannelSettingsBody,
  responses: {
    200: { description: 'Channel settings and the dry calls’ results', schema: ChannelSettingsView },
    ...Unprocessable('channel_check_failed: a provider refused a channel’s dry call; nothing is stored'),
  },
});

export const getNotificationRules = route({
  operationId: 'getNotificationRules',
  method: 'GET',
  path: '/settings/notification-rules',
  capability: 'notifications',
  auth: true,
  summary: 'Per kind of notification: ordered channels and mode (first_success or redundant)',
  responses: { 200: { description: 'Rules', schema: NotificationRules } },
});

export const putNotificationRules = route({
  operationId: 'putNotificationRules',
  method: 'PUT',
  path: '/settings/notification-rules',
  capability: 'notifications',
  auth: true,
  summary: 'Set the rules (group_admin); kinds left out send to the inbox only',
  body: NotificationRules,
  responses: { 200: { description: 'Rules', schema: NotificationRules } },
});

export const getBindings = route({
  operationId: 'getBindings',
  method: 'GET',
  path: '/people/{personId}/bindings',
  capability: 'notifications',
  auth: true,
  summary: 'How a person is reached: WeCom/DingTalk user ids, phone and email (masked)',
  responses: { 200: { description: 'Bindings', schema: BindingsView } },
});

export const putBindings = route({
  operationId: 'putBindings',
  method: 'PUT',
  path: '/people/{personId}/bindings',
  capability: 'notifications',
  auth: true,
  summary: 'Set a person’s bindings (group_admin, hr, their subcontractor); fields left out are removed',
  body: BindingsBody,
  responses: { 200: { description: 'Bindings', schema: BindingsView } },
});

export const getPersonNotifications = route({
  operationId: 'getPersonNotifications',
  method: 'GET',
  path: '/people/{personId}/notifications',
  capability: 'notifications',
  auth: true,
  summary: 'A person’s delivery log, newest first: per message, each channel’s outcome',
  query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  responses: { 200: { description: 'Delivery log', schema: NotificationLog } },
});

export const getNotification = route({
  operationId: 'getNotification',
  method: 'GET',
  path: '/notifications/{messageId}',
  capability: 'notifications',
  auth: true,
  summary: 'One message’s delivery: each channel’s state, provider code and cause',
  responses: { 200: { description: 'Delivery', schema: NotificationDelivery } },
});

export const diagnoseNotifications = route({
  operationId: 'diagnoseNotifications',
  method: 'POST',
  path: '/diagnostics/notifications',
  capability: 'notifications',
  auth: true,
  summary:
    'Why a rule does (not) reach a person — or, without personId, everyone it cannot reach — walking a real send’s path without sending',
  body: DiagnosisBody,
  responses: { 200: { description: 'Findings, each with its fix', schema: Diagnosis } },
});

export const applyNotificationFix = route({
  operationId: 'applyNotificationFix',
  method: 'POST',
  path: '/diagnostics/notifications/fixes',
  capability: 'notifications',
  auth: true,
  summary:
    'Apply a fix the diagnosis marked applicable (enable a channel, raise the SMS quota, redundant mode, binding guide)',
  body: FixBody,
  responses: { 200: { description: 'What was done', schema: FixResult } },
});
