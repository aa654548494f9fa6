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
  documentView,
  EXPIRY_PAGE,
  expireDocuments,
  findDocument,
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
  readUrl = async (key: string, seconds: number, name?: string) =>
    `https://s3.test/${key}?get&s=${seconds}&name=${name}`;
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
  /** Deleted documents the (eventually consistent) index still lists, as a lagging GSI would. */
  readonly lagging = new Map<string, DocumentRecord>();
  readonly expired: { actor: string; documentId: string; requestId: string }[] = [];
  /** The next expire() fails (a database stalling between the file and its record). */
  failNextExpire = false;
  async pastRetention(day: string, limit: number) {
    return [...this.docs.values(), ...this.lagging.values()]
      .filter((d) => d.state === 'stored' && d.keepUntil !== undefined && d.keepUntil < day)
      .slice(0, limit)
      .map((d) => structuredClone(d));
  }
  async declaredBefore(before: string, limit: number) {
    return [...this.docs.values(), ...this.lagging.values()]
      .filter((d) => d.state === 'uploading' && d.createdAt < before)
      .slice(0, limit)
      .map((d) => structuredClone(d));
  }
  expire(actor: { subject: string }, doc: DocumentRecord, requestId: string) {
    return this.retire(actor, doc, 'stored', requestId);
  }
  discard(actor: { subject: string }, doc: DocumentRecord, requestId: string) {
    return this.retire(actor, doc, 'uploading', requestId);
  }
  private async retire(actor: { subject: string }, doc: DocumentRecord, from: string, requestId: string) {
    if (this.failNextExpire) {
      this.failNextExpire = false;
      throw new Error('stalled');
    }
    const held = this.docs.get(doc.documentId);
    if (held?.state !== from) return false;
    this.docs.delete(doc.documentId);
    this.lagging.set(doc.documentId, held);
    this.expired.push({ actor: actor.subject, documentId: doc.documentId, requestId });
    return true;
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
      detailCode: 'document_incomplete',
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

  it('lists the parts received in order, whatever order they came in', async () => {
    const w = await world();
    w.files.sendPart(w.uploadId, 2, 4096);
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    const resumed = await resumeUpload(w.deps, hr, w.personId, w.doc.documentId);
    expect(resumed.upload).toMatchObject({ partsDone: [1, 2], parts: [] });
  });

  it('deletes a whole that is not the size declared', async () => {
    const w = await world();
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    w.files.sendPart(w.uploadId, 2, 100);
    await expect(completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r')).rejects.toMatchObject({
      status: 422,
      detailCode: 'document_incomplete',
      violations: [
        { code: 'document_size_mismatch', detail: { declared: w.bytes, received: PART_BYTES + 100 } },
      ],
    });
    expect(w.files.objects.size).toBe(0);
  });

  it('stores a single PUT only once the file arrived, and only of the type declared', async () => {
    const w = await world();
    const { document: doc } = await declareDocument(
      w.deps,
      hr,
      w.personId,
      { kind: 'medical_report', fileName: 'm.pdf', contentType: 'application/pdf', bytes: 500 },
      'r',
    );
    const complete = () => completeUpload(w.deps, hr, w.personId, doc.documentId, 'r');
    await expect(complete()).rejects.toMatchObject({
      status: 422,
      detailCode: 'document_incomplete',
      violations: [{ code: 'document_not_uploaded' }],
    });
    // The right size, another type: deleted, to be sent again.
    w.files.objects.set(doc.key, { bytes: 500, contentType: 'text/html' });
    await expect(complete()).rejects.toMatchObject({
      status: 422,
      detailCode: 'document_incomplete',
      violations: [{ code: 'document_size_mismatch' }],
    });
    expect(w.files.objects.has(doc.key)).toBe(false);
    w.files.objects.set(doc.key, { bytes: 500, contentType: 'application/pdf' });
    expect(await complete()).toMatchObject({ state: 'stored', keepUntil: '2033-06-01' });
  });
});

