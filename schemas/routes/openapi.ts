// The openapi function's routes (see schemas/route.ts).
import { route } from '../route.ts';

export const openApiDocument = route({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  capability: 'openapi',
  auth: false,
  summary: 'This API’s OpenAPI 3.1 document',
  responses: { 200: { description: 'OpenAPI document', contentType: 'application/json' } },
});
