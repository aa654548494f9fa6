// The subcontractors function's routes (see schemas/route.ts).
import { Created, route } from '../route.ts';
import { CreateSubcontractorBody, Subcontractor, SubcontractorList } from '../subcontractors.ts';

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
  summary: 'One subcontractor (contacts masked)',
  responses: { 200: { description: 'The subcontractor', schema: Subcontractor } },
});
