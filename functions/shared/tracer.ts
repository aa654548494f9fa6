// Traces with Powertools Tracer (X-Ray): every AWS SDK client the product makes is captured
// (shared/aws-client-config.ts), so a request's segments show where its time goes — the
// table, the queue, KMS, S3 — and each function annotates its capability and outcome. No
// personal data in annotations or metadata: codes and capability names only. Outside
// Lambda (tests, `npm start`) the tracer is off and captures nothing.
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'special-ops' });

/** Annotations are indexed and searchable: closed sets only (capability, outcome, route). */
export function annotate(annotations: Record<string, string | number>) {
  if (!tracer.isTracingEnabled()) return;
  for (const [k, v] of Object.entries(annotations)) tracer.putAnnotation(k, v);
}
