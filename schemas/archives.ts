import * as z from 'zod';
import { DOCUMENT_KINDS } from '../functions/archives/document-kinds.ts';
import { calendarDate, id } from './common.ts';

export const DocumentId = id('doc');
export const ArchiveId = id('arc');

export const DeclareDocumentBody = z
  .strictObject({
    kind: z.enum(DOCUMENT_KINDS),
    title: z.string().trim().min(1).max(200).optional(),
    fileName: z.string().trim().min(1).max(200),
    contentType: z.string().trim().min(3).max(100).meta({
      description:
        'Videos: video/mp4, video/quicktime, video/webm; others: application/pdf, image/jpeg, image/png',
    }),
    bytes: z
      .number()
      .int()
      .min(1)
      .max(2 * 1024 * 1024 * 1024)
      .meta({ description: 'The exact size: S3 takes only a file of this size' }),
  })
  .meta({ id: 'DeclareDocumentBody' });

export const Document = z
  .object({
    documentId: z.string(),
    personId: z.string(),
    kind: z.enum(DOCUMENT_KINDS),
    title: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    bytes: z.number().int(),
    state: z.enum(['uploading', 'stored']),
    partSize: z.number().int().optional(),
    parts: z.number().int().optional(),
    createdAt: z.string(),
    storedAt: z.string().optional(),
    keepUntil: z.string().optional(),
    downloadUrl: z.string().optional().meta({ description: 'The original, for 5 minutes' }),
  })
  .meta({ id: 'Document' });

export const DocumentList = z.object({ items: z.array(Document) }).meta({ id: 'DocumentList' });

export const DocumentUpload = z
  .object({
    document: Document,
    upload: z.union([
      z.object({ method: z.literal('PUT'), url: z.string(), headers: z.record(z.string(), z.string()) }),
      z.object({
        uploadId: z.string(),
        partSize: z.number().int(),
        partsDone: z.array(z.number().int()),
        parts: z.array(z.object({ partNumber: z.number().int(), url: z.string() })).meta({
          description: 'PUT each part (partSize bytes, the last the rest) to its URL; valid an hour',
        }),
      }),
    ]),
  })
  .meta({ id: 'DocumentUpload' });

export const CreateArchiveBody = z
  .strictObject({
    scope: z.enum(['person', 'site', 'audit']),
    id: z.string().min(3).max(64).optional().meta({ description: 'The person or site (scope person/site)' }),
    from: calendarDate.optional().meta({ description: 'scope audit: the first China day (default: `to`)' }),
    to: calendarDate
      .optional()
      .meta({ description: 'scope audit: the last China day (default: yesterday); ≤ 31 days' }),
  })
  .meta({ id: 'CreateArchiveBody' });

export const Archive = z
  .object({
    archiveId: z.string(),
    scope: z.enum(['person', 'site', 'audit']),
    subjectId: z.string(),
    subjectName: z.string(),
    state: z.enum(['queued', 'building', 'ready', 'failed']),
    percent: z.number().int().min(0).max(100),
    processed: z.number().int(),
    total: z.number().int(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    bytes: z.number().int().optional(),
    files: z.number().int().optional(),
    sha256: z.string().optional(),
    downloadUrl: z.string().optional().meta({ description: 'The ZIP, for 5 minutes (when ready)' }),
    failure: z.string().optional(),
    expiresOn: z
      .string()
      .meta({ description: 'The last day the archive is offered (China time); then 410 archive_expired' }),
  })
  .meta({ id: 'Archive' });

export const ShareArchiveBody = z
  .strictObject({
    expiresIn: z
      .number()
      .int()
      .min(900)
      .max(30 * 24 * 3600)
      .meta({ description: 'Seconds the link works (15 minutes to 30 days)' }),
  })
  .meta({ id: 'ShareArchiveBody' });

export const ArchiveShare = z
  .object({
    shareId: z.string(),
    url: z.string().meta({ description: 'The inspector’s page (no login)' }),
    path: z.string(),
    qrSvg: z.string().meta({ description: 'The URL as a QR code (SVG) to print or show' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'ArchiveShare' });
