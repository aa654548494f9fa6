import { getThresholds, putThresholds } from '../../schemas/routes.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { dynamoAdapters } from '../shared/wiring.ts';

const { settings } = dynamoAdapters();

export const handler = httpHandler([
  on(getThresholds, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await settings.thresholds(principal.tenantId) };
  }),
  on(putThresholds, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await settings.saveThresholds(principal, body, requestId);
    return { status: 200, body };
  }),
]);
