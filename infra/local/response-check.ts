// Every response the local gateway returns, checked against the committed OpenAPI document
// (schemas/openapi.json) when the tests ask for it: the status must be declared for the
// operation, the content type among the declared ones, and a JSON body valid against its
// schema. A mismatch is a failing test at the request that caused it — the class of defect
// where the document omits statuses the product returns (404 and 422 on accepting an
// invitation, 422 last_group_admin) cannot come back unnoticed.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RouteDefinition } from '../../schemas/routes.ts';
import { OPENAPI_PATH } from '../../schemas/write-openapi.ts';

type Operation = { responses?: Record<string, { content?: Record<string, unknown> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

type Body = string | { binary: true };
let checker:
  | ((route: RouteDefinition, status: number, contentType: string, body: Body) => string[])
  | undefined;

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function build() {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Document;
  // The document is not a schema itself: strict mode would refuse its OpenAPI keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  return (route: RouteDefinition, status: number, contentType: string, body: Body): string[] => {
    const method = route.method.toLowerCase();
    const operation = doc.paths[route.path]?.[method];
    const where = `${route.method} ${route.path} → ${status}`;
    if (!operation) return [`${route.method} ${route.path} is not in the OpenAPI document`];
    const declared = operation.responses?.[String(status)] ?? operation.responses?.default;
    if (!declared) return [`${where}: status not declared for ${route.operationId}`];
    if (!body) return [];
    const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const types = Object.keys(declared.content ?? {});
    if (!types.length) return [`${where}: a body where the document declares none`];
    if (!types.includes(type)) return [`${where}: content type ${type} not among ${types.join(', ')}`];
    // A file, a body other than JSON, or a type declared without a schema (GeoJSON): the type is the contract.
    const declaredType = (declared.content ?? {})[type] as { schema?: unknown } | undefined;
    if (typeof body !== 'string' || !type.includes('json') || !declaredType?.schema) return [];
    const validate = ajv.getSchema(
      `openapi#/${pointer('paths', route.path, method, 'responses', String(status), 'content', type, 'schema')}`,
    );
    if (!validate) return [`${where}: no schema for ${type}`];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      return `${where}: ${e.instancePath || '/'} ${e.message}${extra ? ` (${extra})` : ''}`;
    });
  };
}

/** The mismatches of one response with the document (empty: it conforms). */
export function responseMismatches(
  route: RouteDefinition,
  status: number,
  contentType: string,
  body: Body,
): string[] {
  checker ??= build();
  return checker(route, status, contentType, body);
}
