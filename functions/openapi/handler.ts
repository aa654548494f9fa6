import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { openApiDocument } from '../../schemas/routes.ts';
import { httpHandler, on } from '../shared/http/handler.ts';

// Built once per container: the document only changes with a deployment.
const document = buildOpenApiDocument();

export const handler = httpHandler([on(openApiDocument, async () => ({ status: 200, body: document }))]);
