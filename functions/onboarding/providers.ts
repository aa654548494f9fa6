// The ports of admission (SPEC O1). Each provider is a deployment choice: Rekognition and
// Textract in AWS's global regions, a domestic provider behind the HTTP contract in
// docs/onboarding.md elsewhere (the AWS China regions have neither), the local simulator
// in development and tests. A port with no provider configured answers 501, never a pass.
import type { LivenessResult } from './admission.ts';

/** An image in the evidence bucket. */
export interface ImageRef {
  bucket: string;
  key: string;
}

export interface LivenessProvider {
  /** A single-use session the mobile client runs; its images are written under `output`. */
  createSession(input: { clientToken: string; output: { bucket: string; prefix: string } }): Promise<{
    sessionId: string;
  }>;
  sessionResult(
    sessionId: string,
  ): Promise<LivenessResult & { referenceImage?: ImageRef; auditImages: ImageRef[] }>;
}

export interface FaceMatcher {
  /** The best similarity (0–100) of the source face in the target image; undefined: no face found. */
  compare(source: ImageRef, target: ImageRef): Promise<{ similarity?: number }>;
}

export interface DocumentReader {
  /** The lines of text the provider reads (Textract: Latin script and digits only). */
  readLines(image: ImageRef): Promise<string[]>;
}

export interface IdentityAuthority {
  /** The police identity check: do this name and ID number belong together? */
  verify(name: string, idNumber: string): Promise<'match' | 'no_match' | 'unavailable'>;
}

/** Images of admission: uploaded straight to S3, read back for hashing and QR codes, deleted on withdrawal. */
export interface EvidenceStore {
  readonly bucket: string;
  /** A presigned PUT; with contentLength, signed so that only a body of that size is taken. */
  uploadUrl(
    key: string,
    contentType: string,
    expiresInSeconds: number,
    contentLength?: number,
  ): Promise<string>;
  /** A short-lived GET URL (for a provider that fetches images itself). */
  readUrl(key: string, expiresInSeconds: number): Promise<string>;
  /** Undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
  /** Whether the object is there (HeadObject: no bytes read). */
  exists(key: string): Promise<boolean>;
  /** Every key under the prefix. */
  list(prefix: string): Promise<string[]>;
  /** Stores an object the product made itself (a personal-data copy). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Deletes every object under the prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}

/** Every port of admission, each built on first use (provider-choice.ts picks the adapters). */
export interface OnboardingProviders {
  evidence: () => EvidenceStore;
  liveness: () => LivenessProvider;
  faces: () => FaceMatcher;
  documents: () => DocumentReader;
  identity: () => IdentityAuthority;
}
