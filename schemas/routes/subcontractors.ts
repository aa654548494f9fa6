// The subcontractors function's routes (see schemas/route.ts).

import { Problem } from '../common.ts';
import { Created, route } from '../route.ts';
import {
  CreateSubcontractorBody,
  Subcontractor,
  SubcontractorList,
  TerminationBody,
  UpdateSubcontractorBody,
} from '../subcontractors.ts';

export const createSubcontractor = route({
  operationId: 'createSubcontractor',
  method: 'POST',
  path: '/subcontractors',
  capability: 'subcontractors',
  auth: true,
  summary: 'Register a subcontractor (group_admin, hr); its unified social credit code once per tenant',
  body: CreateSubcontractorBody,
  responses: Created(Subcontractor, 'Subcontractor'),
});

export const listSubcontractors = route({
  operationId: 'listSubcontractors',
  method: 'GET',
  path: '/subcontractors',
  capability: 'subcontractors',
  auth: true,
  summary: 'Subcontractors of the tenant (a subcontractor admin sees only their own)',
  responses: { 200: { description: 'Subcontractors', schema: SubcontractorList } },
});

export const getSubcontractor = route({
  operationId: 'getSubcontractor',
  method: 'GET',
  path: '/subcontractors/{subcontractorId}',
  capability: 'subcontractors',
  auth: true,
  summary: 'One subcontractor (contacts masked); its version as the ETag a change names in If-Match',
  responses: { 200: { description: 'The subcontractor (ETag header: its version)', schema: Subcontractor } },
});

const versioned = (what: string) => ({
  200: { description: `${what} (ETag header: its new version)`, schema: Subcontractor },
  412: {
    description: 'The subcontractor changed since it was read (If-Match names an older version)',
    schema: Problem,
  },
  428: { description: 'No If-Match header', schema: Problem },
});

export const updateSubcontractor = route({
  operationId: 'updateSubcontractor',
  method: 'PATCH',
  path: '/subcontractors/{subcontractorId}',
  capability: 'subcontractors',
  auth: true,
  summary:
    'Correct a subcontractor: name, unified social credit code, contacts (group_admin, hr); If-Match required',
  body: UpdateSubcontractorBody,
  responses: {
    ...versioned('The corrected subcontractor'),
    409: { description: 'Another subcontractor of the tenant has this code', schema: Problem },
  },
});

export const terminateSubcontractor = route({
  operationId: 'terminateSubcontractor',
  method: 'PUT',
  path: '/subcontractors/{subcontractorId}/termination',
  capability: 'subcontractors',
  auth: true,
  summary:
    'End its contract (group_admin): from effectiveOn its workers are refused at every gate (subcontractor_terminated), put on no ticket, and read red; new workers are refused. Setting it again moves the date. If-Match required',
  body: TerminationBody,
  responses: versioned('The subcontractor with its termination'),
});

export const reinstateSubcontractor = route({
  operationId: 'reinstateSubcontractor',
  method: 'DELETE',
  path: '/subcontractors/{subcontractorId}/termination',
  capability: 'subcontractors',
  auth: true,
  summary:
    'Undo a termination (group_admin): its workers’ access is back as their certificates allow. If-Match required',
  responses: versioned('The subcontractor without a termination'),
});
