import { describe, expect, it } from 'vitest';
import { httpHandler, on } from '../../functions/shared/http/handler.ts';
import { logger } from '../../functions/shared/logger.ts';
import { captureOutput } from '../support/output.ts';

describe('log lines of concurrent requests (the local gateway serves many in one process)', () => {
  it('carry their own request id and tenant, never another request’s', async () => {
    const route = {
      operationId: 'probe',
      method: 'GET' as const,
      path: '/probe',
      capability: 'health' as const,
      auth: true,
      summary: 'probe',
      responses: { 200: { description: 'ok' } },
    };
    // The directory's answer for each caller (here: a stand-in keyed by subject).
    const principals = {
      resolve: async ({ subject }: { subject: string }) => ({
        subject,
        tenantId: subject === 'user-a' ? 'tenant-a' : 'tenant-b',
        role: 'hr' as const,
        siteIds: [],
      }),
    };
    const handler = httpHandler(
      [
        on(route, async ({ principal }) => {
          // The first request waits until the second has started and set its keys.
          await new Promise((r) => setTimeout(r, principal.tenantId === 'tenant-a' ? 50 : 0));
          logger.info('probe line');
          return { status: 200, body: {} };
        }),
      ],
      { principals },
    );
    const output = captureOutput({ logLevel: 'INFO' });
    try {
      const call = (tenantId: string, requestId: string) =>
        handler(
          {
            routeKey: 'GET /probe',
            headers: {},
            requestContext: {
              authorizer: {
                jwt: { claims: { iss: 'https://idp', sub: tenantId === 'tenant-a' ? 'user-a' : 'user-b' } },
              },
            },
          } as never,
          { awsRequestId: requestId } as never,
        );
      await Promise.all([call('tenant-a', 'req-a'), call('tenant-b', 'req-b')]);
    } finally {
      output.stop();
    }
    const probes = output.lines
      .filter((l) => l.includes('probe line'))
      .map((l) => JSON.parse(l) as { requestId: string; tenantId: string });
    expect(probes.map((p) => p.requestId).sort()).toEqual(['req-a', 'req-b']);
    for (const p of probes) expect(p.tenantId).toBe(p.requestId === 'req-a' ? 'tenant-a' : 'tenant-b');
  });
});
