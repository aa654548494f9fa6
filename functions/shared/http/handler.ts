// The one HTTP handler shape shared by every capability: middy around a router keyed by
// API Gateway's routeKey. It reads the caller from verified JWT claims, parses body and
// query with the route's zod schemas, and maps every error to a problem response. The
// local gateway builds the same API Gateway v2 event, so local runs exercise this code.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import {
  type MultipartForm,
  type PathParameterNames,
  pathParameterNames,
  type RouteDefinition,
  routeKey,
} from '../../../schemas/route.ts';
import {
  type Identity,
  identityFromClaims,
  PLATFORM_ROLE,
  type Principal,
  type PrincipalResolver,
} from '../auth/principal.ts';
import { errorForLog } from '../error-log.ts';
import { Forbidden, InvalidRequest, NotFound, Unauthenticated } from '../errors.ts';
import { type Language, languageFrom } from '../i18n/messages.ts';
import { acceptableCorrelationId, logger, withRequestLogger } from '../logger.ts';
import { coldStart, metricsFlushed } from '../metrics.ts';
import { annotate } from '../tracer.ts';
import { fieldErrorsFrom, json, problemResponse } from './problem.ts';

export interface HttpRequest<B = unknown, Q = unknown, P extends string = string> {
  principal: Principal;
  body: B;
  query: Q;
  /** The route's path parameters, each present and non-empty (otherwise the request got 404). */
  params: Record<P, string>;
  lang: Language;
  requestId: string;
  /** On signed routes: the partner whose signature the request carries. */
  partnerId?: string;
  /** On `caller: 'identity'` routes: who the token names (not yet a user of the product). */
  identity?: Identity;
  /** The If-Match header, for corrections that name the version they correct (shared/http/etag.ts). */
  ifMatch?: string;
  /** The Idempotency-Key header, where a route honours one (a retried POST answers its first result). */
  idempotencyKey?: string;
  /** Where this API is reached from outside (links handed to people who have no account). */
  origin: string;
  /** Whether the caller is a browser asking for a page (Accept names text/html). */
  wantsHtml: boolean;
}

/** The request as signed (RFC 9421): what a signed route's verifier reads, before any parsing. */
export interface RawMessage {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A file instead of JSON (API Gateway passes it on base64-encoded); `inline`: shown, not saved (a page). */
  file?: { contentType: string; fileName: string; data: Buffer; inline?: boolean };
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type RouteOf<B, Q, P extends string> = RouteDefinition<z.ZodType, z.ZodType, P> & { body?: B; query?: Q };

export interface RouteBinding {
  route: RouteDefinition;
  impl: (req: HttpRequest<unknown, unknown>) => Promise<HttpResult>;
}

export function on<B, Q, P extends string>(
  route: RouteOf<B, Q, P>,
  impl: (req: HttpRequest<Out<B>, Out<Q>, PathParameterNames<P>>) => Promise<HttpResult>,
): RouteBinding {
  return { route, impl: impl as RouteBinding['impl'] };
}

/** Events from the HTTP API with a JWT authorizer (or the local gateway). */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: string[] } };
  };
};

const zodLocales = { zh: zhCN().localeError, en: en().localeError };

function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  lang: Language,
  prefix: string,
): z.output<S> {
  const result = schema.safeParse(input, { error: zodLocales[lang] });
  if (!result.success)
    throw new InvalidRequest('validation_failed', fieldErrorsFrom(result.error, lang, prefix || undefined));
  return result.data;
}

async function readMultipart(
  event: HttpEvent,
  contentType: string,
  route: RouteDefinition,
): Promise<unknown> {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  let form: FormData;
  try {
    // The platform's own multipart parser (WHATWG Request.formData), no extra dependency.
    form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
  } catch {
    throw new InvalidRequest('invalid_multipart');
  }
  const fields: Record<string, string> = {};
  const files: MultipartForm['files'] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') fields[field] = value;
    else files.push({ field, fileName: value.name, data: Buffer.from(await value.arrayBuffer()) });
  }
  return route.multipart?.({ fields, files });
}

async function readBody(event: HttpEvent, route: RouteDefinition): Promise<unknown> {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (route.multipart && contentType.toLowerCase().startsWith('multipart/form-data')) {
    return readMultipart(event, contentType, route);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidRequest('invalid_json');
  }
  if (nestingDepth(parsed) > MAX_BODY_DEPTH) throw new InvalidRequest('nesting_too_deep');
  return parsed;
}

