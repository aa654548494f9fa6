// Rekognition adapters (global profile): Face Liveness and CompareFaces. Liveness runs only
// in a few regions (us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-south-1, …):
// FACE_REGION may name one other than the function's. Rekognition writes the reference and
// audit images to the evidence bucket itself (same account and region as the session).
import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  type Image,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { awsClient } from '../shared/aws-client-config.ts';
import type { LivenessResult } from './admission.ts';
import type { FaceMatcher, ImageRef, LivenessProvider } from './providers.ts';

type Send = Pick<RekognitionClient, 'send'>;

const refOf = (image: Image | undefined): ImageRef | undefined =>
  image?.S3Object?.Bucket && image.S3Object.Name
    ? { bucket: image.S3Object.Bucket, key: image.S3Object.Name }
    : undefined;

export class RekognitionLivenessProvider implements LivenessProvider {
  constructor(
    private readonly client: Send = awsClient(RekognitionClient, { region: process.env.FACE_REGION }),
  ) {}

  async createSession(input: { clientToken: string; output: { bucket: string; prefix: string } }) {
    const out = await this.client.send(
      new CreateFaceLivenessSessionCommand({
        // A retried request gets the same session, not a second one.
        ClientRequestToken: input.clientToken,
        Settings: {
          OutputConfig: { S3Bucket: input.output.bucket, S3KeyPrefix: input.output.prefix },
          AuditImagesLimit: 2,
        },
      }),
    );
    return { sessionId: out.SessionId as string };
  }

  async sessionResult(sessionId: string) {
    const out = await this.client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
    const referenceImage = refOf(out.ReferenceImage);
    return {
      status: out.Status as LivenessResult['status'],
      ...(out.Confidence === undefined ? {} : { confidence: out.Confidence }),
      ...(referenceImage ? { referenceImage } : {}),
      auditImages: (out.AuditImages ?? []).flatMap((a) => {
        const ref = refOf(a);
        return ref ? [ref] : [];
      }),
    };
  }
}

export class RekognitionFaceMatcher implements FaceMatcher {
  constructor(
    private readonly client: Send = awsClient(RekognitionClient, { region: process.env.FACE_REGION }),
  ) {}

  async compare(source: ImageRef, target: ImageRef) {
    try {
      const out = await this.client.send(
        new CompareFacesCommand({
          SourceImage: { S3Object: { Bucket: source.bucket, Name: source.key } },
          TargetImage: { S3Object: { Bucket: target.bucket, Name: target.key } },
          // Every candidate back: the tenant's threshold decides, not the service's default of 80.
          SimilarityThreshold: 0,
        }),
      );
      const best = Math.max(...(out.FaceMatches ?? []).map((m) => m.Similarity ?? 0), -1);
      if (best >= 0) return { similarity: best };
      // A face in the target that matched nothing scores 0; no face at all is "not found".
      return (out.UnmatchedFaces ?? []).length ? { similarity: 0 } : {};
    } catch (error) {
      // No face in the source or target image.
      if ((error as { name?: string }).name === 'InvalidParameterException') return {};
      throw error;
    }
  }
}
