// Importing a tenant's existing ledger (台账, issue 28): thousands of workers, their
// certificates and badges, in minutes. The file is read and every row checked at once
// (a bad row is refused with its column and reason and never stops the others); the rows
// that read well go to the work queue a chunk at a time and are written there through the
// same use cases as the API (registration, corrections, certificates, badges), so every
// rule, status and audit record is the one a single request gets. A person is matched by
// the keyed hash of the ID number and a certificate by the keyed hash of its number, so the
// same file imported again updates and never duplicates. Each row's outcome is recorded
// once: a chunk redelivered after a crash skips the rows already done and goes on.
import { createHash } from 'node:crypto';
import { type CreateImportBody, MAX_UPLOAD_BYTES } from '../../schemas/imports.ts';
import type { CertificateRecord } from '../domain/certificate.ts';
import type { PersonRecord } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, DomainError, InvalidRequest, NotFound } from '../shared/errors.ts';
import { hashIdNumber, maskName } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import { type LedgerField, mapColumns, REQUIRED_FIELDS, TEMPLATE_HEADERS } from './ledger-columns.ts';
import { MAX_LEDGER_ROWS, readLedger, UnreadableLedger } from './ledger-file.ts';
import { type LedgerRow, type ParsedRow, parseLedgerRow } from './ledger-row.ts';

