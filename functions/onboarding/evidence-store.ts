// The evidence bucket (S3): presigned PUTs so images never pass through a Lambda or the
// table, reads for hashing and QR decoding, deletion by prefix when face consent is
// withdrawn. The bucket encrypts with its KMS key by default, so an upload needs no headers.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { awsClient } from '../shared/aws-client-config.ts';
import type { EvidenceStore } from './providers.ts';

export class S3EvidenceStore implements EvidenceStore {
  private readonly s3: S3Client;

  constructor(readonly bucket: string) {
    // Path-style locally: the emulator serves every bucket on one host.
    this.s3 = awsClient(S3Client, {
      forcePathStyle: !!process.env.AWS_ENDPOINT_URL,
      // SDK ≥ 3.729 adds a CRC32 of the (empty) body to every presigned PUT by default, and
      // real S3 then refuses the actual file: checksums only where an operation requires one.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    });
  }

  uploadUrl(key: string, contentType: string, expiresInSeconds: number, contentLength?: number) {
    return getSignedUrl(
      this.s3,
      // With a length, it is signed: S3 refuses a body of any other size.
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: contentType,
        ...(contentLength ? { ContentLength: contentLength } : {}),
      }),
      {
        expiresIn: expiresInSeconds,
      },
    );
  }

  readUrl(key: string, expiresInSeconds: number) {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }

  async get(key: string) {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async exists(key: string) {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    }
  }

  async list(prefix: string) {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) found.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  async put(key: string, bytes: Uint8Array, contentType: string) {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  async deletePrefix(prefix: string) {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length) {
        await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }
}
