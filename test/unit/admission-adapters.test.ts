// The AWS adapters of admission against response shapes from the AWS documentation (moto
// has no Face Liveness and only canned CompareFaces/DetectDocumentText), their request
// building, the provider choice per deployment, and the QR reader.
import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
} from '@aws-sdk/client-rekognition';
import { DetectDocumentTextCommand } from '@aws-sdk/client-textract';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { S3EvidenceStore } from '../../functions/onboarding/evidence-store.ts';
import { HttpOnboardingProvider } from '../../functions/onboarding/http-provider.ts';
import { onboardingProviders } from '../../functions/onboarding/provider-choice.ts';
import { readQrCode } from '../../functions/onboarding/qr-code.ts';
import {
  RekognitionFaceMatcher,
  RekognitionLivenessProvider,
} from '../../functions/onboarding/rekognition-provider.ts';
import { TextractDocumentReader } from '../../functions/onboarding/textract-provider.ts';
import { ProviderNotConfigured, ProviderUnavailable } from '../../functions/shared/errors.ts';
import { loadedAdapter } from '../../functions/shared/on-first-call.ts';

/** A client whose `send` records the command and answers from a fixture (or throws). */
function client(answer: unknown | ((command: unknown) => unknown)) {
  const sent: unknown[] = [];
  return {
    sent,
    send: async (command: unknown) => {
      sent.push(command);
      return typeof answer === 'function' ? (answer as (c: unknown) => unknown)(command) : answer;
    },
  };
}

const image = { bucket: 'evidence', key: 'face/t/t1/p/per_1/onb_1/id_card-1.jpg' };

describe('Rekognition Face Liveness adapter', () => {
  it('creates a session writing its images to the evidence bucket, idempotent by client token', async () => {
    const c = client({ SessionId: '0f959dbb-37cc-45d8-a08d-dc42cce85fa8' });
    const out = await new RekognitionLivenessProvider(c as never).createSession({
      clientToken: 'onb_1-3',
      output: { bucket: 'evidence', prefix: 'face/t/t1/p/per_1/onb_1/liveness/3/' },
    });
    expect(out).toEqual({ sessionId: '0f959dbb-37cc-45d8-a08d-dc42cce85fa8' });
    const command = c.sent[0] as CreateFaceLivenessSessionCommand;
    expect(command).toBeInstanceOf(CreateFaceLivenessSessionCommand);
    expect(command.input).toEqual({
      ClientRequestToken: 'onb_1-3',
      Settings: {
        OutputConfig: { S3Bucket: 'evidence', S3KeyPrefix: 'face/t/t1/p/per_1/onb_1/liveness/3/' },
        AuditImagesLimit: 2,
      },
    });
  });

  it('maps GetFaceLivenessSessionResults (documented response) to the port', async () => {
    // Shape from the API reference: ReferenceImage/AuditImages carry Bytes or an S3Object.
    const c = client({
      SessionId: 's-1',
      Status: 'SUCCEEDED',
      Confidence: 96.91,
      ReferenceImage: {
        BoundingBox: { Height: 0.5, Left: 0.2, Top: 0.2, Width: 0.4 },
        S3Object: { Bucket: 'evidence', Name: 'face/t/t1/p/per_1/onb_1/liveness/3/s-1/reference.jpg' },
      },
      AuditImages: [
        {
          S3Object: { Bucket: 'evidence', Name: 'face/t/t1/p/per_1/onb_1/liveness/3/s-1/audit_images/1.jpg' },
        },
        { Bytes: new Uint8Array([1, 2, 3]) },
      ],
    });
    const out = await new RekognitionLivenessProvider(c as never).sessionResult('s-1');
    expect(c.sent[0]).toBeInstanceOf(GetFaceLivenessSessionResultsCommand);
    expect((c.sent[0] as GetFaceLivenessSessionResultsCommand).input).toEqual({ SessionId: 's-1' });
    expect(out).toEqual({
      status: 'SUCCEEDED',
      confidence: 96.91,
      referenceImage: { bucket: 'evidence', key: 'face/t/t1/p/per_1/onb_1/liveness/3/s-1/reference.jpg' },
      auditImages: [{ bucket: 'evidence', key: 'face/t/t1/p/per_1/onb_1/liveness/3/s-1/audit_images/1.jpg' }],
    });
  });

  it('reports a session still running or lapsed without images', async () => {
    for (const Status of ['CREATED', 'IN_PROGRESS', 'EXPIRED', 'FAILED']) {
      const out = await new RekognitionLivenessProvider(
        client({ SessionId: 's', Status }) as never,
      ).sessionResult('s');
      expect(out).toEqual({ status: Status, auditImages: [] });
    }
  });
});

