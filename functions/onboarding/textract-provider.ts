// Textract adapter (global profile): DetectDocumentText on the image in the evidence bucket.
// Textract reads Latin script only: on a Chinese certificate that is the number, the ID
// number and dates in digits — admission.ts takes what it can from those lines.
import { DetectDocumentTextCommand, TextractClient } from '@aws-sdk/client-textract';
import { awsClient } from '../shared/aws-client-config.ts';
import type { DocumentReader, ImageRef } from './providers.ts';

export class TextractDocumentReader implements DocumentReader {
  constructor(private readonly client: Pick<TextractClient, 'send'> = awsClient(TextractClient)) {}

  async readLines(image: ImageRef) {
    const out = await this.client.send(
      new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: image.bucket, Name: image.key } } }),
    );
    return (out.Blocks ?? []).filter((b) => b.BlockType === 'LINE' && b.Text).map((b) => b.Text as string);
  }
}
