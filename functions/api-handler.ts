// The HTTP handler of every capability with authenticated routes: the shared shape
// (functions/shared/http/handler.ts) wired to the user directory, which says what a
// verified identity may do. Kept beside the composition root, not in shared/.
import { principals } from './composition-root.ts';
import { type HandlerOptions, httpHandler, type RouteBinding } from './shared/http/handler.ts';

export const apiHandler = (bindings: RouteBinding[], options: HandlerOptions = {}) =>
  httpHandler(bindings, { principals: principals(), ...options });
