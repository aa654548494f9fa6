import { describe, expect, it, vi } from 'vitest';
import type * as z from 'zod';
import { InvalidRequest, RulesBroken } from '../../functions/shared/errors.ts';
import { fieldErrorsFrom, problemResponse } from '../../functions/shared/http/problem.ts';
import { CreateCertificateBody } from '../../schemas/certificates.ts';

const sdkError = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
const networkError = (code: string) =>
  Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('problem responses for failures below the API', () => {
  it.each([
    ['a throttled DynamoDB', sdkError('ProvisionedThroughputExceededException', 400)],
    ['a 5xx from a service', sdkError('InternalServerError', 500)],
    ['an HTML 500 from the emulator', sdkError('Error', 500)],
    ['a refused connection', networkError('ECONNREFUSED')],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('answers 503 with Retry-After for %s', (_, error) => {
    const res = problemResponse(error, 'en', 'req-1');
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('5');
    expect(JSON.parse(res.body as string)).toMatchObject({ status: 503, code: 'dependency_unavailable' });
  });

  it.each([
    ['a validation error of ours (a bug)', sdkError('ValidationException', 400)],
    ['a plain bug', new TypeError('x is undefined')],
  ])('answers 500 for %s', (_, error) => {
    expect(problemResponse(error, 'en', 'req-1').statusCode).toBe(500);
  });

  it('answers a domain error with its own status', () => {
    expect(problemResponse(new InvalidRequest('invalid_json'), 'zh', 'req-1').statusCode).toBe(400);
  });

  it.each(['zh', 'en'] as const)(
    'keeps a field error’s parameters through localisation (%s: "可选：。" listed no choices)',
    (lang) => {
      const parsed = CreateCertificateBody.safeParse({
        scheme: 'MEM',
        category: 'juggling',
        number: 'T11010519491231002X',
        issuedOn: '2025-03-01',
        expiresOn: '2031-02-28',
      });
      expect(parsed.success).toBe(false);
      const errors = fieldErrorsFrom((parsed as { error: z.ZodError }).error, lang);
      const body = JSON.parse(
        problemResponse(new InvalidRequest('validation_failed', errors), lang, 'r').body as string,
      );
      const category = body.errors.find((e: { field: string }) => e.field === 'category');
      expect(category.code).toBe('unknown_category');
      expect(category.message).toMatch(/welding/);
      expect(category.message).not.toMatch(/[:：]\s*[.。]/);
      expect(body.errors[0]).not.toHaveProperty('params');
    },
  );

  it('says an optional part of a text only when its parameters are given (a partner’s hold names its association)', () => {
    const v = (detail: Record<string, string>) =>
      JSON.parse(
        problemResponse(
          new RulesBroken('dispatch_rules_broken', [{ code: 'person_blacklisted', personId: 'p', detail }]),
          'en',
          'r',
        ).body as string,
      ).violations[0].message;
    expect(v({ expiresOn: '2029-12-01' })).toBe(
      'This person is on the alliance blacklist (until 2029-12-01): no entry, dispatch or admission.',
    );
    expect(v({ expiresOn: '2029-12-01', organisation: 'NB' })).toMatch(
      /blacklist, entered by NB \(until 2029-12-01\)/,
    );
  });
});

describe('the message catalogue is typed', () => {
  it('refuses, at compile time, a problem code without a text (tsc runs these lines in npm test)', () => {
    // @ts-expect-error — no such code in the catalogue: tsc fails if this ever compiles.
    const unknown = new InvalidRequest('a_code_nobody_wrote_a_text_for');
    // @ts-expect-error — nor as a rule violation's code.
    const violation = new RulesBroken('dispatch_rules_broken', [{ code: 'no_text_either' }]);
    // At run time the raw code is all a missing text could show: what the types now prevent.
    expect(problemResponse(unknown, 'en', 'r').body).toContain('a_code_nobody_wrote_a_text_for');
    expect(violation.violations[0]?.code).toBe('no_text_either');
  });

  it('turns a refinement whose message has no text into a failure in the tests (STRICT_MESSAGES)', () => {
    const issue = { code: 'custom', path: ['x'], message: 'not_in_the_catalogue', input: 1 } as const;
    const error = { issues: [issue] } as unknown as z.ZodError;
    // The test setup sets it for the suite; runners without that setup (Stryker) get it here.
    vi.stubEnv('STRICT_MESSAGES', '1');
    try {
      expect(() => fieldErrorsFrom(error, 'en')).toThrow('not_in_the_catalogue has no text');
      // Outside the tests it answers 400 with zod's code rather than fail the request.
      vi.stubEnv('STRICT_MESSAGES', '');
      expect(fieldErrorsFrom(error, 'en')).toEqual([
        { field: 'x', code: 'custom', message: 'not_in_the_catalogue' },
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
