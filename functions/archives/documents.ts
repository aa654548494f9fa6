// A person's documents for the regulator's file (E3): training records, exam records and
// videos, practical score sheets, medical reports. A document is declared first (kind, name,
// content type, exact size); the answer is where to upload it — one signed PUT, or for an
// exam video (and anything over 64 MB) a multipart upload whose parts are uploaded and
// retried one by one (`GET …/upload` answers the parts still missing, with fresh URLs).
// Completing it checks what S3 holds against what was declared; a mismatch is deleted.
import { findPerson, type PersonRepository } from '../domain/person.ts';
import { systemActor } from '../shared/audit.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { type CalendarDate, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidRequest, NotFound, RulesBroken } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { type DocumentKind, keepUntil, partPlan, refuseDocument } from './document-kinds.ts';

export interface DocumentRecord {
  documentId: string;
  tenantId: string;
  personId: string;
  kind: DocumentKind;
  title: string;
  fileName: string;
  contentType: string;
  bytes: number;
  key: string;
  state: 'uploading' | 'stored';
  /** A multipart upload's id and plan (absent: one PUT). */
  uploadId?: string;
  partSize?: number;
  parts?: number;
  createdAt: string;
  createdBy: string;
  storedAt?: string;
  keepUntil?: CalendarDate;
}