export const IMPORT_OUTCOMES = ['created', 'updated', 'unchanged', 'refused'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface ImportProblem {
  field: string;
  column?: string;
  code: string;
}

export interface ImportRowResult {
  row: number;
  outcome: ImportOutcome;
  problems?: ImportProblem[];
  nameMasked?: string;
  personId?: string;
  certificateId?: string;
}

export interface ImportMeta {
  importId: string;
  format: 'csv' | 'xlsx';
  fileName?: string;
  status: 'processing' | 'completed';
  total: number;
  processed: number;
  counts: Record<ImportOutcome, number>;
  startedAt: string;
  finishedAt?: string;
  createdBy: string;
}

/** The import's records: its progress and one result per row, each counted once. */
export interface ImportStore {
  /**
   * The import with the rows refused on reading, counted; completed at once when nothing is
   * left. With an idempotency key, the key is taken in the same write (Conflict if taken).
   */
  start(
    principal: Principal,
    meta: ImportMeta,
    refused: ImportRowResult[],
    requestId: string,
    idempotency?: { key: string; bodyHash: string },
  ): Promise<void>;
  /** The import an idempotency key started, with the hash of the body it came with. */
  byIdempotencyKey(
    tenantId: string,
    key: string,
  ): Promise<{ importId: string; bodyHash: string } | undefined>;
  get(tenantId: string, importId: string): Promise<ImportMeta | undefined>;
  /** Which of these rows already have their result (a redelivered chunk skips them). */
  done(tenantId: string, importId: string, rows: number[]): Promise<Set<number>>;
  /** Records a row's result and counts it, once. */
  record(tenantId: string, importId: string, result: ImportRowResult): Promise<void>;
  /** Completes the import once every row has its result (idempotent). */
  finishIfDone(tenantId: string, importId: string, now: Date): Promise<void>;
  rows(
    tenantId: string,
    importId: string,
    query: { outcome?: ImportOutcome; limit: number; cursor?: string },
  ): Promise<{ items: ImportRowResult[]; nextCursor?: string }>;
}

/** Rows per work message: each row is a handful of small transactions. */
export const ROWS_PER_CHUNK = 25;

export interface Chunk {
  tenantId: string;
  importId: string;
  principal: Principal;
  rows: LedgerRow[];
}

export interface References {
  sites: { siteId: string; code: string; name: string }[];
  subcontractors: { subcontractorId: string; name: string; unifiedSocialCreditCode: string }[];
}

export interface ImportDeps {
  imports: ImportStore;
  references: (tenantId: string) => Promise<References>;
  findByIdHash: (tenantId: string, idHash: string) => Promise<PersonRecord | undefined>;
  idHashKey: () => Promise<string>;
  queueChunks: (chunks: Chunk[]) => Promise<void>;
  /** Ledger files uploaded through a presigned PUT (over 5 MB). */
  uploads: {
    url(key: string, contentType: string, bytes: number, expiresInSeconds: number): Promise<string>;
    read(key: string): Promise<Buffer | undefined>;
  };
  clock: Clock;
}

const refusal = (field: string, code: string) =>
  new InvalidRequest('validation_failed', [{ field, code: code as never, message: code }]);

/** A site named by its code or its name; a subcontractor by its name or credit code. */
export function resolve(
  refs: References,
  row: LedgerRow,
): { siteId?: string; subcontractorId?: string; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const { site, subcontractor } = row.person;
  const key = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const siteId = site
    ? refs.sites.find((s) => key(s.code) === key(site) || key(s.name) === key(site))?.siteId
    : undefined;
  if (site && !siteId)
    problems.push({ field: 'site', column: TEMPLATE_HEADERS.site, code: 'ledger_site_unknown' });
  const subcontractorId = subcontractor
    ? refs.subcontractors.find(
        (s) => key(s.name) === key(subcontractor) || key(s.unifiedSocialCreditCode) === key(subcontractor),
      )?.subcontractorId
    : undefined;
  if (subcontractor && !subcontractorId)
    problems.push({
      field: 'subcontractor',
      column: TEMPLATE_HEADERS.subcontractor,
      code: 'subcontractor_unknown',
    });
  return { ...(siteId ? { siteId } : {}), ...(subcontractorId ? { subcontractorId } : {}), problems };
}

/** The file read and every row checked: the same for a dry run and an import. */
async function readRows(body: CreateImportBody, content: string, refs: References): Promise<ParsedRow[]> {
  let table: Awaited<ReturnType<typeof readLedger>>;
  try {
    table = await readLedger(body.format, content);
  } catch (error) {
    if (error instanceof UnreadableLedger) throw refusal('content', 'ledger_unreadable');
    throw error;
  }
  if (table.tooMany)
    throw new InvalidRequest('validation_failed', [
      { field: 'content', code: 'too_many_rows', message: 'too_many_rows', params: { max: MAX_LEDGER_ROWS } },
    ]);
  if (table.rows.length === 0 && table.unreadable.length === 0) throw refusal('content', 'no_rows');
  const map = mapColumns(table.header, (body.mapping ?? {}) as Record<string, LedgerField>);
  const missing = REQUIRED_FIELDS.filter((f) => map.columns[f] === undefined);
  if (missing.length)
    throw new InvalidRequest('validation_failed', [
      {
        field: 'content',
        code: 'ledger_columns_missing',
        message: 'ledger_columns_missing',
        params: { columns: missing.map((f) => TEMPLATE_HEADERS[f]).join(', ') },
      },
    ]);
  const rows: ParsedRow[] = [];
  let previous: LedgerRow['person'] | undefined;
  for (const { n, cells } of table.rows) {
    const parsed = parseLedgerRow(n, cells, map, previous);
    if ('ok' in parsed) {
      previous = parsed.ok.person;
      const refsFound = resolve(refs, parsed.ok);
      if (refsFound.problems.length) {
        rows.push({
          row: n,
          problems: refsFound.problems as never,
          nameMasked: maskName(parsed.ok.person.name),
        });
        continue;
      }
    } else previous = undefined;
    rows.push(parsed);
  }
  for (const n of table.unreadable)
    rows.push({ row: n, problems: [{ field: 'name', column: '', code: 'row_unreadable' as never }] });
  return rows.sort((a, b) => a.row - b.row);
}

const refusedResult = (r: Extract<ParsedRow, { problems: unknown }>): ImportRowResult => ({
  row: r.row,
  outcome: 'refused',
  problems: r.problems,
  ...(r.nameMasked ? { nameMasked: r.nameMasked } : {}),
});

export interface DryRunReport {
  dryRun: true;
  total: number;
  counts: { create: number; update: number; refused: number };
  refused: ImportRowResult[];
}

/** The file's text (CSV) or base64 (XLSX): inline, or read from the caller's own upload. */
async function contentOf(deps: ImportDeps, principal: Principal, body: CreateImportBody): Promise<string> {
  if (body.content !== undefined) return body.content;
  const key = body.uploadKey ?? '';
  // Another tenant's key reads like one never uploaded.
  if (!key.startsWith(uploadPrefix(principal.tenantId))) throw new NotFound('upload_not_found');
  const bytes = await deps.uploads.read(key);
  if (!bytes) throw new NotFound('upload_not_found');
  // The presigned PUT admits the declared size only; checked here too (an emulator does not).
  if (bytes.length > MAX_UPLOAD_BYTES) throw refusal('uploadKey', 'upload_too_large');
  return body.format === 'xlsx' ? bytes.toString('base64') : bytes.toString('utf8');
}

export const uploadPrefix = (tenantId: string) => `imports/t/${tenantId}/`;
export const UPLOAD_URL_SECONDS = 900;

/** A presigned PUT for a ledger file of exactly `bytes` (over 5 MB: the API takes no more inline). */
export async function createUpload(
  deps: Pick<ImportDeps, 'uploads' | 'clock'>,
  principal: Principal,
  body: { format: 'csv' | 'xlsx'; bytes: number },
) {
  authorize(principal, 'import:create');
  const uploadKey = `${uploadPrefix(principal.tenantId)}${newId('upl')}.${body.format}`;
  const contentType = body.format === 'xlsx' ? XLSX_TYPE : 'text/csv';
  return {
    uploadKey,
    url: await deps.uploads.url(uploadKey, contentType, body.bytes, UPLOAD_URL_SECONDS),
    method: 'PUT' as const,
    headers: { 'content-type': contentType },
    expiresAt: new Date(deps.clock.now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function startImport(
  deps: ImportDeps,
  principal: Principal,
  body: CreateImportBody,
  requestId: string,
  idempotencyKey?: string,
): Promise<ImportMeta | DryRunReport> {
  authorize(principal, 'import:create');
  // A retried POST with the same key and body answers the import it started, once.
  const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  if (idempotencyKey && !body.dryRun) {
    const earlier = await deps.imports.byIdempotencyKey(principal.tenantId, idempotencyKey);
    if (earlier && earlier.bodyHash !== bodyHash) throw new Conflict('idempotency_key_reused');
    if (earlier) {
      const meta = await deps.imports.get(principal.tenantId, earlier.importId);
      if (meta) return meta;
    }
  }
  const refs = await deps.references(principal.tenantId);
  const rows = await readRows(body, await contentOf(deps, principal, body), refs);
  const refused = rows.flatMap((r) => ('problems' in r ? [refusedResult(r)] : []));
  const good = rows.flatMap((r) => ('ok' in r ? [r.ok] : []));
  if (body.dryRun) {
    // What it would do: who is new, who is known (by the keyed hash of the ID number).
    const key = await deps.idHashKey();
    const known = new Set<string>();
    let create = 0;
    for (const r of good) {
      const hash = hashIdNumber(r.person.idNumber, key);
      if (known.has(hash)) continue;
      known.add(hash);
      if (await deps.findByIdHash(principal.tenantId, hash)) continue;
      create += 1;
    }
    return {
      dryRun: true,
      total: rows.length,
      counts: { create, update: good.length - create, refused: refused.length },
      refused,
    };
  }
  const now = deps.clock.now().toISOString();
  const meta: ImportMeta = {
    importId: newId('imp'),
    format: body.format,
    ...(body.fileName ? { fileName: body.fileName } : {}),
    status: good.length ? 'processing' : 'completed',
    total: rows.length,
    processed: refused.length,
    counts: { created: 0, updated: 0, unchanged: 0, refused: refused.length },
    startedAt: now,
    ...(good.length ? {} : { finishedAt: now }),
    createdBy: principal.subject,
  };
  await deps.imports.start(
    principal,
    meta,
    refused,
    requestId,
    idempotencyKey ? { key: idempotencyKey, bodyHash } : undefined,
  );
  await deps.queueChunks(
    chunksOf(samePersonTogether(good)).map((rows) => ({
      tenantId: principal.tenantId,
      importId: meta.importId,
      principal,
      rows,
    })),
  );
  return meta;
}

/** Rows grouped by person (first appearance order): one person's rows are written in order, by one worker. */
export function samePersonTogether(rows: LedgerRow[]): LedgerRow[][] {
  const groups = new Map<string, LedgerRow[]>();
  for (const r of rows) {
    const group = groups.get(r.person.idNumber);
    if (group) group.push(r);
    else groups.set(r.person.idNumber, [r]);
  }
  return [...groups.values()];
}

/** Chunks of at most ROWS_PER_CHUNK rows that never split a person's rows (unless one has more). */
export function chunksOf(groups: LedgerRow[][]): LedgerRow[][] {
  const chunks: LedgerRow[][] = [];
  let current: LedgerRow[] = [];
  for (const group of groups) {
    for (let i = 0; i < group.length; i += ROWS_PER_CHUNK) {
      const part = group.slice(i, i + ROWS_PER_CHUNK);
      if (current.length + part.length > ROWS_PER_CHUNK) {
        chunks.push(current);
        current = [];
      }
      current.push(...part);
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** How long is left, from the pace so far (seconds); undefined before the first row or after the last. */
export function etaSeconds(meta: ImportMeta, now: Date): number | undefined {
  if (meta.status === 'completed' || meta.processed === 0) return undefined;
  const elapsed = (now.getTime() - Date.parse(meta.startedAt)) / 1000;
  return Math.ceil((elapsed / meta.processed) * (meta.total - meta.processed));
}

// ---- The worker's side: one chunk of rows written through the product's use cases ----

export interface LedgerWrites {
  findByIdHash: (tenantId: string, idHash: string) => Promise<PersonRecord | undefined>;
  /** Many people at once by ID-number hash (a chunk's first look-up): hash → person. */
  peopleByIdHash: (tenantId: string, idHashes: string[]) => Promise<Map<string, PersonRecord>>;
  idHashKey: () => Promise<string>;
  references: (tenantId: string) => Promise<References>;
  register: (principal: Principal, body: Record<string, unknown>, requestId: string) => Promise<PersonRecord>;
  correct: (
    principal: Principal,
    personId: string,
    changes: Record<string, unknown>,
    version: number,
    requestId: string,
  ) => Promise<PersonRecord>;
  certificatesOf: (tenantId: string, personId: string) => Promise<CertificateRecord[]>;
  hashNumber: (number: string) => Promise<string>;
  enterCertificate: (
    principal: Principal,
    personId: string,
    body: Record<string, unknown>,
    requestId: string,
  ) => Promise<CertificateRecord>;
  correctCertificate: (
    principal: Principal,
    personId: string,
    certificateId: string,
    changes: Record<string, unknown>,
    version: number,
    requestId: string,
  ) => Promise<CertificateRecord>;
  badgeHolder: (tenantId: string, badgeUid: string) => Promise<string | undefined>;
  /** The holders of many badges at once: uid → personId. */
  badgeHolders: (tenantId: string, badgeUids: string[]) => Promise<Map<string, string>>;
  /** Binds a badge this row has just seen unheld; refused (409) if someone bound it since. */
  bindBadge: (principal: Principal, personId: string, badgeUid: string, requestId: string) => Promise<void>;
  imports: Pick<ImportStore, 'done' | 'record' | 'finishIfDone'>;
  clock: Clock;
}

/** A domain refusal of a row (a rule of the product), as the row's problems. */
function problemsOf(error: DomainError): ImportProblem[] {
  if (error instanceof InvalidRequest && error.fieldErrors.length)
    return error.fieldErrors.map((f) => ({ field: f.field, code: f.code }));
  return [{ field: 'row', code: error.detailCode }];
}

/**
 * What a chunk read at once, so that a row does not read it again (issue 28: requests per
 * row). `people`: by ID-number hash, null for nobody; taken by the person's first row, since
 * that row changes them and their next rows read afresh. `holders`: each badge's holder
 * (null: none), kept current as the chunk binds badges, a badge claimed before its binding
 * is written, so two people of one chunk never both take it.
 */
export interface ChunkLookups {
  people: Map<string, PersonRecord | null>;
  holders: Map<string, string | null>;
}

/** The chunk's people and badge holders, each in one batched read. */
async function lookUp(w: LedgerWrites, tenantId: string, rows: LedgerRow[]): Promise<ChunkLookups> {
  const key = await w.idHashKey();
  const hashes = [...new Set(rows.map((r) => hashIdNumber(r.person.idNumber, key)))];
  const uids = [...new Set(rows.flatMap((r) => (r.badgeUid ? [r.badgeUid] : [])))];
  const [people, holders] = await Promise.all([
    hashes.length ? w.peopleByIdHash(tenantId, hashes) : new Map<string, PersonRecord>(),
    uids.length ? w.badgeHolders(tenantId, uids) : new Map<string, string>(),
  ]);
  return {
    people: new Map(hashes.map((h) => [h, people.get(h) ?? null])),
    holders: new Map(uids.map((u) => [u, holders.get(u) ?? null])),
  };
}

/** Writes one row: the person (created or corrected), then the certificate, then the badge. */
export async function applyRow(
  w: LedgerWrites,
  principal: Principal,
  row: LedgerRow,
  refs: References,
  requestId: string,
  seen?: ChunkLookups,
): Promise<ImportRowResult> {
  const tenantId = principal.tenantId;
  const { siteId, subcontractorId } = resolve(refs, row);
  const p = row.person;
  const employer = subcontractorId ? { type: 'subcontractor', subcontractorId } : undefined;
  const idHash = hashIdNumber(p.idNumber, await w.idHashKey());
  const known = seen?.people.get(idHash);
  seen?.people.delete(idHash);
  let existing = known === undefined ? await w.findByIdHash(tenantId, idHash) : (known ?? undefined);
  let outcome: ImportOutcome = 'unchanged';
  if (!existing) {
    try {
      const created = await w.register(
        principal,
        {
          name: p.name,
          idNumber: p.idNumber,
          ...(p.phone ? { phone: p.phone } : {}),
          ...(p.employeeId ? { employeeId: p.employeeId } : {}),
          ...(siteId ? { homeSiteId: siteId } : {}),
          ...(employer ? { employer } : {}),
        },
        requestId,
      );
      return await withCertificateAndBadge(w, principal, row, created, 'created', requestId, seen);
    } catch (error) {
      // Registered a moment ago by another chunk (the person's lines far apart in the file):
      // then this row corrects them, as if they had been there.
      if (!(error instanceof Conflict && error.detailCode === 'id_number_taken')) throw error;
      existing = await w.findByIdHash(tenantId, idHash);
      if (!existing) throw error;
    }
  }
  let person = existing;
  const changes: Record<string, unknown> = {
    ...(p.name !== existing.name ? { name: p.name } : {}),
    ...(p.phone && p.phone !== existing.phone ? { phone: p.phone } : {}),
    ...(p.employeeId && p.employeeId !== existing.employeeId ? { employeeId: p.employeeId } : {}),
    ...(siteId && siteId !== existing.homeSiteId ? { homeSiteId: siteId } : {}),
    ...(employer && subcontractorId !== existing.employer.subcontractorId ? { employer } : {}),
  };
  if (Object.keys(changes).length) {
    person = await w.correct(principal, existing.personId, changes, existing.version, requestId);
    outcome = 'updated';
  }
  return withCertificateAndBadge(w, principal, row, person, outcome, requestId, seen);
}

/** The row's certificate and badge for the person it names (created or found). */
async function withCertificateAndBadge(
  w: LedgerWrites,
  principal: Principal,
  row: LedgerRow,
  person: PersonRecord,
  personOutcome: ImportOutcome,
  requestId: string,
  seen?: ChunkLookups,
): Promise<ImportRowResult> {
  const tenantId = principal.tenantId;
  const p = row.person;
  let outcome = personOutcome;
  let certificateId: string | undefined;
  if (row.certificate) {
    const c = row.certificate;
    const numberHash = await w.hashNumber(c.number);
    // A person created by this row holds no certificate yet.
    const held =
      personOutcome === 'created'
        ? undefined
        : (await w.certificatesOf(tenantId, person.personId)).find(
            (x) => x.numberHash === numberHash && x.scheme === c.scheme,
          );
    if (!held) {
      const entered = await w.enterCertificate(
        principal,
        person.personId,
        {
          scheme: c.scheme,
          category: c.category,
          ...(c.subType ? { subType: c.subType } : {}),
          number: c.number,
          issuedOn: c.issuedOn,
          expiresOn: c.expiresOn,
          ...(c.reviewDueOn ? { reviewDueOn: c.reviewDueOn } : {}),
        },
        requestId,
      );
      certificateId = entered.certificateId;
      if (outcome === 'unchanged') outcome = 'updated';
    } else {
      certificateId = held.certificateId;
      const changes: Record<string, unknown> = {
        ...(c.issuedOn !== held.issuedOn ? { issuedOn: c.issuedOn } : {}),
        ...(c.expiresOn !== held.expiresOn ? { expiresOn: c.expiresOn } : {}),
        ...(c.reviewDueOn && c.reviewDueOn !== held.reviewDueOn ? { reviewDueOn: c.reviewDueOn } : {}),
      };
      if (Object.keys(changes).length) {
        await w.correctCertificate(
          principal,
          person.personId,
          held.certificateId,
          changes,
          held.version ?? 1,
          requestId,
        );
        if (outcome === 'unchanged') outcome = 'updated';
      }
    }
  }
  if (row.badgeUid) {
    const uid = row.badgeUid;
    const claimed = seen?.holders.get(uid);
    const holder = claimed === undefined ? await w.badgeHolder(tenantId, uid) : (claimed ?? undefined);
    if (holder && holder !== person.personId)
      return {
        row: row.row,
        outcome: outcome === 'unchanged' ? 'refused' : outcome,
        problems: [{ field: 'badgeUid', column: TEMPLATE_HEADERS.badgeUid, code: 'badge_held_by_another' }],
        nameMasked: maskName(p.name),
        personId: person.personId,
        ...(certificateId ? { certificateId } : {}),
      };
    if (!holder) {
      seen?.holders.set(uid, person.personId);
      try {
        await w.bindBadge(principal, person.personId, uid, requestId);
      } catch (error) {
        seen?.holders.delete(uid); // unknown again: the next row reads it
        throw error;
      }
      if (outcome === 'unchanged') outcome = 'updated';
    }
  }
  return {
    row: row.row,
    outcome,
    nameMasked: maskName(p.name),
    personId: person.personId,
    ...(certificateId ? { certificateId } : {}),
  };
}

/** People written at once within a chunk (each person's rows in order). */
export const PEOPLE_IN_PARALLEL = 8;

/**
 * One chunk: rows already recorded are skipped (a redelivery resumes where it stopped).
 * Different people are written side by side; one person's rows one after the other.
 */
export async function processChunk(w: LedgerWrites, chunk: Chunk, requestId: string): Promise<void> {
  const { tenantId, importId } = chunk;
  const done = await w.imports.done(
    tenantId,
    importId,
    chunk.rows.map((r) => r.row),
  );
  const refs = await w.references(tenantId);
  const pending = chunk.rows.filter((r) => !done.has(r.row));
  const seen = await lookUp(w, tenantId, pending);
  const queue = samePersonTogether(pending);
  const lane = async () => {
    for (let group = queue.shift(); group; group = queue.shift())
      for (const row of group) await processRow(w, chunk, row, refs, requestId, seen);
  };
  await Promise.all(Array.from({ length: PEOPLE_IN_PARALLEL }, lane));
  await w.imports.finishIfDone(tenantId, importId, w.clock.now());
}

async function processRow(
  w: LedgerWrites,
  chunk: Chunk,
  row: LedgerRow,
  refs: References,
  requestId: string,
  seen: ChunkLookups,
) {
  let result: ImportRowResult;
  try {
    result = await applyRow(w, chunk.principal, row, refs, `${requestId}:${row.row}`, seen);
  } catch (error) {
    // A rule of the product refused the row (a MEM number not matching, a category
    // unknown…): the row is refused with that reason. Anything else (a stalled database)
    // fails the chunk, which is retried and resumes here.
    if (!(error instanceof DomainError) || error.status >= 500 || error.status === 429) throw error;
    result = {
      row: row.row,
      outcome: 'refused',
      problems: problemsOf(error),
      nameMasked: maskName(row.person.name),
    };
  }
  await w.imports.record(chunk.tenantId, chunk.importId, result);
}
