// Which provider serves each admission port is a deployment choice, read from the
// environment the stack sets (docs/onboarding.md): Rekognition and Textract in AWS's global
// regions; the HTTP contract for a domestic provider (and the local simulator); nothing
// at all — then the step answers 501 `provider_not_configured`, never a pass.
import { ProviderNotConfigured } from '../shared/errors.ts';
import { onFirstCall } from '../shared/on-first-call.ts';
import { getSecretString } from '../shared/secrets.ts';
import { HttpOnboardingProvider } from './http-provider.ts';
import type {
  DocumentReader,
  EvidenceStore,
  FaceMatcher,
  IdentityAuthority,
  LivenessProvider,
  OnboardingProviders,
} from './providers.ts';

export type { OnboardingProviders } from './providers.ts';

// The AWS adapters (S3 ~100 KB, Rekognition, Textract) are imported by their first call.
const rekognition = () => import('./rekognition-provider.ts');

type Env = Record<string, string | undefined>;

const s3Evidence = (bucket: string) =>
  onFirstCall<EvidenceStore, 'bucket'>(
    async () => new (await import('./evidence-store.ts')).S3EvidenceStore(bucket),
    { bucket },
  );

const notConfigured = (port: string, setting: string): never => {
  throw new ProviderNotConfigured('provider_not_configured', { port, setting });
};

/** Each port built on first use; a port nobody configured fails only the step that needs it. */
export function onboardingProviders(env: Env): OnboardingProviders {
  const cache = new Map<string, unknown>();
  const once =
    <T>(name: string, make: () => T) =>
    () => {
      if (!cache.has(name)) cache.set(name, make());
      return cache.get(name) as T;
    };
  const evidence = once('evidence', () =>
    env.EVIDENCE_BUCKET ? s3Evidence(env.EVIDENCE_BUCKET) : notConfigured('evidence', 'EVIDENCE_BUCKET'),
  );
  const http = once('http', () => {
    const secretId = env.ONBOARDING_PROVIDER_SECRET_ID;
    return new HttpOnboardingProvider({
      baseUrl: env.ONBOARDING_PROVIDER_URL ?? notConfigured('http', 'ONBOARDING_PROVIDER_URL'),
      evidence: evidence(),
      ...(secretId ? { apiKey: () => getSecretString(secretId) } : {}),
      timeoutMs: Number(env.ONBOARDING_PROVIDER_TIMEOUT_MS ?? 10_000),
    });
  });
  const face = (port: 'liveness' | 'faces') => () => {
    switch (env.FACE_PROVIDER) {
      case 'rekognition':
        return port === 'liveness'
          ? onFirstCall<LivenessProvider>(async () => new (await rekognition()).RekognitionLivenessProvider())
          : onFirstCall<FaceMatcher>(async () => new (await rekognition()).RekognitionFaceMatcher());
      case 'http':
        return http();
      default:
        return notConfigured(port, 'FACE_PROVIDER');
    }
  };
  return {
    evidence,
    liveness: once('liveness', face('liveness')) as () => LivenessProvider,
    faces: once('faces', face('faces')) as () => FaceMatcher,
    documents: once('documents', (): DocumentReader => {
      if (env.OCR_PROVIDER === 'textract')
        return onFirstCall<DocumentReader>(
          async () => new (await import('./textract-provider.ts')).TextractDocumentReader(),
        );
      if (env.OCR_PROVIDER === 'http') return http();
      return notConfigured('documents', 'OCR_PROVIDER');
    }),
    // No AWS service checks a Chinese identity: only a domestic provider (police check,
    // certified card reader gateway) behind the HTTP contract.
    identity: once(
      'identity',
      (): IdentityAuthority =>
        env.IDENTITY_PROVIDER === 'http' ? http() : notConfigured('identity', 'IDENTITY_PROVIDER'),
    ),
  };
}
