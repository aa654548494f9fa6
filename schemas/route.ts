// What a route is: the shape every capability's route list (schemas/routes/<capability>.ts)
// is written in. Kept apart from the lists so that a Lambda imports only its own routes
// and schemas (and the whole list is assembled only where it is needed: schemas/routes.ts).
import type * as z from 'zod';
import { Problem } from './common.ts';

/** One Lambda function per capability; its entry is functions/<name>/handler.ts. */
export const CAPABILITIES = [
  'health',
  'openapi',
  'sites',
  'people',
  'certificates',
  'status',
  'verification',
  'batches',
  'imports',
  'reports',
  'badges',
  'heatmap',
  'settings',
  'quizzes',
  'tickets',
  'permits',
  'subcontractors',
  'onboarding',
  'blacklist',
  'federation',
  'notifications',
  'users',
  'webhooks',
  'privacy',
  'violations',
  'diagnostics',
  'archives',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface MultipartForm {
  fields: Record<string, string>;
  files: { field: string; fileName: string; data: Buffer }[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The names of a path's `{parameters}`: '/people/{personId}/badges/{badgeUid}' → 'personId' | 'badgeUid'. */
export type PathParameterNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParameterNames<Rest>
  : never;

/** The same names at run time. */
export const pathParameterNames = (path: string): string[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

export interface RouteDefinition<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends string = string,
> {
  operationId: string;
  method: HttpMethod;
  /** The path's parameters become the handler's typed `params`. */
  path: P;
  capability: Capability;
  auth: boolean;
  /**
   * Who may call an authenticated route: a tenant's user (the default), the platform
   * operator only, or any verified identity not yet in the directory (accepting an invitation).
   */
  caller?: 'tenant' | 'platform' | 'identity';
  /** A partner association's request, signed (RFC 9421) instead of a bearer token. */
  signed?: boolean;
  summary: string;
  body?: B;
  query?: Q;
  /** Also accept multipart/form-data: turns the form into the JSON body the schema checks. */
  multipart?: (form: MultipartForm) => unknown;
  responses: Record<
    number,
    {
      description: string;
      schema?: z.ZodType;
      contentType?: string;
      /** Other types the same status may answer as a download (a query asks for it). */
      files?: string[];
    }
  >;
}

export const route = <
  B extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  P extends string = string,
>(
  r: RouteDefinition<B, Q, P>,
) => r;

/** 422: a business rule refuses the request; the problem lists each broken rule (code, person, detail). */
export const Unprocessable = (description: string) => ({ 422: { description, schema: Problem } });

export const Created = (schema: z.ZodType, what: string) => ({
  201: { description: `${what} created`, schema },
});

export const routeKey = (r: Pick<RouteDefinition, 'method' | 'path'>) => `${r.method} ${r.path}`;