describe('Rekognition CompareFaces adapter', () => {
  it('asks with every candidate (threshold 0) and returns the best similarity', async () => {
    const c = client({
      SourceImageFace: { BoundingBox: {}, Confidence: 99.9 },
      FaceMatches: [
        { Similarity: 72.5, Face: { Confidence: 99 } },
        { Similarity: 98.25, Face: { Confidence: 99 } },
      ],
      UnmatchedFaces: [{ Confidence: 99 }],
    });
    const out = await new RekognitionFaceMatcher(c as never).compare(
      { bucket: 'evidence', key: 'ref.jpg' },
      image,
    );
    expect(out).toEqual({ similarity: 98.25 });
    const command = c.sent[0] as CompareFacesCommand;
    expect(command).toBeInstanceOf(CompareFacesCommand);
    expect(command.input).toEqual({
      SourceImage: { S3Object: { Bucket: 'evidence', Name: 'ref.jpg' } },
      TargetImage: { S3Object: { Bucket: 'evidence', Name: image.key } },
      SimilarityThreshold: 0,
    });
  });

  it.each([
    [
      'a face that matched nothing scores 0',
      { FaceMatches: [], UnmatchedFaces: [{ Confidence: 99 }] },
      { similarity: 0 },
    ],
    ['no face in the target is not found', { FaceMatches: [], UnmatchedFaces: [] }, {}],
    ['an empty answer is not found', {}, {}],
    ['a match of similarity 0 is a match', { FaceMatches: [{ Similarity: 0 }] }, { similarity: 0 }],
  ])('%s', async (_, answer, expected) => {
    expect(await new RekognitionFaceMatcher(client(answer) as never).compare(image, image)).toEqual(expected);
  });

  it('reads "no face in an image" (InvalidParameterException) as not found, and passes other errors on', async () => {
    const noFace = client(() => {
      throw Object.assign(new Error('Request has invalid parameters'), { name: 'InvalidParameterException' });
    });
    expect(await new RekognitionFaceMatcher(noFace as never).compare(image, image)).toEqual({});
    const throttled = client(() => {
      throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    });
    await expect(new RekognitionFaceMatcher(throttled as never).compare(image, image)).rejects.toThrow(
      'slow down',
    );
  });
});

describe('Textract adapter', () => {
  it('returns the LINE blocks of DetectDocumentText, in order, skipping pages and words', async () => {
    const c = client({
      DocumentMetadata: { Pages: 1 },
      Blocks: [
        { BlockType: 'PAGE', Id: 'p' },
        { BlockType: 'LINE', Id: 'l1', Text: 'T11010519491231002X', Confidence: 99.1 },
        { BlockType: 'WORD', Id: 'w1', Text: 'T11010519491231002X' },
        { BlockType: 'LINE', Id: 'l2', Text: '2031.05.04', Confidence: 97 },
        { BlockType: 'LINE', Id: 'l3' },
      ],
    });
    expect(await new TextractDocumentReader(c as never).readLines(image)).toEqual([
      'T11010519491231002X',
      '2031.05.04',
    ]);
    const command = c.sent[0] as DetectDocumentTextCommand;
    expect(command).toBeInstanceOf(DetectDocumentTextCommand);
    expect(command.input).toEqual({ Document: { S3Object: { Bucket: 'evidence', Name: image.key } } });
  });
});

