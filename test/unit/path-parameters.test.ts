// Path parameters are typed from the route's path and checked once, before the use case:
// a handler reads `params.personId` (a string, never undefined) and cannot read a name its
// path does not have.
import { describe, expect, it } from 'vitest';
import { httpHandler, on } from '../../functions/shared/http/handler.ts';
import { type PathParameterNames, pathParameterNames, route } from '../../schemas/route.ts';

const badgeRoute = route({
  operationId: 'probeBadge',
  method: 'DELETE',
  path: '/people/{personId}/badges/{badgeUid}',
  capability: 'badges',
  auth: false,
  summary: 'probe',
  responses: { 204: { description: 'ok' } },
});

const seen: Record<string, string>[] = [];
const handler = httpHandler([
  on(badgeRoute, async ({ params }) => {
    // @ts-expect-error: the path has no {siteId}
    void params.siteId;
    seen.push({ personId: params.personId, badgeUid: params.badgeUid });
    return { status: 204 };
  }),
]);

const call = (pathParameters: Record<string, string | undefined> | undefined) =>
  handler(
    { routeKey: 'DELETE /people/{personId}/badges/{badgeUid}', headers: {}, pathParameters } as never,
    { awsRequestId: 'r' } as never,
  );

describe('path parameters', () => {
  it('are named from the path, in order', () => {
    const names: PathParameterNames<'/people/{personId}/badges/{badgeUid}'>[] = ['personId', 'badgeUid'];
    expect(pathParameterNames(badgeRoute.path)).toEqual(names);
    expect(pathParameterNames('/health')).toEqual([]);
  });

  it('reach the use case only when every one is there and id-like; otherwise the path names nothing (404)', async () => {
    seen.length = 0;
    expect((await call({ personId: 'per_1', badgeUid: '0A0B' })).statusCode).toBe(204);
    expect(seen).toEqual([{ personId: 'per_1', badgeUid: '0A0B' }]);
    for (const params of [
      undefined,
      { personId: 'per_1' },
      { personId: '', badgeUid: '0A0B' },
      { personId: 'per_1', badgeUid: 'x'.repeat(129) },
      { personId: 'per_\ud800', badgeUid: '0A0B' },
    ])
      expect((await call(params)).statusCode, JSON.stringify(params)).toBe(404);
    expect(seen).toHaveLength(1);
  });

  it('carry only the route’s own names, whatever else the event holds', async () => {
    seen.length = 0;
    await call({ personId: 'per_2', badgeUid: '0C', tenantId: 'other' });
    expect(seen).toEqual([{ personId: 'per_2', badgeUid: '0C' }]);
  });
});
