// S3 adapter for the regulator's file (documents/ and archives/ in the evidence bucket):
// signed PUTs with the exact size, multipart uploads (create, presigned UploadPart, ListParts
// to resume, complete), HeadObject to check what arrived, short-lived GETs with the file's
// name. Bytes never pass through a Lambda on the way in.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { awsClient, slowCallClient } from '../shared/aws-client-config.ts';
import type { RecordFiles } from './documents.ts';

/**
 * S3 documents that completing a multipart upload may take a while for a large object (it
 * answers 200 at once and keeps the connection open until the object is assembled). The
 * completion gets most of the HTTP function's 10 s instead of the usual 4 s deadline; past it
 * the API answers 503, and the caller's retry finds the upload finished (see partsDone).
 */
export const COMPLETION_DEADLINE_MS = 8_000;

/** S3's answer for an upload id that was completed or aborted. */
const uploadGone = (error: unknown) => (error as { name?: string }).name === 'NoSuchUpload';

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === 'NotFound' ||
    e.name === 'NoSuchKey' ||
    error instanceof NoSuchKey ||
    e.$metadata?.httpStatusCode === 404
  );
};

export class S3RecordFiles implements RecordFiles {
  private readonly s3: S3Client;
  /** Built on the first completion: most requests of the function never complete an upload. */
  private completer?: S3Client;

  constructor(readonly bucket: string) {
    this.s3 = awsClient(S3Client, S3RecordFiles.options());
  }

  private static options() {
    return {
      forcePathStyle: !!process.env.AWS_ENDPOINT_URL,
      // Checksums only where an operation requires one: a presigned PUT/UploadPart must not
      // carry the CRC32 of an empty body (real S3 would refuse the actual bytes).
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    };
  }

  putUrl(key: string, contentType: string, bytes: number, seconds: number) {
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: bytes }),
      { expiresIn: seconds },
    );
  }

  async startParts(key: string, contentType: string) {
    const out = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    return out.UploadId as string;
  }

  partUrl(key: string, uploadId: string, partNumber: number, seconds: number) {
    return getSignedUrl(
      this.s3,
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber }),
      { expiresIn: seconds },
    );
  }

  async partsDone(key: string, uploadId: string) {
    const parts: { partNumber: number; etag: string; bytes: number }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.s3
        .send(
          new ListPartsCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumberMarker: marker,
          }),
        )
        .catch((error) => {
          if (uploadGone(error)) return undefined;
          throw error;
        });
      if (!page) return undefined;
      for (const p of page.Parts ?? [])
        if (p.PartNumber && p.ETag)
          parts.push({ partNumber: p.PartNumber, etag: p.ETag, bytes: p.Size ?? 0 });
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeParts(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]) {
    try {
      this.completer ??= slowCallClient(S3Client, S3RecordFiles.options(), COMPLETION_DEADLINE_MS);
      await this.completer.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (error) {
      // Completed by an earlier attempt meanwhile: what the key holds decides (head).
      if (!uploadGone(error)) throw error;
    }
  }

  async head(key: string) {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: out.ContentLength ?? 0, ...(out.ContentType ? { contentType: out.ContentType } : {}) };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async remove(key: string) {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  readUrl(key: string, seconds: number, downloadName?: string) {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(downloadName
          ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}` }
          : {}),
      }),
      { expiresIn: seconds },
    );
  }

  async get(key: string) {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string) {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }
}