/** The record files (documents/, archives/ in the evidence bucket). */
export interface RecordFiles {
  putUrl(key: string, contentType: string, bytes: number, seconds: number): Promise<string>;
  startParts(key: string, contentType: string): Promise<string>;
  partUrl(key: string, uploadId: string, partNumber: number, seconds: number): Promise<string>;
  /** The parts received so far; undefined once the upload is no longer open (completed). */
  partsDone(
    key: string,
    uploadId: string,
  ): Promise<{ partNumber: number; etag: string; bytes: number }[] | undefined>;
  /** Assembles the object; an upload already completed is not an error (head tells what it holds). */
  completeParts(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  head(key: string): Promise<{ bytes: number; contentType?: string } | undefined>;
  remove(key: string): Promise<void>;
  readUrl(key: string, seconds: number, downloadName?: string): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

export interface DocumentStore {
  create(actor: Actor, doc: DocumentRecord, requestId: string): Promise<void>;
  get(tenantId: string, personId: string, documentId: string): Promise<DocumentRecord | undefined>;
  list(tenantId: string, personId: string): Promise<DocumentRecord[]>;
  /** Marks it stored (only from uploading: Conflict otherwise), audited. */
  stored(actor: Actor, doc: DocumentRecord, requestId: string): Promise<void>;
  /** Up to `limit` stored documents of any tenant whose keepUntil is before `day`. */
  pastRetention(day: CalendarDate, limit: number): Promise<DocumentRecord[]>;
  /** Retires the record (gone for every read from then on), audited; false if it already was. */
  expire(actor: Actor, doc: DocumentRecord, requestId: string): Promise<boolean>;
  /** Up to `limit` documents of any tenant declared before `before` (an instant) and never stored. */
  declaredBefore(before: string, limit: number): Promise<DocumentRecord[]>;
  /** Retires a declaration never completed (only while still uploading), audited; false otherwise. */
  discard(actor: Actor, doc: DocumentRecord, requestId: string): Promise<boolean>;
}

export interface DocumentDeps {
  documents: DocumentStore;
  files: RecordFiles;
  people: PersonRepository;
  clock: Clock;
}

export const UPLOAD_URL_SECONDS = 3600;

/** A file name as kept in a key and a ZIP: no path, no control characters, bounded. */
export const safeFileName = (name: string) =>
  name
    .replace(/[\\/]/g, '_')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/^\.+/, '_')
    .slice(-120) || 'file';

async function uploadFor(deps: DocumentDeps, doc: DocumentRecord) {
  if (!doc.uploadId || !doc.parts)
    return {
      method: 'PUT' as const,
      url: await deps.files.putUrl(doc.key, doc.contentType, doc.bytes, UPLOAD_URL_SECONDS),
      headers: { 'content-type': doc.contentType },
    };
  const all = Array.from({ length: doc.parts }, (_, i) => i + 1);
  const received = await deps.files.partsDone(doc.key, doc.uploadId);
  // No longer open: an earlier completion assembled it (nothing left to send), or the
  // bucket's lifecycle rule aborted it after a day (it has to be declared again).
  if (!received && !(await deps.files.head(doc.key))) throw new Conflict('document_upload_expired');
  const done = new Set(received ? received.map((p) => p.partNumber) : all);
  const missing = all.filter((n) => !done.has(n));
  return {
    uploadId: doc.uploadId,
    partSize: doc.partSize as number,
    partsDone: [...done].sort((a, b) => a - b),
    parts: await Promise.all(
      missing.map(async (partNumber) => ({
        partNumber,
        url: await deps.files.partUrl(doc.key, doc.uploadId as string, partNumber, UPLOAD_URL_SECONDS),
      })),
    ),
  };
}

export async function declareDocument(
  deps: DocumentDeps,
  principal: Principal,
  personId: string,
  body: { kind: DocumentKind; title?: string; fileName: string; contentType: string; bytes: number },
  requestId: string,
) {
  authorize(principal, 'document:write');
  const person = await findPerson(deps.people, principal, personId);
  const refusal = refuseDocument(body.kind, body.contentType, body.bytes);
  if (refusal)
    throw new InvalidRequest('validation_failed', [
      {
        field: refusal === 'document_too_large' ? 'bytes' : 'contentType',
        code: refusal as never,
        message: refusal,
      },
    ]);
  const documentId = newId('doc');
  const fileName = safeFileName(body.fileName);
  const key = `records/t/${person.tenantId}/p/${person.personId}/${documentId}`;
  const plan = partPlan(body.bytes);
  const doc: DocumentRecord = {
    documentId,
    tenantId: person.tenantId,
    personId: person.personId,
    kind: body.kind,
    title: body.title ?? fileName,
    fileName,
    contentType: body.contentType,
    bytes: body.bytes,
    key,
    state: 'uploading',
    ...(plan
      ? {
          uploadId: await deps.files.startParts(key, body.contentType),
          partSize: plan.partSize,
          parts: plan.parts,
        }
      : {}),
    createdAt: deps.clock.now().toISOString(),
    createdBy: principal.subject,
  };
  await deps.documents.create(principal, doc, requestId);
  return { document: doc, upload: await uploadFor(deps, doc) };
}

export async function findDocument(
  deps: DocumentDeps,
  principal: Principal,
  personId: string,
  documentId: string,
) {
  authorize(principal, 'document:read');
  const person = await findPerson(deps.people, principal, personId);
  const doc = await deps.documents.get(person.tenantId, person.personId, documentId);
  if (!doc) throw new NotFound('document_not_found');
  return doc;
}

/** Where to go on after a dropped connection: the parts still missing, with fresh URLs. */
export async function resumeUpload(
  deps: DocumentDeps,
  principal: Principal,
  personId: string,
  documentId: string,
) {
  authorize(principal, 'document:write');
  const doc = await findDocument(deps, principal, personId, documentId);
  if (doc.state !== 'uploading') throw new Conflict('document_stored');
  return { document: doc, upload: await uploadFor(deps, doc) };
}

/** The upload finished: what S3 holds must be what was declared (size, type), else it is deleted. */
export async function completeUpload(
  deps: DocumentDeps,
  principal: Principal,
  personId: string,
  documentId: string,
  requestId: string,
): Promise<DocumentRecord> {
  authorize(principal, 'document:write');
  const doc = await findDocument(deps, principal, personId, documentId);
  if (doc.state !== 'uploading') throw new Conflict('document_stored');
  // Undefined: the multipart upload is no longer open — completed by an earlier attempt that
  // ran past its deadline (503), the object then checked below; or aborted after a day.
  const parts = doc.uploadId && doc.parts ? await deps.files.partsDone(doc.key, doc.uploadId) : null;
  if (parts && doc.uploadId && doc.parts) {
    const missing = doc.parts - parts.length;
    if (missing > 0)
      throw new RulesBroken('document_incomplete', [{ code: 'document_parts_missing', detail: { missing } }]);
    await deps.files.completeParts(
      doc.key,
      doc.uploadId,
      parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
    );
  }
  const held = await deps.files.head(doc.key);
  if (!held && parts === undefined) throw new Conflict('document_upload_expired');
  if (!held) throw new RulesBroken('document_incomplete', [{ code: 'document_not_uploaded' }]);
  if (held.bytes !== doc.bytes || (held.contentType && held.contentType !== doc.contentType)) {
    await deps.files.remove(doc.key);
    throw new RulesBroken('document_incomplete', [
      { code: 'document_size_mismatch', detail: { declared: doc.bytes, received: held.bytes } },
    ]);
  }
  const now = deps.clock.now();
  const after: DocumentRecord = {
    ...doc,
    state: 'stored',
    storedAt: now.toISOString(),
    keepUntil: keepUntil(doc.kind, todayInShanghai(now)),
  };
  await deps.documents.stored(principal, after, requestId);
  return after;
}

/** Documents read at once by the daily expiry. */
export const EXPIRY_PAGE = 100;

/**
 * Days a declaration may wait for its file. Upload links last an hour (a resume gives fresh
 * ones), the bucket aborts an unfinished multipart upload after a day: a week later the
 * declaration is abandoned, and anything a single PUT left behind without a completion goes.
 */
export const DECLARATION_DAYS = 7;

/**
 * Pages through what `read` finds, handling each document once. The index may still list a
 * document handled a moment ago: a page holding nothing new ends the run (what the index
 * shows late, tomorrow's run finds).
 */
async function eachOnce(
  read: () => Promise<DocumentRecord[]>,
  handle: (doc: DocumentRecord) => Promise<boolean>,
): Promise<number> {
  const seen = new Set<string>();
  let count = 0;
  for (;;) {
    const page = (await read()).filter((d) => !seen.has(d.documentId));
    if (!page.length) return count;
    for (const doc of page) {
      seen.add(doc.documentId);
      if (await handle(doc)) count++;
    }
  }
}

/**
 * The daily records expiry (E3): a document is kept until its `keepUntil` (by kind: seven years
 * for training, exam and medical records, three for exam videos), and deleted the day after —
 * the file, then its record (audited `document.expire` by the job). A declaration never
 * completed within DECLARATION_DAYS goes the same way (`document.discard`). A run that stops
 * between a file and its record leaves the record, which the next run finds again; deleting a
 * file twice is harmless.
 */
export async function expireDocuments(
  deps: Pick<DocumentDeps, 'documents' | 'files' | 'clock'>,
  day: CalendarDate,
): Promise<{ expired: number; discarded: number }> {
  const actorOf = (doc: DocumentRecord) => systemActor(doc.tenantId, 'records-expiry');
  const expired = await eachOnce(
    () => deps.documents.pastRetention(day, EXPIRY_PAGE),
    async (doc) => {
      await deps.files.remove(doc.key);
      return deps.documents.expire(actorOf(doc), doc, `records-expiry:${day}:${doc.documentId}`);
    },
  );
  const cutOff = new Date(deps.clock.now().getTime() - DECLARATION_DAYS * 86_400_000).toISOString();
  const discarded = await eachOnce(
    () => deps.documents.declaredBefore(cutOff, EXPIRY_PAGE),
    async (doc) => {
      await deps.files.remove(doc.key);
      return deps.documents.discard(actorOf(doc), doc, `records-discard:${day}:${doc.documentId}`);
    },
  );
  return { expired, discarded };
}

/** A document as its reader sees it: a short-lived link to the original when stored. */
export async function documentView(
  deps: Pick<DocumentDeps, 'files'>,
  doc: DocumentRecord,
  withLink: boolean,
) {
  const { tenantId: _t, key: _k, uploadId: _u, createdBy: _c, ...rest } = doc;
  return {
    ...rest,
    ...(withLink && doc.state === 'stored'
      ? { downloadUrl: await deps.files.readUrl(doc.key, 300, doc.fileName) }
      : {}),
  };
}
