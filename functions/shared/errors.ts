// The typed domain errors, mapped once to problem responses (http/problem.ts) by
// instanceof. Messages are codes plus parameters; the text is chosen per language later.

import type * as z from 'zod';
import type { MessageCode } from './i18n/messages.ts';

/** A field error's code: the catalogue's (a text in both languages, checked by tsc), or zod's own. */
export type FieldErrorCode = MessageCode | z.core.$ZodIssue['code'] | 'unrecognized_key';

export interface FieldError {
  field: string;
  code: FieldErrorCode;
  /** The catalogue code again (the problem mapper localises it), or a text already localised. */
  message: string;
  params?: Record<string, string | number>;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** The problem type, whose title is in the catalogue. */
  abstract readonly type: MessageCode;
  constructor(
    readonly detailCode: MessageCode,
    readonly params: Record<string, string | number> = {},
    options?: ErrorOptions,
  ) {
    super(detailCode, options);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or breaks a rule about its own content. */
export class InvalidRequest extends DomainError {
  readonly status = 400;
  readonly type = 'invalid-request';
  constructor(
    detailCode: MessageCode,
    readonly fieldErrors: FieldError[] = [],
    params: Record<string, string | number> = {},
  ) {
    super(detailCode, params);
  }
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly type = 'unauthenticated';
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly type = 'forbidden';
}

/** 404: also answered for another tenant's (or an out-of-scope) record, as if it did not exist. */
export class NotFound extends DomainError {
  readonly status = 404;
  readonly type = 'not-found';
}

/** A business rule broken, one or many at once (422): each with its code, person and detail. */
export interface RuleViolation {
  code: MessageCode;
  personId?: string;
  detail?: Record<string, string | number>;
}

/** 422: the request is well formed but breaks business rules; every one is listed. */
export class RulesBroken extends DomainError {
  readonly status = 422;
  readonly type = 'rules-broken';
  constructor(
    detailCode: MessageCode,
    readonly violations: RuleViolation[],
  ) {
    super(detailCode, { count: violations.length });
  }
}

/** 410: it was there, and is no more (a revoked or expired shared link). */
export class Gone extends DomainError {
  readonly status = 410;
  readonly type = 'gone';
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly type = 'conflict';
}

/** 503: this deployment lacks a setting or provider the request needs (never a fake success). */
export class NotConfigured extends DomainError {
  readonly status = 503;
  readonly type = 'not-configured';
}

/** 501: the port this step needs has no provider in this deployment (never a fake pass). */
export class ProviderNotConfigured extends DomainError {
  readonly status = 501;
  readonly type = 'provider-not-configured';
}

/** 503: the configured provider did not answer (down, slow, garbled); the caller may retry. */
export class ProviderUnavailable extends DomainError {
  readonly status = 503;
  readonly type = 'provider-unavailable';
}

/** 409 after optimistic-concurrency retries ran out; the client may simply retry. */
export class ConcurrentModification extends DomainError {
  readonly status = 409;
  readonly type = 'concurrent-modification';
}

/** 412: the record changed since the caller read it (If-Match names an older version). */
export class PreconditionFailed extends DomainError {
  readonly status = 412;
  readonly type = 'precondition-failed';
}

/** 428: a correction must say which version it corrects (If-Match with the ETag read). */
export class PreconditionRequired extends DomainError {
  readonly status = 428;
  readonly type = 'precondition-required';
}

/** 429: a caller over its rate (a partner's OPRF evaluations): answered with Retry-After. */
export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly type = 'too-many-requests';
  constructor(
    detailCode: MessageCode,
    params: Record<string, string | number>,
    /** When the caller's window opens again. */
    readonly retryAfterSeconds: number,
  ) {
    super(detailCode, params);
  }
}
