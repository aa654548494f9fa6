// The subcontractors function: HTTP entry only; the use cases are in subcontractors.ts.
import {
  createSubcontractor,
  getSubcontractor,
  listSubcontractors as listRoute,
  reinstateSubcontractor as reinstateRoute,
  terminateSubcontractor as terminateRoute,
  updateSubcontractor,
} from '../../schemas/routes/subcontractors.ts';
import { apiHandler } from '../api-handler.ts';
import { clock, subcontractorRepository, workQueue } from '../composition-root.ts';
import { subcontractorVersion } from '../domain/subcontractors.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { etagOf, versionFromIfMatch } from '../shared/http/etag.ts';
import { on } from '../shared/http/handler.ts';
import { correctSubcontractor, reinstateSubcontractor, terminateSubcontractor } from './contract-changes.ts';
import {
  findSubcontractorRecord,
  listSubcontractors,
  registerSubcontractor,
  subcontractorView,
} from './subcontractors.ts';

const deps = {
  subcontractors: subcontractorRepository(),
  clock: clock(),
  // Its workers follow in the background, a page per message (functions/worker).
  workersToFollow: (tenantId: string, subcontractorId: string) =>
    workQueue().send([{ type: 'subcontractor-workers', tenantId, subcontractorId }]),
};

const versioned = (record: Parameters<typeof subcontractorView>[0]) => ({
  status: 200,
  body: subcontractorView(record),
  headers: { etag: etagOf(subcontractorVersion(record)) },
});

export const handler = apiHandler([
  on(createSubcontractor, async ({ principal, body, requestId }) => {
    const created = await registerSubcontractor(deps, principal, body, requestId);
    return {
      status: 201,
      body: created,
      headers: { location: `/subcontractors/${created.subcontractorId}` },
    };
  }),
  on(listRoute, async ({ principal }) => ({
    status: 200,
    body: { items: await listSubcontractors(deps, principal) },
  })),
  on(getSubcontractor, async ({ principal, params }) =>
    versioned(await findSubcontractorRecord(deps, principal, params.subcontractorId)),
  ),
  on(updateSubcontractor, async ({ principal, params, body, ifMatch, requestId }) => {
    authorize(principal, 'subcontractor:update');
    const version = versionFromIfMatch(ifMatch);
    return versioned(
      await correctSubcontractor(deps, principal, params.subcontractorId, body, version, requestId),
    );
  }),
  on(terminateRoute, async ({ principal, params, body, ifMatch, requestId }) => {
    authorize(principal, 'subcontractor:terminate');
    const version = versionFromIfMatch(ifMatch);
    return versioned(
      await terminateSubcontractor(deps, principal, params.subcontractorId, body, version, requestId),
    );
  }),
  on(reinstateRoute, async ({ principal, params, ifMatch, requestId }) => {
    authorize(principal, 'subcontractor:terminate');
    const version = versionFromIfMatch(ifMatch);
    return versioned(
      await reinstateSubcontractor(deps, principal, params.subcontractorId, version, requestId),
    );
  }),
]);