describe('declaring a document (use case, fakes)', () => {
  async function declared(body: Partial<Parameters<typeof declareDocument>[3]> = {}, principal = hr) {
    const w = await world();
    const out = await declareDocument(
      w.deps,
      principal,
      w.personId,
      {
        kind: 'training_record',
        fileName: 'record.pdf',
        contentType: 'application/pdf',
        bytes: 2048,
        ...body,
      },
      'r',
    );
    return { w, out };
  }

  it('gives one signed PUT for a paper record, with its exact type, kept under the person’s key', async () => {
    const { w, out } = await declared({ title: '2026 年度培训' });
    expect(out.document).toMatchObject({
      tenantId: 'acme',
      personId: w.personId,
      kind: 'training_record',
      title: '2026 年度培训',
      fileName: 'record.pdf',
      state: 'uploading',
      createdAt: '2026-06-01T02:00:00.000Z',
      createdBy: hr.subject,
    });
    expect(out.document.key).toBe(`records/t/acme/p/${w.personId}/${out.document.documentId}`);
    expect(out.document.documentId).toMatch(/^doc_/);
    expect(out.document).not.toHaveProperty('uploadId');
    expect(out.upload).toEqual({
      method: 'PUT',
      url: `https://s3.test/${out.document.key}?put`,
      headers: { 'content-type': 'application/pdf' },
    });
    expect((await w.documents.list('acme', w.personId)).map((d) => d.documentId)).toContain(
      out.document.documentId,
    );
  });

  it('names the document after its file when no title is given, and keeps the name safe', async () => {
    const { out } = await declared({ fileName: '../../etc/\u0000passwd.pdf' });
    expect(out.document.fileName).toBe('__.._etc_passwd.pdf');
    expect(out.document.title).toBe(out.document.fileName);
  });

  it.each([
    [
      'a video as a training record',
      { contentType: 'video/mp4' },
      'contentType',
      'document_type_not_allowed',
    ],
    ['an empty file', { bytes: 0 }, 'bytes', 'document_too_large'],
    [
      'a medical report over 20 MB',
      { kind: 'medical_report', bytes: 20 * 1024 * 1024 + 1 },
      'bytes',
      'document_too_large',
    ],
  ] as const)('refuses %s, and writes nothing', async (_, body, field, code) => {
    const w = await world();
    const before = w.documents.docs.size;
    await expect(
      declareDocument(
        w.deps,
        hr,
        w.personId,
        { kind: 'training_record', fileName: 'f', contentType: 'application/pdf', bytes: 10, ...body },
        'r',
      ),
    ).rejects.toMatchObject({
      status: 400,
      detailCode: 'validation_failed',
      fieldErrors: [{ field, code, message: code }],
    });
    expect(w.documents.docs.size).toBe(before);
  });

  it('keeps documents to those who may read or write them, and to the person’s own tenant', async () => {
    const w = await world();
    const id = w.doc.documentId;
    // An auditor reads documents and never writes one; a site manager only at their sites.
    const auditor = callerIn('acme')('auditor');
    for (const [who, status] of [
      [auditor, 403],
      [callerIn('acme')('site_manager', { siteIds: ['s'] }), 404],
    ] as const)
      await expect(
        declareDocument(
          w.deps,
          who,
          w.personId,
          { kind: 'exam_record', fileName: 'f.pdf', contentType: 'application/pdf', bytes: 10 },
          'r',
        ),
        who.role,
      ).rejects.toMatchObject({ status });
    await expect(completeUpload(w.deps, auditor, w.personId, id, 'r')).rejects.toMatchObject({ status: 403 });
    expect(await findDocument(w.deps, auditor, w.personId, id)).toMatchObject({ documentId: id });
    const other = callerIn('other')('hr');
    await expect(completeUpload(w.deps, other, w.personId, id, 'r')).rejects.toMatchObject({ status: 404 });
    await expect(findDocument(w.deps, hr, w.personId, 'doc_missing')).rejects.toMatchObject({
      status: 404,
      detailCode: 'document_not_found',
    });
    expect(await findDocument(w.deps, hr, w.personId, id)).toMatchObject({ documentId: id });
  });

  it('refuses to resume or complete a document already stored', async () => {
    const w = await world();
    w.files.sendPart(w.uploadId, 1, PART_BYTES);
    w.files.sendPart(w.uploadId, 2, 4096);
    await completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r');
    for (const step of [
      resumeUpload(w.deps, hr, w.personId, w.doc.documentId),
      completeUpload(w.deps, hr, w.personId, w.doc.documentId, 'r'),
    ])
      await expect(step).rejects.toMatchObject({ status: 409, detailCode: 'document_stored' });
  });

  it('shows a stored document with a five-minute link under its own name, and never its key', async () => {
    const { w, out } = await declared();
    w.files.objects.set(out.document.key, { bytes: 2048, contentType: 'application/pdf' });
    const stored = await completeUpload(w.deps, hr, w.personId, out.document.documentId, 'r');
    // Training records are kept seven years from the day they were stored.
    expect(stored.keepUntil).toBe('2033-06-01');
    const view = await documentView(w.deps, stored, true);
    expect(view).toMatchObject({
      documentId: stored.documentId,
      downloadUrl: `https://s3.test/${stored.key}?get&s=300&name=record.pdf`,
    });
    for (const hidden of ['tenantId', 'key', 'uploadId', 'createdBy'])
      expect(view).not.toHaveProperty(hidden);
    expect(await documentView(w.deps, stored, false)).not.toHaveProperty('downloadUrl');
    expect(await documentView(w.deps, out.document, true)).not.toHaveProperty('downloadUrl');
  });
});

