// The notifications function: HTTP entry only; the use cases are in notification-settings.ts
// (channels, rules, bindings, delivery log) and diagnosis.ts (N3).
import {
  applyNotificationFix,
  diagnoseNotifications as diagnoseRoute,
  getBindings as getBindingsRoute,
  getChannelSettings,
  getNotification,
  getNotificationRules,
  getPersonNotifications,
  putBindings as putBindingsRoute,
  putChannelSettings,
  putNotificationRules,
} from '../../schemas/routes/notifications.ts';
import { apiHandler } from '../api-handler.ts';
import { notificationAdapters } from '../composition-root.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import { on } from '../shared/http/handler.ts';
import type { NotificationRule } from './channel-rules.ts';
import { applyFix, diagnoseNotifications } from './diagnosis.ts';
import {
  getBindings,
  getChannels,
  getRules,
  notificationDelivery,
  personNotifications,
  putBindings,
  putChannels,
  putRules,
} from './notification-settings.ts';

const deps = notificationAdapters();

export const handler = apiHandler([
  on(getChannelSettings, async ({ principal }) => ({
    status: 200,
    body: await getChannels(deps, principal),
  })),
  on(putChannelSettings, async ({ principal, body, requestId }) => ({
    status: 200,
    body: await putChannels(deps, principal, body, requestId),
  })),
  on(getNotificationRules, async ({ principal }) => ({ status: 200, body: await getRules(deps, principal) })),
  on(putNotificationRules, async ({ principal, body, requestId }) => ({
    status: 200,
    body: await putRules(
      deps,
      principal,
      body.rules as Partial<Record<NotificationKind, NotificationRule>>,
      requestId,
    ),
  })),
  on(getBindingsRoute, async ({ principal, params }) => ({
    status: 200,
    body: await getBindings(deps, principal, params.personId),
  })),
  on(putBindingsRoute, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await putBindings(deps, principal, params.personId, body, requestId),
  })),
  on(getPersonNotifications, async ({ principal, params, query, lang }) => ({
    status: 200,
    body: await personNotifications(deps, principal, params.personId, query.limit, lang),
  })),
  on(getNotification, async ({ principal, params, lang }) => ({
    status: 200,
    body: await notificationDelivery(deps, principal, params.messageId, lang),
  })),
  on(diagnoseRoute, async ({ principal, body, lang }) => ({
    status: 200,
    body: await diagnoseNotifications(deps, principal, body, lang),
  })),
  on(applyNotificationFix, async ({ principal, body, requestId }) => ({
    status: 200,
    body: await applyFix(deps, principal, body, requestId),
  })),
]);
