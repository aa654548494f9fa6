// The local HTTP API: turns requests into API Gateway v2 (HTTP API) events, checks the
// bearer token the way the JWT authorizer does, and calls the same handler modules that
// CDK deploys, chosen by the same route list (schemas/routes.ts).

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HttpEvent } from '../../functions/shared/http/handler.ts';
import { type Capability, ROUTES, type RouteDefinition, routeKey } from '../../schemas/routes.ts';
import { verifyToken } from './dev-tokens.ts';
import { asFunction } from './iam-check.ts';

export type Handler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  params: string[];
}

const compiled: CompiledRoute[] = ROUTES.map((route) => {
  const params: string[] = [];
  const source = route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), params };
});

const MAX_BODY_BYTES = 10 * 1024 * 1024; // HTTP API payload limit

async function loadHandler(capability: Capability): Promise<Handler> {
  const module = (await import(`../../functions/${capability}/handler.ts`)) as { handler: Handler };
  return module.handler;
}

/** The body, or undefined when it is over the HTTP API's limit (the rest is read and dropped). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodePathParameter(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined; // a malformed %-escape
  }
}

/**
 * What API Gateway itself answers, before any function runs (no route, no valid token):
 * the HTTP API's own `{"message": …}` bodies, so that a client sees locally what it will
 * see in AWS. Everything a function answers is problem+json.
 */
function gatewayAnswer(status: 400 | 401 | 404 | 413, message: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/json',
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    },
    body: JSON.stringify({ message }),
  };
}

function problem(status: number, title: string, detail: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'about:blank',
      title,
      status,
      detail,
      code: title.toLowerCase().replace(/\s+/g, '_'),
    }),
  };
}

export interface GatewayOptions {
  port: number;
  host?: string;
  jwtKey: Uint8Array;
  /**
   * Handlers wired differently here than in AWS (the badges function with the local CA
   * and MQTT broker as its gate devices); every other capability runs its module's handler.
   */
  handlers?: Partial<Record<Capability, Handler>>;
  /** The JWT authorizer's check (china profile: an OIDC issuer's JWKS); default: dev tokens. */
  verify?: (authorization: string | undefined) => Promise<Record<string, unknown> | undefined>;
  /**
   * Check every response a function returns against schemas/openapi.json (the tests turn it
   * on: OPENAPI_RESPONSE_CHECK=1); a mismatch answers 500 naming it.
   */
  checkResponses?: boolean;
}

export interface Gateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const checkResponses = options.checkResponses ?? process.env.OPENAPI_RESPONSE_CHECK === '1';
  const handlers = new Map<Capability, Promise<Handler>>();
  const handlerFor = (c: Capability) => {
    let h = handlers.get(c);
    if (!h) {
      const wired = options.handlers?.[c];
      h = wired ? Promise.resolve(wired) : loadHandler(c);
      handlers.set(c, h);
    }
    return h;
  };

  async function respond(req: IncomingMessage): Promise<APIGatewayProxyStructuredResultV2> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const matches = compiled.map((c) => ({ c, m: c.pattern.exec(path) })).filter((x) => x.m);
    const hit = matches.find((x) => x.c.route.method === method);
    // An HTTP API answers any unmatched method and path with 404 {"message":"Not Found"}.
    if (!hit?.m) return gatewayAnswer(404, 'Not Found');
    const { route, params } = hit.c;
    const values = params.map((_, i) => decodePathParameter(hit.m?.[i + 1] ?? ''));
    if (values.some((v) => v === undefined)) return gatewayAnswer(400, 'Bad Request');

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    let claims: Record<string, unknown> | undefined;
    if (route.auth) {
      claims = options.verify
        ? await options.verify(headers.authorization)
        : await verifyToken(options.jwtKey, headers.authorization);
      if (!claims) return gatewayAnswer(401, 'Unauthorized');
    }

    const body = await readBody(req);
    if (!body) return gatewayAnswer(413, 'Request Entity Too Large');
    const contentType = (headers['content-type'] ?? '').toLowerCase();
    const textual =
      contentType === '' ||
      /^(text\/|application\/(json|[\w.+-]*\+json|x-www-form-urlencoded))/.test(contentType);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    const now = new Date();
    const requestId = randomUUID();
    const event: HttpEvent = {
      version: '2.0',
      routeKey: routeKey(route),
      rawPath: path,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(params.length
        ? {
            pathParameters: Object.fromEntries(params.map((p, i) => [p, values[i] as string])),
          }
        : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: routeKey(route),
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: String(claims.scope ?? '').split(' ') } } } : {}),
      },
      // Like API Gateway: text and JSON pass as they are, anything else (uploads) base64-encoded.
      ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !textual,
    };
    const context = { awsRequestId: requestId, functionName: `local-${route.capability}` } as Context;
    const handler = await handlerFor(route.capability);
    // Run as that capability's function: its table grants are enforced (iam-check.ts).
    const result = await asFunction(route.capability, () => handler(event, context));
    return checkResponses ? conforming(route, result) : result;
  }

  /** The response, or — when it does not match the OpenAPI document — a 500 that says how. */
  async function conforming(route: RouteDefinition, result: APIGatewayProxyStructuredResultV2) {
    const { responseMismatches } = await import('./response-check.ts');
    const contentType = String(result.headers?.['content-type'] ?? '');
    // A binary body (a file) is checked for its type only.
    const body = result.isBase64Encoded ? { binary: true as const } : (result.body ?? '');
    const mismatches = responseMismatches(route, result.statusCode ?? 200, contentType, body);
    if (!mismatches.length) return result;
    console.error(`response does not match the OpenAPI document:\n  ${mismatches.join('\n  ')}`);
    return problem(500, 'Response does not match the OpenAPI document', mismatches.join('; '));
  }

  // Idle keep-alive connections live a minute, as behind API Gateway: with Node's 5 s a
  // client that paused (a test minting a token under load) reused a socket the server was
  // closing at that moment and met "other side closed".
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req, res) => {
    respond(req)
      .catch((error: unknown) => {
        console.error('gateway error', error);
        return problem(500, 'Internal Server Error', 'The local gateway failed; see its log.');
      })
      .then((result) => {
        res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive clients must not hold the shutdown
      }),
  };
}
