import { health } from '../../schemas/routes.ts';
import { httpHandler, on } from '../shared/http/handler.ts';

export const handler = httpHandler([on(health, async () => ({ status: 200, body: { status: 'ok' } }))]);
