// The committed document (schemas/openapi.json, which a test keeps equal to what the route
// table builds): imported as data, so a cold start neither loads every capability's schemas
// nor converts them (building it here made this function 2× the baseline's import time).
import document from '../../schemas/openapi.json' with { type: 'json' };
import { openApiDocument } from '../../schemas/routes/openapi.ts';
import { httpHandler, on } from '../shared/http/handler.ts';

export const handler = httpHandler([on(openApiDocument, async () => ({ status: 200, body: document }))]);
