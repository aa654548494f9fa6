// The privacy function: HTTP entry only; the use cases are in personal-data.ts.
import {
  requestDeletion as deletionRoute,
  exportPersonalData as exportRoute,
  getRecordRetention,
  putRecordRetention,
} from '../../schemas/routes/privacy.ts';
import { apiHandler } from '../api-handler.ts';
import { privacyDeps } from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { on } from '../shared/http/handler.ts';
import { exportPersonalData, RECORD_RETENTION, requestDeletion } from './personal-data.ts';

const deps = privacyDeps();

export const handler = apiHandler([
  on(exportRoute, async ({ principal, params, requestId }) => ({
    status: 201,
    body: await exportPersonalData(deps, principal, params.personId, requestId),
  })),
  on(deletionRoute, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await requestDeletion(deps, principal, params.personId, body, requestId),
  })),
  on(getRecordRetention, async ({ principal }) => {
    authorize(principal, 'settings:read');
    return { status: 200, body: await deps.settings.read(principal.tenantId, RECORD_RETENTION) };
  }),
  on(putRecordRetention, async ({ principal, body, requestId }) => {
    authorize(principal, 'settings:write');
    await deps.settings.save(principal, RECORD_RETENTION, body, requestId);
    return { status: 200, body };
  }),
]);
