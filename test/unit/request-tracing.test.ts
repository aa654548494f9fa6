// Each request's trace segment is annotated with its capability, route template and status
// (searchable in X-Ray), and with nothing a caller sent: no ids from the path, no values.
import { afterEach, describe, expect, it, vi } from 'vitest';

const annotations: [string, string | number][] = [];
vi.mock('@aws-lambda-powertools/tracer', () => ({
  Tracer: class {
    isTracingEnabled() {
      return true;
    }
    putAnnotation(key: string, value: string | number) {
      annotations.push([key, value]);
    }
  },
}));

afterEach(() => {
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});

describe('request tracing', () => {
  it('annotates capability, route template and status, in Lambda with tracing on', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'special-ops-people';
    const { httpHandler, on } = await import('../../functions/shared/http/handler.ts');
    const route = {
      operationId: 'probe',
      method: 'GET' as const,
      path: '/probe/{personId}',
      capability: 'people' as const,
      auth: false,
      summary: 'probe',
      responses: { 200: { description: 'ok' } },
    };
    const handler = httpHandler([on(route, async () => ({ status: 200, body: {} }))], {});
    await handler(
      {
        routeKey: 'GET /probe/{personId}',
        rawPath: '/probe/per_01HZZZZZZZZZZZZZZZZZZZZZZZ',
        pathParameters: { personId: 'per_01HZZZZZZZZZZZZZZZZZZZZZZZ' },
        headers: {},
        requestContext: {},
      } as never,
      { awsRequestId: 'req-1' } as never,
    );
    await vi.waitFor(() => expect(annotations).toHaveLength(3));
    expect(Object.fromEntries(annotations)).toEqual({
      capability: 'people',
      route: 'GET /probe/{personId}',
      status: 200,
    });
    expect(JSON.stringify(annotations)).not.toContain('per_01');
  });
});
