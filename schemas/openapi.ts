// The OpenAPI 3.1 document, generated from the route list and its zod schemas (zod 4's
// own JSON Schema output, draft 2020-12, which OpenAPI 3.1 uses as-is).
import * as z from 'zod';
import { Problem } from './common.ts';
import { ROUTES } from './routes.ts';

type JsonSchema = Record<string, unknown>;

const seenAs = new Map<string, string>();

function toSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  // Named schemas (.meta({id})) land in $defs and are referenced; they become components.
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  const { $schema: _s, ...rest } = JSON.parse(
    JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/'),
  ) as JsonSchema;
  const { $defs, ...body } = rest;
  // Two different schemas under one id would silently replace each other in the document
  // (one schema read as input and as output may differ: defaults make fields optional).
  for (const [id, def] of Object.entries(($defs as Record<string, JsonSchema> | undefined) ?? {})) {
    const known = seenAs.get(`${io}:${id}`);
    if (known !== undefined && known !== JSON.stringify(def))
      throw new Error(`Two different schemas are named ${id} (.meta({ id })): rename one`);
    seenAs.set(`${io}:${id}`, JSON.stringify(def));
    components[id] = def;
  }
  return body;
}

/** What API Gateway itself answers (throttle, size), before any function: `{"message": …}`. */
const GATEWAY_MESSAGE = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
};

const MULTIPART_UPLOAD = {
  schema: {
    type: 'object',
    properties: {
      file: { type: 'string', format: 'binary', description: '.xlsx, .csv, or plain text' },
      format: { type: 'string', enum: ['text', 'csv', 'xlsx'] },
    },
    required: ['file'],
  },
};

export function buildOpenApiDocument(serverUrl?: string) {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  const problemRef = toSchema(Problem, 'output', components);
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problemRef } },
  });

  for (const r of ROUTES) {
    const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const parameters: unknown[] = pathParams.map((name) => ({
      name,
      in: 'path',
      required: true,
      // Ids are short; a longer path parameter names nothing (404).
      schema: { type: 'string', maxLength: 128 },
    }));
    if (r.query) {
      const q = toSchema(r.query, 'input', components) as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      // A problem document is served as application/problem+json (RFC 9457), whatever the route.
      const type =
        res.contentType ?? (res.schema === Problem ? 'application/problem+json' : 'application/json');
      responses[status] = {
        description: res.description,
        ...(res.schema
          ? {
              content: {
                [type]: { schema: toSchema(res.schema, 'output', components) },
                ...Object.fromEntries(
                  (res.files ?? []).map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
                ),
              },
            }
          : res.contentType
            ? { content: { [res.contentType]: {} } }
            : res.files?.length
              ? {
                  content: Object.fromEntries(
                    res.files.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
                  ),
                }
              : {}),
      };
    }
    if (r.body || r.query || pathParams.length)
      responses['400'] = problem('Invalid request (field errors listed)');
    if (r.auth) {
      responses['401'] = {
        description: 'No or invalid bearer token (answered by the API gateway’s JWT authorizer)',
        content: {
          'application/json': {
            schema: { type: 'object', properties: { message: { type: 'string', const: 'Unauthorized' } } },
          },
        },
      };
      responses['403'] = problem('The caller’s role may not do this');
    }
    if (r.signed) {
      responses['401'] = problem(
        'Signature missing, stale (over 5 minutes), replayed (nonce seen), not matching the body’s Content-Digest, or not by a registered partner’s key',
      );
      responses['403'] = problem('The partner may not use this operation');
    }
    // Ids travel in paths, bodies and queries: any authenticated route may name one it cannot see.
    if (pathParams.length || r.auth || r.signed)
      responses['404'] ??= problem('Not found (also for another tenant’s ids)');
    if (r.method === 'POST' || r.method === 'PUT') responses['409'] = problem('Conflict with existing data');
    if (r.body)
      responses['413'] = {
        description: 'Body over the HTTP API’s 10 MB (answered by the API gateway)',
        content: { 'application/json': { schema: GATEWAY_MESSAGE } },
      };
    // Every route: the stage's throttle answers before any function runs.
    responses['429'] = {
      description:
        'Too many requests: the API gateway’s throttle (application/json), or a limit of the product’s own (problem+json, with Retry-After); retry with backoff',
      headers: {
        'Retry-After': {
          schema: { type: 'integer' },
          description: 'Seconds to wait (the product’s own limits)',
        },
      },
      content: {
        'application/json': { schema: GATEWAY_MESSAGE },
        'application/problem+json': { schema: problemRef },
      },
    };
    responses['503'] ??= {
      ...problem('A dependency is not answering; retry after the Retry-After seconds'),
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
    };

    paths[r.path] ??= {};
    (paths[r.path] as Record<string, unknown>)[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.capability],
      ...(r.auth ? {} : { security: r.signed ? [{ partnerSignature: [] }] : [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: toSchema(r.body, 'input', components) },
                ...(r.multipart ? { 'multipart/form-data': MULTIPART_UPLOAD } : {}),
              },
            },
          }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Special-operations workforce compliance API',
      version: '0.1.0',
      description:
        'Certificates, status and people of special-operations workers across the sites of an enterprise group. Errors are RFC 9457 problem documents; people-facing text is Simplified Chinese unless Accept-Language prefers English.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // The deployment's own URL when served (GET /openapi.json); in the committed file a
    // relative server, so that generators resolve paths against wherever it is loaded from.
    servers: [serverUrl ? { url: serverUrl } : { url: '/', description: 'The API base URL of a deployment' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // OpenAPI has no scheme for RFC 9421; the header is named and the protocol referenced.
        partnerSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Signature',
          description:
            'HTTP Message Signatures (RFC 9421), Ed25519, covering @method, @path and content-digest with created, keyid (the partnerId) and nonce; with Signature-Input and Content-Digest (RFC 9530). See docs/federation.md.',
        },
      },
      schemas: components,
    },
  };
}