/** No body of this API nests deeper; a deeper one would only exhaust recursion below. */
const MAX_BODY_DEPTH = 32;

/** Depth of a parsed JSON value, counted without recursion. */
function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (depth > max) max = depth;
    if (max > MAX_BODY_DEPTH) return max;
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

// A lone UTF-16 surrogate ("\ud83d" in JSON) is no character: DynamoDB, logs and every
// client would choke on it, so it is refused where the request comes in.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first ill-formed string in a parsed value (keys included), if any. */
export function illFormedStringAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedStringAt(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (LONE_SURROGATE.test(k)) return here;
      const found = illFormedStringAt(v, here);
      if (found) return found;
    }
  }
  return undefined;
}

function refuseIllFormed(value: unknown, prefix?: string): void {
  const at = illFormedStringAt(value);
  if (at)
    throw new InvalidRequest('validation_failed', [
      { field: prefix ? `${prefix}.${at}` : at, code: 'ill_formed_string', message: 'ill_formed_string' },
    ]);
}

/**
 * Path parameters are ids: no id of ours is longer than this, and a longer one would
 * only reach a DynamoDB key limit. Such a path names nothing, so it is answered 404.
 */
export const MAX_PATH_PARAMETER_LENGTH = 128;

/** The route's own path parameters: each must be there, non-empty and id-like, or the path names nothing. */
function pathParameters(event: HttpEvent, route: RouteDefinition): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of pathParameterNames(route.path)) {
    const value = event.pathParameters?.[name];
    if (!value || value.length > MAX_PATH_PARAMETER_LENGTH || LONE_SURROGATE.test(value))
      throw new NotFound('not_found');
    params[name] = value;
  }
  return params;
}

/**
 * What a public route gets as its caller: no one. Reading any of it (a tenant, a role — as
 * `authorize()` does) answers 401, so a public route that asks who is calling fails closed
 * instead of acting for an empty tenant.
 */
const NO_PRINCIPAL = new Proxy({} as Principal, {
  get: () => {
    throw new Unauthenticated('missing_token');
  },
});

// Computed from the event each time: the local gateway runs concurrent requests in one process.
function languageOf(event: HttpEvent): Language {
  const headers = event.headers ?? {};
  return languageFrom(headers['accept-language'] ?? headers['Accept-Language']);
}

export interface HandlerOptions {
  /** Verifies a signed route's request and names the partner; throws 401 otherwise. */
  signedBy?: (message: RawMessage) => Promise<string>;
  /** The user directory: what a verified identity may do (every authenticated route needs it). */
  principals?: PrincipalResolver;
}

/**
 * The caller of an authenticated route, as the directory knows them. A tenant route refuses
 * the platform operator (who reads no tenant's data) and a platform route everyone else.
 */
async function callerOf(
  event: HttpEvent,
  def: RouteDefinition,
  principals: PrincipalResolver | undefined,
): Promise<{ principal: Principal; identity?: Identity }> {
  const identity = identityFromClaims(event.requestContext.authorizer?.jwt?.claims);
  if (def.caller === 'identity') return { principal: NO_PRINCIPAL, identity };
  if (!principals) throw new Error(`route ${def.operationId} needs the user directory`);
  const principal = await principals.resolve(identity);
  const platform = principal.role === PLATFORM_ROLE;
  if (def.caller === 'platform' && !platform) throw new Forbidden('platform_admin_only');
  if (def.caller !== 'platform' && platform) throw new Forbidden('platform_admin_has_no_tenant');
  return { principal };
}

