// Every AWS SDK client of the product is built with these limits, so that a dependency that
// stalls (accepts the connection and never answers) fails the call in seconds and the API
// answers 503 with Retry-After (problem.ts) instead of hanging until the function's own
// timeout. The SDK's requestTimeout alone only logs a warning unless throwOnRequestTimeout
// is set, and it applies per attempt: the deadline below bounds the call with its retries.
import { captureClient } from './tracer.ts';

/** Time to open a connection (TCP and TLS) to a service endpoint. */
export const CONNECTION_TIMEOUT_MS = 1_000;
/** Time for one attempt to receive a response once the request is sent. */
export const REQUEST_TIMEOUT_MS = 2_500;
/**
 * The whole call, retries included. The HTTP functions run for 10 s at most (the gate
 * function 5 s): one stalled dependency leaves time to answer 503.
 */
export const CALL_DEADLINE_MS = 4_000;

/**
 * The benchmarks load the emulator far past what a deployment sees (10,000 rows through a
 * 2-core moto): AWS_CALL_DEADLINE_MS lifts the deadline (and the per-attempt timeout with
 * it) there. Never set in a deployment.
 */
const liftedDeadline = () => Number(process.env.AWS_CALL_DEADLINE_MS) || undefined;

export interface ClientLimits {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/** Constructor options for an SDK client (spread with the client's own, e.g. its region). */
export function clientLimits(maxAttempts = process.env.AWS_ENDPOINT_URL ? 2 : 3): ClientLimits {
  return {
    maxAttempts,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: Math.max(REQUEST_TIMEOUT_MS, Math.round((liftedDeadline() ?? 0) * 0.6)),
      throwOnRequestTimeout: true,
    },
  };
}

/** The error a call past its deadline throws: named as the SDK names its own timeouts. */
export class DependencyTimeout extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly deadlineMs: number) {
    super(`the dependency did not answer within ${deadlineMs} ms`);
  }
}

interface Stack {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

/** Bounds every call of the client, retries included, by a deadline. */
export function withDeadline<C>(client: C, deadlineMs = CALL_DEADLINE_MS): C {
  (client as unknown as Stack).middlewareStack.add(
    (next) => (args) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DependencyTimeout(deadlineMs)), deadlineMs);
      });
      return Promise.race([next(args), deadline]).finally(() => clearTimeout(timer));
    },
    { step: 'initialize', name: 'callDeadline', override: true },
  );
  return client;
}

/** A client with the product's limits: `awsClient(KMSClient)`, `awsClient(RekognitionClient, { region })`. */
export function awsClient<C, O extends object>(
  Client: new (options: O & ClientLimits) => C,
  options?: O,
  deadlineMs?: number,
): C {
  const client = new Client({ ...clientLimits(), ...(options ?? ({} as O)) });
  // Each call a subsegment of the function's trace (a no-op outside Lambda).
  captureClient(client as never);
  return withDeadline(client, deadlineMs ?? liftedDeadline());
}

/**
 * A client for a call that may rightly take longer than the usual deadline (S3 assembling a
 * multipart upload): one attempt may use the whole of `deadlineMs` (or the lifted deadline,
 * when longer), since a second one sent while the first is still being served would only race it.
 */
export function slowCallClient<C, O extends object>(
  Client: new (options: O & ClientLimits) => C,
  options: O,
  deadlineMs: number,
): C {
  const deadline = Math.max(deadlineMs, liftedDeadline() ?? 0);
  const limits = clientLimits();
  return awsClient(
    Client,
    { ...options, requestHandler: { ...limits.requestHandler, requestTimeout: deadline } },
    deadline,
  );
}
