// The domestic-provider adapter: one HTTP contract (docs/onboarding.md) behind all four
// admission ports, for deployments where Rekognition and Textract do not exist (the AWS
// China regions) or a customer has its own face/OCR/identity vendor. A thin gateway
// between this contract and the vendor's own API is the integration a customer writes.
// Images never travel in the request: the provider fetches them with short-lived presigned
// GET URLs and writes the liveness reference image with a presigned PUT, so the bucket
// stays the one store of evidence. The local simulator speaks the same contract.
import * as z from 'zod';
import { ProviderUnavailable } from '../shared/errors.ts';
import type { LivenessResult } from './admission.ts';
import type {
  DocumentReader,
  EvidenceStore,
  FaceMatcher,
  IdentityAuthority,
  ImageRef,
  LivenessProvider,
} from './providers.ts';

export interface HttpProviderOptions {
  baseUrl: string;
  evidence: EvidenceStore;
  /** Sent as `Authorization: Bearer …` when the provider wants one (from Secrets Manager). */
  apiKey?: () => Promise<string | undefined>;
  timeoutMs?: number;
}

const Session = z.object({ sessionId: z.string().min(1) });
const SessionResult = z.object({
  status: z.enum(['CREATED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'EXPIRED']),
  confidence: z.number().min(0).max(100).optional(),
  referenceImageKey: z.string().optional(),
});
const Comparison = z.object({ similarity: z.number().min(0).max(100).nullable() });
const Text = z.object({ lines: z.array(z.string()) });
const Identity = z.object({ result: z.enum(['match', 'no_match']) });

/** Presigned URLs live just long enough for the provider to fetch or write once. */
const URL_SECONDS = 300;

export class HttpOnboardingProvider
  implements LivenessProvider, FaceMatcher, DocumentReader, IdentityAuthority
{
  constructor(private readonly options: HttpProviderOptions) {}

  async createSession(input: { clientToken: string; output: { bucket: string; prefix: string } }) {
    const key = `${input.output.prefix}reference.jpg`;
    const putUrl = await this.options.evidence.uploadUrl(key, 'image/jpeg', URL_SECONDS);
    return this.call('/liveness/sessions', Session, {
      clientToken: input.clientToken,
      output: { key, putUrl },
    });
  }

  async sessionResult(sessionId: string) {
    const out = await this.call(`/liveness/sessions/${encodeURIComponent(sessionId)}`, SessionResult);
    const bucket = this.options.evidence.bucket;
    return {
      status: out.status as LivenessResult['status'],
      ...(out.confidence === undefined ? {} : { confidence: out.confidence }),
      ...(out.referenceImageKey ? { referenceImage: { bucket, key: out.referenceImageKey } } : {}),
      auditImages: [],
    };
  }

  async compare(source: ImageRef, target: ImageRef) {
    const out = await this.call('/faces/compare', Comparison, {
      sourceUrl: await this.options.evidence.readUrl(source.key, URL_SECONDS),
      targetUrl: await this.options.evidence.readUrl(target.key, URL_SECONDS),
    });
    return out.similarity === null ? {} : { similarity: out.similarity };
  }

  async readLines(image: ImageRef) {
    const out = await this.call('/documents/text', Text, {
      imageUrl: await this.options.evidence.readUrl(image.key, URL_SECONDS),
    });
    return out.lines;
  }

  async verify(name: string, idNumber: string) {
    try {
      return (await this.call('/identity/verify', Identity, { name, idNumber })).result;
    } catch (error) {
      // The identity step waits (pending) rather than failing a person on an outage.
      if (error instanceof ProviderUnavailable) return 'unavailable' as const;
      throw error;
    }
  }

  private async call<T>(path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const key = await this.options.apiKey?.();
    let response: Response;
    try {
      response = await fetch(
        new URL(path.replace(/^\//, ''), `${this.options.baseUrl.replace(/\/?$/, '/')}`),
        {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        },
      );
    } catch {
      throw new ProviderUnavailable('provider_unavailable', { reason: 'unreachable' });
    }
    if (!response.ok)
      throw new ProviderUnavailable('provider_unavailable', { reason: `http_${response.status}` });
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    // An answer we cannot read is not an answer: never guess a pass from it.
    if (!parsed.success)
      throw new ProviderUnavailable('provider_unavailable', { reason: 'unreadable_answer' });
    return parsed.data;
  }
}
