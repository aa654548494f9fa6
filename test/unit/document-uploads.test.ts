// A person's documents (E3) against in-memory fakes of the record files and the document
// store: a multipart upload resumed part by part, a completion that ran past its deadline
// while S3 still assembled the object (the caller's retry stores it), an upload the bucket's
// lifecycle rule cleared, and a file that is not what was declared.
import { describe, expect, it } from 'vitest';
import { PART_BYTES } from '../../functions/archives/document-kinds.ts';
import {
  completeUpload,
  type DocumentRecord,
  type DocumentStore,
  declareDocument,
  type RecordFiles,
  resumeUpload,
} from '../../functions/archives/documents.ts';
import { registerPerson } from '../../functions/people/people.ts';
import { DependencyTimeout } from '../../functions/shared/aws-client-config.ts';
import { Conflict } from '../../functions/shared/errors.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const hr = callerIn('acme')('hr');

/** S3 as the use case sees it: objects, open multipart uploads, and switches for its failures. */
class InMemoryRecordFiles implements RecordFiles {
  readonly objects = new Map<string, { bytes: number; contentType: string }>();
  readonly uploads = new Map<string, { key: string; contentType: string; parts: Map<number, number> }>();
  /** The completion assembles the object but the call meets its deadline first. */
  completionOutlivesDeadline = false;
  completions = 0;
  private next = 0;

  putUrl = async (key: string) => `https://s3.test/${key}?put`;
  partUrl = async (key: string, uploadId: string, n: number) =>
    `https://s3.test/${key}?upload=${uploadId}&part=${n}`;
  readUrl = async (key: string) => `https://s3.test/${key}?get`;
  async startParts(key: string, contentType: string) {
    const id = `upload-${++this.next}`;
    this.uploads.set(id, { key, contentType, parts: new Map() });
    return id;
  }
  /** What a client's PUT of one part leaves behind. */
  sendPart(uploadId: string, n: number, bytes: number) {
    this.uploads.get(uploadId)?.parts.set(n, bytes);
  }
  async partsDone(_key: string, uploadId: string) {
    const upload = this.uploads.get(uploadId);
    if (!upload) return undefined;
    return [...upload.parts].map(([partNumber, bytes]) => ({ partNumber, etag: `"e${partNumber}"`, bytes }));
  }
  async completeParts(key: string, uploadId: string, parts: { partNumber: number }[]) {
    this.completions++;
    const upload = this.uploads.get(uploadId);
    if (!upload) return;
    const bytes = parts.reduce((sum, p) => sum + (upload.parts.get(p.partNumber) ?? 0), 0);
    this.objects.set(key, { bytes, contentType: upload.contentType });
    this.uploads.delete(uploadId);
    if (this.completionOutlivesDeadline) throw new DependencyTimeout(8_000);
  }
  async head(key: string) {
    return this.objects.get(key);
  }
  async remove(key: string) {
    this.objects.delete(key);
  }
  async get() {
    return undefined;
  }
  async put(key: string, bytes: Uint8Array, contentType: string) {
    this.objects.set(key, { bytes: bytes.length, contentType });
  }
}

class InMemoryDocuments implements DocumentStore {
  readonly docs = new Map<string, DocumentRecord>();
  async create(_a: unknown, doc: DocumentRecord) {
    this.docs.set(doc.documentId, structuredClone(doc));
  }
  async get(tenantId: string, personId: string, documentId: string) {
    const doc = this.docs.get(documentId);
    return doc?.tenantId === tenantId && doc.personId === personId ? structuredClone(doc) : undefined;
  }
  async list(tenantId: string, personId: string) {
    return [...this.docs.values()].filter((d) => d.tenantId === tenantId && d.personId === personId);
  }
  async stored(_a: unknown, doc: DocumentRecord) {
    if (this.docs.get(doc.documentId)?.state !== 'uploading') throw new Conflict('document_stored');
    this.docs.set(doc.documentId, structuredClone(doc));
  }
}

async function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const files = new InMemoryRecordFiles();
  const documents = new InMemoryDocuments();
  const deps = { documents, files, people: f.people, clock: f.clock };
  const person = await registerPerson(f, hr, { name: '周杰', idNumber: newIdNumber() }, 'r');
  const bytes = PART_BYTES + 4096;
  const declared = await declareDocument(
    deps,
    hr,
    person.personId,
    { kind: 'exam_video', fileName: 'exam.mp4', contentType: 'video/mp4', bytes },
    'r',
  );
  const doc = declared.document;
  return { files, documents, deps, personId: person.personId, doc, bytes, uploadId: doc.uploadId as string };
}

describe('a document uploaded in parts (use case, fakes)', () => {
  it('names the part still missing, resumes with a URL for it alone, then stores the whole', async () => {
    const w = await world();
    expect(w.doc).toMatchObject({ partSize: PART_BYTES, parts: 2, state: 'uploading' });
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    await expect(completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r')).rejects.toMatchObject({
      status: 422,
      violations: [{ code: 'document_parts_missing', detail: { missing: 1 } }],
    });
    const resumed = await resumeUpload(w.deps, hr, w.personId, w.doc.documentId);
    expect(resumed.upload).toMatchObject({ partsDone: [1], parts: [{ partNumber: 2 }] });
    w.files.sendPart(w.uploadId, 2, 4096);
    const stored = await completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r');
    expect(stored).toMatchObject({ state: 'stored', bytes: w.bytes, storedAt: '2026-06-01T02:00:00.000Z' });
    expect(w.documents.docs.get(w.doc.documentId)?.state).toBe('stored');
  });

  it('stores on the retry a completion that met its deadline while S3 assembled the object', async () => {
    const w = await world();
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    w.files.sendPart(w.uploadId, 2, 4096);
    w.files.completionOutlivesDeadline = true;
    // The API answers 503 (a dependency timeout); the record is still uploading.
    await expect(completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r')).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(w.documents.docs.get(w.doc.documentId)?.state).toBe('uploading');
    // Resuming in between: nothing left to send.
    const resumed = await resumeUpload(w.deps, hr, w.personId, w.doc.documentId);
    expect(resumed.upload).toMatchObject({ partsDone: [1, 2], parts: [] });
    const stored = await completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r');
    expect(stored).toMatchObject({ state: 'stored', bytes: w.bytes });
    // The retry did not complete again: the object was already whole.
    expect(w.files.completions).toBe(1);
  });

  it('asks for the document again once the lifecycle rule cleared the unfinished upload', async () => {
    const w = await world();
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    w.files.uploads.delete(w.uploadId);
    for (const step of [
      resumeUpload(w.deps, hr, w.personId, w.doc.documentId),
      completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r'),
    ])
      await expect(step).rejects.toMatchObject({ status: 409, detailCode: 'document_upload_expired' });
    expect(w.documents.docs.get(w.doc.documentId)?.state).toBe('uploading');
  });

  it('deletes a whole that is not the size declared', async () => {
    const w = await world();
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    w.files.sendPart(w.uploadId, 2, 100);
    await expect(completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r')).rejects.toMatchObject({
      status: 422,
      violations: [
        { code: 'document_size_mismatch', detail: { declared: w.bytes, received: PART_BYTES + 100 } },
      ],
    });
    expect(w.files.objects.size).toBe(0);
  });
});