export function httpHandler(bindings: RouteBinding[], options: HandlerOptions = {}) {
  const byKey = new Map(bindings.map((b) => [routeKey(b.route), b]));
  const capability = bindings[0]?.route.capability ?? 'unknown';

  const route = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const binding = byKey.get(event.routeKey);
    if (!binding) throw new NotFound('route_not_found');
    const { route: def, impl } = binding;
    const lang = languageOf(event);
    const { principal, identity } = def.auth
      ? await callerOf(event, def, options.principals)
      : { principal: NO_PRINCIPAL, identity: undefined };
    if (def.auth && !identity) logger.appendKeys({ tenantId: principal.tenantId, role: principal.role });
    // A signed route is authenticated first: nothing of an unsigned body is even parsed.
    let partnerId: string | undefined;
    if (def.signed) {
      if (!options.signedBy) throw new Error(`signed route ${def.operationId} without a verifier`);
      partnerId = await options.signedBy({
        method: event.requestContext.http.method,
        // The path and query are covered (@path, @query): the host is whatever the partner called.
        url: `https://api.invalid${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`,
        headers: event.headers ?? {},
        body: event.isBase64Encoded
          ? Buffer.from(event.body ?? '', 'base64')
          : Buffer.from(event.body ?? '', 'utf8'),
      });
    }
    const params = pathParameters(event, def);
    const rawBody = def.body ? await readBody(event, def) : undefined;
    refuseIllFormed(rawBody);
    refuseIllFormed(event.queryStringParameters ?? {}, 'query');
    const body = def.body ? parseWith(def.body, rawBody, lang, '') : undefined;
    const query = def.query
      ? parseWith(def.query, event.queryStringParameters ?? {}, lang, 'query')
      : undefined;
    const result = await impl({
      principal,
      body,
      query,
      params,
      lang,
      requestId: context.awsRequestId,
      origin: process.env.PUBLIC_API_URL || `https://${event.requestContext?.domainName ?? 'localhost'}`,
      wantsHtml: /text\/html/i.test(event.headers?.accept ?? ''),
      ...(partnerId ? { partnerId } : {}),
      ...(identity ? { identity } : {}),
      ...(event.headers?.['if-match'] !== undefined ? { ifMatch: event.headers['if-match'] } : {}),
      ...(event.headers?.['idempotency-key'] !== undefined
        ? { idempotencyKey: event.headers['idempotency-key'] }
        : {}),
    });
    if (result.file) {
      return {
        statusCode: result.status,
        headers: {
          'content-type': result.file.contentType,
          'content-disposition': `${result.file.inline ? 'inline' : 'attachment'}; filename="${result.file.fileName}"`,
          ...result.headers,
        },
        body: result.file.data.toString('base64'),
        isBase64Encoded: true,
      };
    }
    const response = json(result.status, result.body);
    return { ...response, headers: { ...response.headers, ...result.headers } };
  };

  const handler = middy<HttpEvent, APIGatewayProxyStructuredResultV2>(route as never).onError((request) => {
    const error = request.error;
    const response = problemResponse(error, languageOf(request.event), request.context.awsRequestId);
    if (response.statusCode === 500) logger.error('unhandled error', { error: errorForLog(error) });
    else if (response.statusCode === 503)
      logger.warn('dependency unavailable', { error: errorForLog(error) });
    else
      logger.info('request refused', {
        status: response.statusCode,
        code: (error as { detailCode?: string }).detailCode,
      });
    request.response = response;
  });
  // Each request logs with its own keys, even when one process serves several at once.
  // The caller's correlation id (x-correlation-id) when it is plain, else the request id:
  // on every line, on every message queued, and answered back.
  return async (event: HttpEvent, context: Context) => {
    const correlationId =
      acceptableCorrelationId(event.headers?.['x-correlation-id']) ?? context.awsRequestId;
    coldStart(capability);
    const started = performance.now();
    const response = (await withRequestLogger(
      { requestId: context.awsRequestId, routeKey: event.routeKey, correlationId },
      async () => {
        const out = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
        // One line a request: what the log queries of docs/operations.md count and time.
        logger.info('request served', {
          status: out.statusCode,
          ms: Math.round(performance.now() - started),
        });
        // Searchable in X-Ray: closed sets only (the route's template, never its values).
        annotate({ capability, route: event.routeKey, status: out.statusCode ?? 200 });
        return out;
      },
    )) as APIGatewayProxyStructuredResultV2;
    await metricsFlushed();
    return withSecurityHeaders({
      ...response,
      headers: { ...response.headers, 'x-correlation-id': correlationId },
    });
  };
}

/**
 * Every response, refusals included: no content sniffing (a CSV or JSON never runs as a
 * page), and a document of ours (the HTML health report) may load nothing, run no script
 * and be framed by nobody — its styles are inline, its data is text.
 */
export function withSecurityHeaders(
  response: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 {
  const html = String(response.headers?.['content-type'] ?? '').startsWith('text/html');
  return {
    ...response,
    headers: {
      ...response.headers,
      'x-content-type-options': 'nosniff',
      ...(html
        ? {
            'content-security-policy':
              "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            'referrer-policy': 'no-referrer',
          }
        : {}),
    },
  };
}
