import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../schemas/routes.ts';
import { OPENAPI_PATH, renderOpenApi } from '../../schemas/write-openapi.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('the OpenAPI document', () => {
  it('is served without a token and documents every route', async () => {
    const res = await api.anonymous().get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const r of ROUTES)
      expect(res.body.paths[r.path]?.[r.method.toLowerCase()]?.operationId).toBe(r.operationId);
    expect(res.body.components.schemas.CreatePersonBody.required).toEqual(['name', 'idNumber']);
  });

  it('is committed up to date in schemas/openapi.json (run `npm run openapi` after changing schemas)', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(renderOpenApi());
  });

  it('answers /health without a token', async () => {
    expect((await api.anonymous().get('/health')).body).toEqual({
      status: 'ok',
      dependencies: { table: 'ok' },
    });
  });
});