describe('the daily records expiry (use case, fakes)', () => {
  /** A paper record of `kind` stored at `at` (its keepUntil follows from the kind). */
  async function storedAt(w: Awaited<ReturnType<typeof world>>, at: string, kind = 'training_record') {
    w.deps.clock.set(at);
    const { document } = await declareDocument(
      w.deps,
      hr,
      w.personId,
      { kind: kind as 'training_record', fileName: 'r.pdf', contentType: 'application/pdf', bytes: 100 },
      'r',
    );
    w.files.objects.set(document.key, { bytes: 100, contentType: 'application/pdf' });
    return completeUpload(w.deps, hr, w.personId, document.documentId, 'r');
  }

  /** The job as the schedule runs it: early on `day`, China time. */
  const runOn = (w: Awaited<ReturnType<typeof world>>, day: string) => {
    w.deps.clock.set(`${day}T04:10:00+08:00`);
    return expireDocuments(w.deps, day);
  };

  it('keeps a record through its keepUntil day and deletes file and record the day after, audited by the job', async () => {
    const w = await world();
    const training = await storedAt(w, '2019-06-01T02:00:00Z'); // kept seven years
    const medical = await storedAt(w, '2019-06-03T02:00:00Z', 'medical_report');
    const recent = await storedAt(w, '2024-01-10T02:00:00Z');
    expect(training.keepUntil).toBe('2026-06-01');
    expect(await runOn(w, '2026-06-01')).toEqual({ expired: 0, discarded: 0 });
    expect(w.files.objects.has(training.key)).toBe(true);
    expect(await runOn(w, '2026-06-02')).toEqual({ expired: 1, discarded: 0 });
    expect(w.files.objects.has(training.key)).toBe(false);
    expect(w.documents.docs.has(training.documentId)).toBe(false);
    expect(w.documents.expired).toEqual([
      {
        actor: 'system:records-expiry',
        documentId: training.documentId,
        requestId: `records-expiry:2026-06-02:${training.documentId}`,
      },
    ]);
    for (const kept of [medical, recent]) {
      expect(w.files.objects.has(kept.key)).toBe(true);
      expect(w.documents.docs.has(kept.documentId)).toBe(true);
    }
    // A missed day is caught up: the next run takes everything past its day.
    // The exam video declared on 2026-06-01 and never uploaded goes too.
    expect(await runOn(w, '2031-01-11')).toEqual({ expired: 2, discarded: 1 });
    expect(w.documents.docs.size).toBe(0);
  });

  it('ends although the index still lists what it has just deleted, counting each document once', async () => {
    const w = await world();
    const doc = await storedAt(w, '2019-06-01T02:00:00Z');
    expect(await runOn(w, '2027-01-01')).toEqual({ expired: 1, discarded: 1 });
    expect(w.documents.lagging.has(doc.documentId)).toBe(true);
    // The next day the index still lags: the record is gone, nothing is counted or audited twice.
    expect(await runOn(w, '2027-01-02')).toEqual({ expired: 0, discarded: 0 });
    expect(w.documents.expired).toHaveLength(2);
  });

  it('reads page after page until none is left', async () => {
    const w = await world();
    const docs = [];
    for (let i = 0; i < EXPIRY_PAGE + 3; i++) docs.push(await storedAt(w, '2018-03-01T02:00:00Z'));
    expect(await runOn(w, '2026-01-01')).toEqual({ expired: EXPIRY_PAGE + 3, discarded: 0 });
    expect(docs.every((d) => !w.files.objects.has(d.key) && !w.documents.docs.has(d.documentId))).toBe(true);
  });

  it('after a run stopped between the file and its record, the next run deletes the record', async () => {
    const w = await world();
    const doc = await storedAt(w, '2019-06-01T02:00:00Z');
    w.documents.failNextExpire = true;
    await expect(runOn(w, '2026-07-01')).rejects.toThrow('stalled');
    expect(w.files.objects.has(doc.key)).toBe(false);
    expect(w.documents.docs.has(doc.documentId)).toBe(true);
    expect(await runOn(w, '2026-07-01')).toEqual({ expired: 1, discarded: 1 });
    expect(w.documents.docs.has(doc.documentId)).toBe(false);
  });

  it('discards a declaration never completed after a week, with a file a lone PUT left behind', async () => {
    const w = await world(); // an exam video declared 2026-06-01 02:00 UTC, no part sent
    w.deps.clock.set('2026-06-03T02:00:00Z');
    const { document: late } = await declareDocument(
      w.deps,
      hr,
      w.personId,
      { kind: 'medical_report', fileName: 'm.pdf', contentType: 'application/pdf', bytes: 100 },
      'r',
    );
    // The file arrived by its signed PUT; nobody asked for the completion.
    w.files.objects.set(late.key, { bytes: 100, contentType: 'application/pdf' });
    expect(await runOn(w, '2026-06-08')).toEqual({ expired: 0, discarded: 0 }); // 6 days 18 hours
    expect(await runOn(w, '2026-06-09')).toEqual({ expired: 0, discarded: 1 });
    expect(w.documents.docs.has(w.doc.documentId)).toBe(false);
    expect(w.documents.expired[0]).toMatchObject({
      actor: 'system:records-expiry',
      requestId: `records-discard:2026-06-09:${w.doc.documentId}`,
    });
    expect(await runOn(w, '2026-06-10')).toEqual({ expired: 0, discarded: 0 });
    expect(w.files.objects.has(late.key)).toBe(true);
    expect(await runOn(w, '2026-06-11')).toEqual({ expired: 0, discarded: 1 });
    expect(w.files.objects.has(late.key)).toBe(false);
    // Completing it now: it is gone.
    await expect(completeUpload(w.deps, hr, w.personId, late.documentId, 'r')).rejects.toMatchObject({
      status: 404,
    });
  });
});
