// The regulator's file (E3): `POST /archives {scope: person|site, id}` queues an archive; the
// worker builds one ZIP with every record of the scope — per person their records as JSON
// (certificates with history and stamps, status history, violations, check-ins, tickets,
// documents' metadata …), their documents' files, a PDF index in Chinese and
// `manifest.sha256` that `sha256sum -c` accepts — with its progress on the archive record.
// A revocable, time-limited link lets an inspector read it without an account: a page
// listing the records with links to the originals, every view and download audited.
import { createHash, randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { findPerson, type PersonRecord, type PersonRepository } from '../domain/person.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import type { Actor, Principal } from '../shared/auth/principal.ts';
import { addDays, type CalendarDate, daysBetween, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, Gone, InvalidRequest, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { ARCHIVE_KEEP_DAYS, KIND_RULES } from './document-kinds.ts';
import type { DocumentRecord, DocumentStore, RecordFiles } from './documents.ts';

export type ArchiveScope = 'person' | 'site' | 'audit';

export interface ArchiveRecord {
  archiveId: string;
  tenantId: string;
  scope: ArchiveScope;
  subjectId: string;
  /** The site's or person's name as shown on the index. */
  subjectName: string;
  state: 'queued' | 'building' | 'ready' | 'failed';
  total: number;
  processed: number;
  createdAt: string;
  createdBy: string;
  startedAt?: string;
  finishedAt?: string;
  key?: string;
  bytes?: number;
  sha256?: string;
  files?: number;
  failure?: string;
}

export interface Share {
  shareId: string;
  tenantId: string;
  archiveId: string;
  tokenHash: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt?: string;
}

/** The archive's contents as the inspector's page lists them (kept beside the ZIP). */
export interface ArchiveIndex {
  archiveId: string;
  scope: ArchiveScope;
  subjectName: string;
  builtAt: string;
  people: IndexedPerson[];
  /** An audit archive's sealed days. */
  audit?: { day: string; count: number; head: string }[];
}

export interface IndexedPerson {
  personId: string;
  name: string;
  idNumberMasked: string;
  color: string;
  certificates: {
    category: string;
    scheme: string;
    numberMasked?: string;
    issuedOn?: string;
    expiresOn?: string;
    state?: string;
  }[];
  documents: { documentId: string; kind: string; title: string; bytes: number; inArchive: boolean }[];
  counts: Record<string, number>;
}

export interface ArchiveStore {
  create(actor: Actor, archive: ArchiveRecord, requestId: string): Promise<void>;
  get(tenantId: string, archiveId: string): Promise<ArchiveRecord | undefined>;
  /** Progress and outcome (the builder is the only writer after creation). */
  update(archive: ArchiveRecord): Promise<void>;
  createShare(actor: Actor, share: Share, requestId: string): Promise<void>;
  shares(tenantId: string, archiveId: string): Promise<Share[]>;
  shareByToken(tokenHash: string): Promise<Share | undefined>;
  revokeShare(actor: Actor, share: Share, requestId: string): Promise<void>;
  /** An inspector's view or download, audited under the tenant (no account: the share is the actor). */
  auditAccess(
    share: Share,
    action: 'archive.share_view' | 'archive.share_download',
    details: Record<string, unknown>,
  ): Promise<void>;
}

export interface ArchiveDeps {
  archives: ArchiveStore;
  documents: Pick<DocumentStore, 'list'>;
  files: RecordFiles;
  people: PersonRepository;
  /** Every record kept under a person, by kind (the privacy capability's reader). */
  recordsOf(tenantId: string, personId: string): Promise<Record<string, Record<string, unknown>[]>>;
  /** The people whose home is the site, every page. */
  peopleOfSite(tenantId: string, siteId: string): Promise<PersonRecord[]>;
  /** The site's name, undefined when there is no such site. */
  siteName(tenantId: string, siteId: string): Promise<string | undefined>;
  queueBuild(tenantId: string, archiveId: string): Promise<void>;
  /** The tenant's audit records and seals of the days, and the public keys that signed them. */
  auditExport(
    tenantId: string,
    from: CalendarDate,
    to: CalendarDate,
  ): Promise<{
    records: Record<string, unknown>[];
    seals: Record<string, unknown>[];
    keys: Record<string, unknown>[];
  }>;
  /** The PDF index (pdfkit, a CJK font from a package). */
  renderIndexPdf(index: ArchiveIndex): Promise<Uint8Array>;
  clock: Clock;
}

/** The documents an archive carries inline, in all; larger ones are listed and fetched from the page. */
export const MAX_INLINE_BYTES = 256 * 1024 * 1024;
export const SHARE_MIN_SECONDS = 15 * 60;
export const SHARE_MAX_SECONDS = 30 * 24 * 3600;

export async function requestArchive(
  deps: ArchiveDeps,
  principal: Principal,
  body: { scope: ArchiveScope; id?: string; from?: CalendarDate; to?: CalendarDate },
  requestId: string,
): Promise<ArchiveRecord> {
  authorize(principal, 'archive:create');
  let subjectName: string;
  let subjectId = body.id ?? '';
  let total = 1;
  if (body.scope === 'audit') {
    // The whole trail of those days, raw (to be checked offline): those who read the audit trail.
    authorize(principal, 'audit:read');
    const to = body.to ?? addDays(todayInShanghai(deps.clock.now()), -1);
    const from = body.from ?? to;
    if (from > to || daysBetween(from, to) > 30 || to > todayInShanghai(deps.clock.now()))
      throw new InvalidRequest('validation_failed', [
        { field: 'from', code: 'audit_range_invalid', message: 'audit_range_invalid' },
      ]);
    subjectId = `${from}..${to}`;
    subjectName = `审计链 ${from} 至 ${to}`;
  } else if (!body.id) {
    throw new InvalidRequest('validation_failed', [
      { field: 'id', code: 'invalid_type', message: 'required' },
    ]);
  } else if (body.scope === 'site') {
    const name = canSeeSite(principal, body.id)
      ? await deps.siteName(principal.tenantId, body.id)
      : undefined;
    if (!name) throw new NotFound('site_not_found');
    subjectName = name;
    total = 0;
  } else {
    subjectName = (await findPerson(deps.people, principal, body.id)).name;
  }
  const archive: ArchiveRecord = {
    archiveId: newId('arc'),
    tenantId: principal.tenantId,
    scope: body.scope,
    subjectId,
    subjectName,
    state: 'queued',
    total,
    processed: 0,
    createdAt: deps.clock.now().toISOString(),
    createdBy: principal.subject,
  };
  await deps.archives.create(principal, archive, requestId);
  await deps.queueBuild(archive.tenantId, archive.archiveId);
  return archive;
}

/**
 * The last day an archive is offered (China time): its ZIP goes with the bucket's lifecycle
 * rule, which expires an object at the first UTC midnight at least ARCHIVE_KEEP_DAYS days after
 * it was written — no sooner than 00:00 China time that many days after the request's day.
 */
export const archiveExpiresOn = (archive: Pick<ArchiveRecord, 'createdAt'>) =>
  addDays(todayInShanghai(new Date(archive.createdAt)), ARCHIVE_KEEP_DAYS - 1);

/** Whether the bucket may have deleted the archive's ZIP by `now` (the API says so first). */
export const archiveExpired = (archive: Pick<ArchiveRecord, 'createdAt'>, now: Date) =>
  archiveExpiresOn(archive) < todayInShanghai(now);

export async function findArchive(
  deps: Pick<ArchiveDeps, 'archives' | 'clock'>,
  principal: Principal,
  archiveId: string,
) {
  authorize(principal, 'archive:create');
  const archive = await deps.archives.get(principal.tenantId, archiveId);
  // A site manager reads only their sites' archives (and people's they requested).
  if (
    !archive ||
    (principal.role === 'site_manager' &&
      archive.scope === 'site' &&
      !canSeeSite(principal, archive.subjectId)) ||
    (principal.role === 'site_manager' &&
      archive.scope === 'person' &&
      archive.createdBy !== principal.subject)
  )
    throw new NotFound('archive_not_found');
  if (archiveExpired(archive, deps.clock.now())) throw new Gone('archive_expired');
  return archive;
}

export const percentOf = (a: Pick<ArchiveRecord, 'state' | 'processed' | 'total'>) =>
  a.state === 'ready' ? 100 : a.total ? Math.min(99, Math.floor((a.processed / a.total) * 100)) : 0;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `sha256sum -c` format: the hash, two spaces, the path (binary mode not marked). */
export const manifestOf = (entries: Record<string, Uint8Array>) =>
  `${Object.keys(entries)
    .sort()
    .map((path) => `${sha256(entries[path] as Uint8Array)}  ${path}`)
    .join('\n')}\n`;

function indexed(
  person: PersonRecord,
  records: Record<string, Record<string, unknown>[]>,
  docs: IndexedPerson['documents'],
): IndexedPerson {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    personId: person.personId,
    name: person.name,
    idNumberMasked: person.idNumberMasked,
    color: person.status.color,
    certificates: (records.certificates ?? []).map((c) => ({
      category: String(c.category ?? ''),
      scheme: String(c.scheme ?? ''),
      ...(str(c.numberMasked) ? { numberMasked: str(c.numberMasked) } : {}),
      ...(str(c.issuedOn) ? { issuedOn: str(c.issuedOn) } : {}),
      ...(str(c.expiresOn) ? { expiresOn: str(c.expiresOn) } : {}),
      ...(str(c.state) ? { state: str(c.state) } : {}),
    })),
    documents: docs,
    counts: Object.fromEntries(Object.entries(records).map(([k, v]) => [k, v.length])),
  };
}

const README = `特种作业人员电子档案 / Special-operations workers' records

index.pdf           目录（中文）/ the index
index.json          目录（机读）/ the index, machine-readable
people/<id>/records/*.json     每人的记录：证书及其历史与核验、状态历史、违章、进出场、作业票… / each person's records
people/<id>/documents/*        培训记录、考试记录与视频、实操评分表、体检报告 / documents
manifest.sha256     每个文件的 SHA-256；解压后运行 sha256sum -c manifest.sha256 校验 / checksums: run sha256sum -c manifest.sha256
`;

/** Builds the archive (the worker): resumable by rebuilding — a ready archive is left alone. */
export async function buildArchive(deps: ArchiveDeps, tenantId: string, archiveId: string) {
  const archive = await deps.archives.get(tenantId, archiveId);
  if (!archive || archive.state === 'ready') return archive;
  const started = deps.clock.now().toISOString();
  if (archive.scope === 'audit') return buildAuditArchive(deps, archive, started);
  const people =
    archive.scope === 'site'
      ? await deps.peopleOfSite(tenantId, archive.subjectId)
      : [await deps.people.get(tenantId, archive.subjectId)].filter((p): p is PersonRecord => !!p);
  let current: ArchiveRecord = {
    ...archive,
    state: 'building',
    total: people.length,
    processed: 0,
    startedAt: started,
  };
  await deps.archives.update(current);
  try {
    const entries: Record<string, Uint8Array> = { 'README.txt': strToU8(README) };
    const index: ArchiveIndex = {
      archiveId,
      scope: archive.scope,
      subjectName: archive.subjectName,
      builtAt: started,
      people: [],
    };
    let inline = 0;
    const one = async (person: PersonRecord) => {
      const [records, docs] = await Promise.all([
        deps.recordsOf(tenantId, person.personId),
        deps.documents.list(tenantId, person.personId),
      ]);
      const folder = `people/${person.personId}`;
      for (const [kind, items] of Object.entries(records))
        entries[`${folder}/records/${kind}.json`] = strToU8(JSON.stringify(items, null, 2));
      const listed: IndexedPerson['documents'] = [];
      for (const doc of docs.filter((d: DocumentRecord) => d.state === 'stored')) {
        let inArchive = false;
        if (inline + doc.bytes <= MAX_INLINE_BYTES) {
          const bytes = await deps.files.get(doc.key);
          if (bytes) {
            inline += bytes.length;
            entries[`${folder}/documents/${doc.documentId}-${doc.fileName}`] = bytes;
            inArchive = true;
          }
        }
        listed.push({
          documentId: doc.documentId,
          kind: doc.kind,
          title: doc.title,
          bytes: doc.bytes,
          inArchive,
        });
      }
      index.people.push(indexed(person, records, listed));
    };
    // A few people side by side: the reads dominate, each a handful of queries.
    for (let i = 0; i < people.length; i += 8) {
      await Promise.all(people.slice(i, i + 8).map(one));
      current = { ...current, processed: Math.min(people.length, i + 8) };
      if ((i / 8) % 5 === 4) await deps.archives.update(current);
    }
    index.people.sort(
      (a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.personId.localeCompare(b.personId),
    );
    entries['index.json'] = strToU8(JSON.stringify(index, null, 2));
    entries['index.pdf'] = await deps.renderIndexPdf(index);
    entries['manifest.sha256'] = strToU8(manifestOf(entries));
    const zip = zipSync(entries, { level: 6 });
    const key = `archives/t/${tenantId}/${archiveId}.zip`;
    await deps.files.put(key, zip, 'application/zip');
    await deps.files.put(
      `archives/t/${tenantId}/${archiveId}.index.json`,
      entries['index.json'],
      'application/json',
    );
    current = {
      ...current,
      state: 'ready',
      processed: people.length,
      finishedAt: deps.clock.now().toISOString(),
      key,
      bytes: zip.length,
      sha256: sha256(zip),
      files: Object.keys(entries).length,
    };
    await deps.archives.update(current);
    return current;
  } catch (error) {
    await deps.archives.update({ ...current, state: 'failed', failure: (error as Error).name });
    throw error;
  }
}

const AUDIT_README = `审计链档案 / Audit chain archive

audit/records.jsonl  这些天的全部审计记录（每行一条，按日期和序号）/ every audit record of the days, one per line
audit/seals.json     每天的封印：条数、链头、上一天的链头、租户 KMS 密钥的 ES256 签名 / each day's seal
audit/jwks.json      验证签名的公钥 / the public keys that verify the seals
校验 / check:  npm run verify-audit -- <本文件.zip>   (and sha256sum -c manifest.sha256)
`;

async function buildAuditArchive(deps: ArchiveDeps, archive: ArchiveRecord, started: string) {
  const [from, to] = archive.subjectId.split('..') as [CalendarDate, CalendarDate];
  let current: ArchiveRecord = { ...archive, state: 'building', total: 1, processed: 0, startedAt: started };
  await deps.archives.update(current);
  try {
    const { records, seals, keys } = await deps.auditExport(archive.tenantId, from, to);
    const entries: Record<string, Uint8Array> = {
      'README.txt': strToU8(AUDIT_README),
      'audit/records.jsonl': strToU8(
        records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''),
      ),
      'audit/seals.json': strToU8(JSON.stringify(seals, null, 2)),
      'audit/jwks.json': strToU8(JSON.stringify({ keys }, null, 2)),
    };
    const index: ArchiveIndex = {
      archiveId: archive.archiveId,
      scope: 'audit',
      subjectName: archive.subjectName,
      builtAt: started,
      people: [],
      audit: seals.map((s) => ({ day: String(s.day), count: Number(s.count), head: String(s.head) })),
    };
    entries['index.json'] = strToU8(JSON.stringify(index, null, 2));
    entries['index.pdf'] = await deps.renderIndexPdf(index);
    entries['manifest.sha256'] = strToU8(manifestOf(entries));
    return await finish(deps, current, entries, 1);
  } catch (error) {
    current = { ...current, state: 'failed', failure: (error as Error).name };
    await deps.archives.update(current);
    throw error;
  }
}

async function finish(
  deps: ArchiveDeps,
  building: ArchiveRecord,
  entries: Record<string, Uint8Array>,
  processed: number,
) {
  const zip = zipSync(entries, { level: 6 });
  const key = `archives/t/${building.tenantId}/${building.archiveId}.zip`;
  await deps.files.put(key, zip, 'application/zip');
  await deps.files.put(
    key.replace(/\.zip$/, '.index.json'),
    entries['index.json'] as Uint8Array,
    'application/json',
  );
  const done: ArchiveRecord = {
    ...building,
    state: 'ready',
    processed,
    finishedAt: deps.clock.now().toISOString(),
    key,
    bytes: zip.length,
    sha256: sha256(zip),
    files: Object.keys(entries).length,
  };
  await deps.archives.update(done);
  return done;
}

export async function archiveLink(deps: Pick<ArchiveDeps, 'files'>, archive: ArchiveRecord) {
  if (archive.state !== 'ready' || !archive.key) throw new Conflict('archive_not_ready');
  return deps.files.readUrl(archive.key, 300, `${archive.archiveId}.zip`);
}

const tokenHashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A link for an inspector: a random token (only its hash is kept), revocable, expiring. */
export async function shareArchive(
  deps: Pick<ArchiveDeps, 'archives' | 'clock'>,
  principal: Principal,
  archiveId: string,
  body: { expiresIn: number },
  requestId: string,
) {
  authorize(principal, 'archive:share');
  const archive = await findArchive(deps, principal, archiveId);
  if (archive.state !== 'ready') throw new Conflict('archive_not_ready');
  if (body.expiresIn < SHARE_MIN_SECONDS || body.expiresIn > SHARE_MAX_SECONDS)
    throw new InvalidRequest('validation_failed', [
      { field: 'expiresIn', code: 'too_big', message: `${SHARE_MIN_SECONDS}..${SHARE_MAX_SECONDS}` },
    ]);
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const share: Share = {
    shareId: newId('shr'),
    tenantId: principal.tenantId,
    archiveId,
    tokenHash: tokenHashOf(token),
    createdAt: now.toISOString(),
    createdBy: principal.subject,
    expiresAt: new Date(now.getTime() + body.expiresIn * 1000).toISOString(),
  };
  await deps.archives.createShare(principal, share, requestId);
  return { share, token };
}

export async function revokeShare(
  deps: Pick<ArchiveDeps, 'archives' | 'clock'>,
  principal: Principal,
  archiveId: string,
  shareId: string,
  requestId: string,
) {
  authorize(principal, 'archive:share');
  await findArchive(deps, principal, archiveId);
  const share = (await deps.archives.shares(principal.tenantId, archiveId)).find(
    (s) => s.shareId === shareId,
  );
  if (!share) throw new NotFound('share_not_found');
  if (share.revokedAt) return share;
  const revoked = { ...share, revokedAt: deps.clock.now().toISOString() };
  await deps.archives.revokeShare(principal, revoked, requestId);
  return revoked;
}

export type InspectorRefusal = 'unknown' | 'revoked' | 'expired';

/** What a shared link opens, or why it does not (each view audited). */
export async function openShare(
  deps: Pick<ArchiveDeps, 'archives' | 'files' | 'clock'>,
  token: string,
): Promise<{ refusal: InspectorRefusal } | { share: Share; archive: ArchiveRecord; index: ArchiveIndex }> {
  const share = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await deps.archives.shareByToken(tokenHashOf(token))
    : undefined;
  if (!share) return { refusal: 'unknown' };
  if (share.revokedAt) return { refusal: 'revoked' };
  if (Date.parse(share.expiresAt) <= deps.clock.now().getTime()) return { refusal: 'expired' };
  const archive = await deps.archives.get(share.tenantId, share.archiveId);
  // A link may outlive the archive it opens (a 30-day link on the archive's last days).
  if (archive && archiveExpired(archive, deps.clock.now())) return { refusal: 'expired' };
  const raw = archive?.key ? await deps.files.get(archive.key.replace(/\.zip$/, '.index.json')) : undefined;
  if (!archive || !raw) return { refusal: 'unknown' };
  return { share, archive, index: JSON.parse(raw.toString('utf8')) as ArchiveIndex };
}

/** An original behind a shared link: the archive itself or one document, by a short-lived URL. */
export async function sharedFileUrl(
  deps: Pick<ArchiveDeps, 'archives' | 'files' | 'clock' | 'documents'>,
  token: string,
  fileId: string,
): Promise<{ url: string } | { refusal: InspectorRefusal }> {
  const opened = await openShare(deps, token);
  if ('refusal' in opened) return opened;
  const { share, archive, index } = opened;
  let url: string | undefined;
  if (fileId === 'archive.zip' && archive.key)
    url = await deps.files.readUrl(archive.key, 300, `${archive.archiveId}.zip`);
  else {
    const owner = index.people.find((p) => p.documents.some((d) => d.documentId === fileId));
    const doc = owner
      ? (await deps.documents.list(share.tenantId, owner.personId)).find((d) => d.documentId === fileId)
      : undefined;
    if (doc?.state === 'stored') url = await deps.files.readUrl(doc.key, 300, doc.fileName);
  }
  if (!url) return { refusal: 'unknown' };
  await deps.archives.auditAccess(share, 'archive.share_download', { fileId });
  return { url };
}

export const kindName = (kind: string) => KIND_RULES[kind as keyof typeof KIND_RULES]?.zh ?? kind;

/** A kind of record (the archive's records/*.json) as the index names it in Chinese. */
const RECORD_KINDS: Record<string, string> = {
  profile: '基本信息',
  certificates: '证书',
  status_history: '状态历史',
  violations: '违章',
  documents: '档案文件',
  check_ins: '进出场',
  work_tickets: '作业票',
  jobs: '作业记录',
  permits: '跨厂区许可',
  consents: '授权同意',
  admissions: '准入流程',
  notifications: '通知',
  inbox: '消息',
  badges: '工牌',
  bindings: '通知渠道',
  work_history: '作业历史',
  presence: '在场',
  insurance: '保险',
  other: '其他',
};
export const recordKindName = (kind: string) => RECORD_KINDS[kind] ?? kind;