describe('which provider serves each port', () => {
  it('answers 501 naming the port and setting when none is configured, and only when the port is used', () => {
    const none = onboardingProviders({});
    for (const [port, setting] of [
      ['evidence', 'EVIDENCE_BUCKET'],
      ['liveness', 'FACE_PROVIDER'],
      ['faces', 'FACE_PROVIDER'],
      ['documents', 'OCR_PROVIDER'],
      ['identity', 'IDENTITY_PROVIDER'],
    ] as const) {
      let error: unknown;
      try {
        none[port]();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProviderNotConfigured);
      expect((error as ProviderNotConfigured).status).toBe(501);
      expect((error as ProviderNotConfigured).params).toEqual({ port, setting });
    }
  });

  it('builds the AWS adapters in the global profile (imported on first use) and the HTTP contract where asked', async () => {
    const aws = onboardingProviders({
      EVIDENCE_BUCKET: 'b',
      FACE_PROVIDER: 'rekognition',
      OCR_PROVIDER: 'textract',
    });
    expect(await loadedAdapter(aws.liveness())).toBeInstanceOf(RekognitionLivenessProvider);
    expect(await loadedAdapter(aws.faces())).toBeInstanceOf(RekognitionFaceMatcher);
    expect(await loadedAdapter(aws.documents())).toBeInstanceOf(TextractDocumentReader);
    expect(await loadedAdapter(aws.evidence())).toBeInstanceOf(S3EvidenceStore);
    expect(aws.evidence().bucket).toBe('b');
    expect(aws.liveness()).toBe(aws.liveness());
    expect(() => aws.identity()).toThrow(ProviderNotConfigured);
    const http = onboardingProviders({
      EVIDENCE_BUCKET: 'b',
      FACE_PROVIDER: 'http',
      OCR_PROVIDER: 'http',
      IDENTITY_PROVIDER: 'http',
      ONBOARDING_PROVIDER_URL: 'https://vendor-gateway.example.cn',
    });
    expect(http.faces()).toBeInstanceOf(HttpOnboardingProvider);
    expect(http.identity()).toBe(http.documents());
    const noUrl = onboardingProviders({ EVIDENCE_BUCKET: 'b', FACE_PROVIDER: 'http' });
    expect(() => noUrl.faces()).toThrow(ProviderNotConfigured);
    expect(() => onboardingProviders({ FACE_PROVIDER: 'somebody' }).liveness()).toThrow(
      ProviderNotConfigured,
    );
  });

  it('never reads an outage as an answer: unreachable → 503, identity → unavailable', async () => {
    const evidence = {
      bucket: 'b',
      uploadUrl: async () => 'http://127.0.0.1:9/put',
      readUrl: async () => 'http://127.0.0.1:9/get',
      get: async () => undefined,
      exists: async () => false,
      deletePrefix: async () => 0,
      list: async () => [],
      put: async () => undefined,
    };
    const p = new HttpOnboardingProvider({ baseUrl: 'http://127.0.0.1:9', evidence, timeoutMs: 500 });
    await expect(p.readLines(image)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(await p.verify('张三', '11010519491231002X')).toBe('unavailable');
  });
});

describe('reading an e-certificate’s QR code', () => {
  const payload = 'T11010519491231002X|2025-05-04|2031-05-04';

  it('reads it from a PNG and from a JPEG photo', async () => {
    const png = await QRCode.toBuffer(payload, { type: 'png', width: 300, margin: 4 });
    expect(readQrCode(png)).toBe(payload);
    const pixels = PNG.sync.read(png);
    const photo = Buffer.from(
      jpeg.encode({ data: pixels.data, width: pixels.width, height: pixels.height }, 90).data,
    );
    expect(photo.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(readQrCode(photo)).toBe(payload);
  });

  it('finds nothing in an image without a code, a truncated file or something else entirely', async () => {
    const blank = new PNG({ width: 64, height: 64 });
    blank.data.fill(255);
    expect(readQrCode(PNG.sync.write(blank))).toBeUndefined();
    const png = await QRCode.toBuffer(payload, { type: 'png' });
    expect(readQrCode(png.subarray(0, 60))).toBeUndefined();
    expect(readQrCode(Buffer.from('GIF89a…'))).toBeUndefined();
    expect(readQrCode(Buffer.alloc(0))).toBeUndefined();
  });
});
