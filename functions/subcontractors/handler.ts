// The subcontractors function: HTTP entry only; the use cases are in subcontractors.ts.
import {
  createSubcontractor,
  getSubcontractor,
  listSubcontractors as listRoute,
} from '../../schemas/routes/subcontractors.ts';
import { apiHandler } from '../api-handler.ts';
import { clock, subcontractorRepository } from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import { findSubcontractor, listSubcontractors, registerSubcontractor } from './subcontractors.ts';

const deps = { subcontractors: subcontractorRepository(), clock: clock() };

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
  on(getSubcontractor, async ({ principal, params }) => ({
    status: 200,
    body: await findSubcontractor(deps, principal, params.subcontractorId),
  })),
]);
