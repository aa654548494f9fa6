// The archives function's routes (E3): a person's documents, the regulator's archive, and
// the inspector's page behind a shared link.
import {
  Archive,
  ArchiveShare,
  CreateArchiveBody,
  DeclareDocumentBody,
  Document,
  DocumentList,
  DocumentUpload,
  ShareArchiveBody,
} from '../archives.ts';
import { Problem } from '../common.ts';
import { Created, route } from '../route.ts';

export const declareDocument = route({
  operationId: 'declareDocument',
  method: 'POST',
  path: '/people/{personId}/documents',
  capability: 'archives',
  auth: true,
  summary:
    'Declare a document of the person’s file (training/exam records, exam videos up to 2 GB, score sheets, medical reports) and get where to upload it: one signed PUT, or multipart parts',
  body: DeclareDocumentBody,
  responses: Created(DocumentUpload, 'DocumentUpload'),
});

export const listDocuments = route({
  operationId: 'listDocuments',
  method: 'GET',
  path: '/people/{personId}/documents',
  capability: 'archives',
  auth: true,
  summary: 'The person’s documents',
  responses: { 200: { description: 'Documents', schema: DocumentList } },
});

export const getDocument = route({
  operationId: 'getDocument',
  method: 'GET',
  path: '/people/{personId}/documents/{documentId}',
  capability: 'archives',
  auth: true,
  summary: 'One document, with a 5-minute link to the original once stored',
  responses: { 200: { description: 'The document', schema: Document } },
});

export const resumeDocumentUpload = route({
  operationId: 'resumeDocumentUpload',
  method: 'GET',
  path: '/people/{personId}/documents/{documentId}/upload',
  capability: 'archives',
  auth: true,
  summary: 'Resume an upload: the parts already received and fresh URLs for the missing ones',
  responses: {
    200: { description: 'Where to go on', schema: DocumentUpload },
    409: {
      description: 'Already stored, or the unfinished upload was cleared after a day (declare it again)',
      schema: Problem,
    },
  },
});

export const completeDocumentUpload = route({
  operationId: 'completeDocumentUpload',
  method: 'POST',
  path: '/people/{personId}/documents/{documentId}/completion',
  capability: 'archives',
  auth: true,
  summary:
    'The upload is done: checked against the declared size and type (a mismatch is deleted), then stored',
  responses: {
    200: { description: 'Stored', schema: Document },
    409: {
      description: 'Already stored, or the unfinished upload was cleared after a day (declare it again)',
      schema: Problem,
    },
    422: {
      description: 'Parts missing, nothing uploaded, or not what was declared (deleted: upload it again)',
      schema: Problem,
    },
  },
});

export const createArchive = route({
  operationId: 'createArchive',
  method: 'POST',
  path: '/archives',
  capability: 'archives',
  auth: true,
  summary:
    'Build the regulator’s file of a person or a site as a ZIP (records, documents, a Chinese PDF index, manifest.sha256), in the background',
  body: CreateArchiveBody,
  responses: { 202: { description: 'Queued', schema: Archive } },
});

export const getArchive = route({
  operationId: 'getArchive',
  method: 'GET',
  path: '/archives/{archiveId}',
  capability: 'archives',
  auth: true,
  summary: 'An archive’s progress; a 5-minute link to the ZIP when ready',
  responses: {
    200: { description: 'The archive', schema: Archive },
    410: { description: 'Past its last day: the bucket deletes the ZIP (build a new one)', schema: Problem },
  },
});

export const shareArchive = route({
  operationId: 'shareArchive',
  method: 'POST',
  path: '/archives/{archiveId}/share',
  capability: 'archives',
  auth: true,
  summary: 'A revocable, time-limited link (and QR code) to the inspector’s page for this archive',
  body: ShareArchiveBody,
  responses: {
    ...Created(ArchiveShare, 'ArchiveShare'),
    409: { description: 'The archive is not ready', schema: Problem },
    410: { description: 'The archive is past its last day', schema: Problem },
  },
});

export const revokeArchiveShare = route({
  operationId: 'revokeArchiveShare',
  method: 'DELETE',
  path: '/archives/{archiveId}/share/{shareId}',
  capability: 'archives',
  auth: true,
  summary: 'Revoke a shared link at once',
  responses: { 204: { description: 'Revoked' } },
});

export const inspectArchive = route({
  operationId: 'inspectArchive',
  method: 'GET',
  path: '/inspect/{token}',
  capability: 'archives',
  auth: false,
  summary:
    'The inspector’s page (HTML, zh-CN, no login, no script): the archive’s people, certificates and documents with links to the originals; audited',
  responses: {
    200: { description: 'The page', files: ['text/html'] },
    404: {
      description: 'An unknown link: a page saying so for a browser (Accept: text/html), else a problem',
      schema: Problem,
      files: ['text/html'],
    },
    410: {
      description: 'A revoked or expired link: a page saying so for a browser, else a problem',
      schema: Problem,
      files: ['text/html'],
    },
  },
});

export const inspectArchiveFile = route({
  operationId: 'inspectArchiveFile',
  method: 'GET',
  path: '/inspect/{token}/files/{fileId}',
  capability: 'archives',
  auth: false,
  summary: 'An original behind the shared link (the ZIP or one document): audited, then a 5-minute S3 link',
  responses: {
    302: { description: 'To the original' },
    404: {
      description: 'An unknown link or file: a page for a browser (Accept: text/html), else a problem',
      schema: Problem,
      files: ['text/html'],
    },
    410: {
      description: 'A revoked or expired link: a page for a browser, else a problem',
      schema: Problem,
      files: ['text/html'],
    },
  },
});
