// Traces with Powertools Tracer (X-Ray): every AWS SDK client the product makes is captured
// (shared/aws-client-config.ts), so a request's segments show where its time goes — the
// table, the queue, KMS, S3 — and each function annotates its capability and outcome. No
// personal data in annotations or metadata: codes and capability names only.
//
// Loaded on first use, and only in Lambda with tracing on: the tracer brings the X-Ray SDK
// (~200 KB), which imported at cold start cost every function 0.3–1× its import time
// (docs/benchmarks.md). A client is captured from its first call on (that call itself goes
// untraced); outside Lambda (tests, `npm start`) nothing is loaded.
type Tracer = import('@aws-lambda-powertools/tracer').Tracer;

let loaded: Promise<Tracer> | undefined;
const tracer = () =>
  (loaded ??= import('@aws-lambda-powertools/tracer').then(
    ({ Tracer }) => new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'special-ops' }),
  ));

export const tracingOn = () =>
  !!process.env.AWS_LAMBDA_FUNCTION_NAME && process.env.POWERTOOLS_TRACE_ENABLED !== 'false';

interface Capturable {
  middlewareStack: { add(mw: unknown, options: { step: string; name: string }): void };
}

/** Captures an SDK client's calls as subsegments once the tracer is loaded (Lambda only). */
export function captureClient(client: Capturable) {
  if (!tracingOn()) return;
  let captured = false;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      if (!captured) {
        captured = true;
        void tracer().then((t) => t.captureAWSv3Client(client as never));
      }
      return next(args);
    },
    { step: 'initialize', name: 'lazyTracerCapture' },
  );
}

/** Annotations are indexed and searchable: closed sets only (capability, outcome, route). */
export function annotate(annotations: Record<string, string | number>) {
  if (!tracingOn()) return;
  void tracer().then((t) => {
    if (!t.isTracingEnabled()) return;
    for (const [k, v] of Object.entries(annotations)) t.putAnnotation(k, v);
  });
}
