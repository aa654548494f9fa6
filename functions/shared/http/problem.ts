// Maps errors to RFC 9457 problem responses, once, by instanceof. Anything that is not a
// DomainError is a bug: logged with its stack, answered as a 500 without internals.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { DomainError, type FieldError, InvalidRequest, RulesBroken, TooManyRequests } from '../errors.ts';
import { isMessageCode, type Language, message } from '../i18n/messages.ts';

export const PROBLEM_BASE = 'https://problems.special-ops.dev/';

export function problemResponse(
  error: unknown,
  lang: Language,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    const fieldErrors = (error instanceof InvalidRequest ? error.fieldErrors : []).map((fe) => {
      // Field errors raised below the HTTP layer carry a catalogue code: localise it here.
      const text = isMessageCode(fe.code) ? message(fe.code, lang, fe.params) : fe.message;
      return { field: fe.field, code: fe.code, message: text };
    });
    const response = json(
      error.status,
      {
        type: `${PROBLEM_BASE}${error.type}`,
        title: message(error.type, lang),
        status: error.status,
        detail: message(error.detailCode, lang, error.params),
        code: error.detailCode,
        instance: requestId,
        ...(fieldErrors.length ? { errors: fieldErrors } : {}),
        ...(error instanceof RulesBroken
          ? {
              violations: error.violations.map((v) => ({
                ...v,
                message: message(v.code, lang, {
                  ...v.detail,
                  ...(v.personId ? { personId: v.personId } : {}),
                }),
              })),
            }
          : {}),
      },
      'application/problem+json',
    );
    // A rate refusal says when the caller's window opens again.
    return error instanceof TooManyRequests
      ? { ...response, headers: { ...response.headers, 'retry-after': String(error.retryAfterSeconds) } }
      : response;
  }
  if (isDependencyOutage(error)) {
    // Not the caller's fault and not a bug: a service we depend on is down or throttling.
    const response = json(
      503,
      {
        type: `${PROBLEM_BASE}service-unavailable`,
        title: message('service-unavailable', lang),
        status: 503,
        detail: message('dependency_unavailable', lang),
        code: 'dependency_unavailable',
        instance: requestId,
      },
      'application/problem+json',
    );
    return { ...response, headers: { ...response.headers, 'retry-after': String(RETRY_AFTER_SECONDS) } };
  }
  return json(
    500,
    {
      type: `${PROBLEM_BASE}internal`,
      title: message('internal', lang),
      status: 500,
      detail: message('internal_error', lang),
      code: 'internal_error',
      instance: requestId,
    },
    'application/problem+json',
  );
}

export const RETRY_AFTER_SECONDS = 5;

const OUTAGE_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'KMSInternalException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Whether an error means a dependency (DynamoDB, KMS, SQS, Secrets Manager …) could not
 * answer: a network failure, a throttle, or a 5xx from the service. Those answer 503 with
 * Retry-After; anything else that is not a DomainError is a bug (500).
 */
export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { $metadata?: { httpStatusCode?: number }; code?: unknown; cause?: unknown };
  if (OUTAGE_NAMES.has(e.name)) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  const code = typeof e.code === 'string' ? e.code : (e.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

export function json(
  status: number,
  body: unknown,
  contentType = 'application/json',
): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

/** zod issues → field errors; custom issues carry a message code, built-in ones a localised text. */
export function fieldErrorsFrom(error: z.ZodError, lang: Language, prefix?: string): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [path, key].filter(Boolean).join('.'),
        code: 'unrecognized_key',
        message: lang === 'en' ? 'Unknown field.' : '未知字段。',
      }));
    }
    if (issue.code === 'custom') {
      const params = (issue as { params?: Record<string, string | number> }).params;
      // The params travel with the error: problemResponse localises the code again with them
      // (without, "可选：{allowed}" once read "可选：。").
      // A refinement's message is its code; one without a text is a bug the tests make fail.
      const code = isMessageCode(issue.message) ? issue.message : undefined;
      if (!code && process.env.STRICT_MESSAGES === '1')
        throw new Error(`validation message ${issue.message} has no text in the catalogue`);
      return [
        {
          field: path,
          code: code ?? 'custom',
          message: code ? message(code, lang, params) : issue.message,
          ...(params ? { params } : {}),
        },
      ];
    }
    return [{ field: path, code: issue.code, message: issue.message }];
  });
}
