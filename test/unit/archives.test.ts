// The regulator's file (E3) against fakes: what a document may be and how it is uploaded,
// the manifest's format, an archive built from its ports (records, documents inline up to the
// budget, progress, a failure recorded), and what a shared link opens or refuses.
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  type ArchiveDeps,
  type ArchiveRecord,
  archiveExpired,
  archiveExpiresOn,
  buildArchive,
  findArchive,
  manifestOf,
  openShare,
  percentOf,
  type Share,
  shareArchive,
} from '../../functions/archives/archives.ts';
import { ARCHIVE_KEEP_DAYS, partPlan, refuseDocument } from '../../functions/archives/document-kinds.ts';
import { type DocumentRecord, safeFileName } from '../../functions/archives/documents.ts';
import type { PersonRecord } from '../../functions/domain/person.ts';
import { callerIn, TestClock } from '../support/fakes.ts';

const MB = 1024 * 1024;

describe('what a document may be', () => {
  it.each([
    ['training_record', 'application/pdf', 1, null],
    ['training_record', 'image/png', 50 * MB, null],
    ['training_record', 'application/pdf', 50 * MB + 1, 'document_too_large'],
    ['training_record', 'video/mp4', 10, 'document_type_not_allowed'],
    ['exam_video', 'video/mp4', 2048 * MB, null],
    ['exam_video', 'video/mp4', 2048 * MB + 1, 'document_too_large'],
    ['exam_video', 'application/pdf', 10, 'document_type_not_allowed'],
    ['medical_report', 'application/pdf', 20 * MB + 1, 'document_too_large'],
    ['medical_report', 'text/html', 10, 'document_type_not_allowed'],
    ['practical_score', 'image/jpeg', 0, 'document_too_large'],
  ] as const)('%s %s %d bytes → %s', (kind, type, bytes, refusal) => {
    expect(refuseDocument(kind, type, bytes)).toBe(refusal);
  });

  it.each([
    [64 * MB, undefined],
    [64 * MB + 1, { partSize: 64 * MB, parts: 2 }],
    [2048 * MB, { partSize: 64 * MB, parts: 32 }],
  ])('%d bytes uploads as %j', (bytes, plan) => {
    expect(partPlan(bytes)).toEqual(plan);
  });

  it.each([
    ['../../etc/passwd', '__.._etc_passwd'],
    ['证书\u202e.pdf', '证书.pdf'],
    ['', 'file'],
    ['a/b\\c.pdf', 'a_b_c.pdf'],
  ])('keeps %j as %j', (name, kept) => {
    expect(safeFileName(name)).toBe(kept);
  });
});

describe('the manifest and the progress', () => {
  it('is what sha256sum -c reads: the hash, two spaces, the path, sorted, one per line', () => {
    const entries = { 'b.txt': new TextEncoder().encode('b'), 'a/a.json': new TextEncoder().encode('[]') };
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(manifestOf(entries)).toBe(`${sha('[]')}  a/a.json\n${sha('b')}  b.txt\n`);
  });

  it.each([
    [{ state: 'queued', processed: 0, total: 0 }, 0],
    [{ state: 'building', processed: 250, total: 500 }, 50],
    [{ state: 'building', processed: 500, total: 500 }, 99],
    [{ state: 'ready', processed: 500, total: 500 }, 100],
  ] as const)('%j → %d %', (a, percent) => {
    expect(percentOf(a)).toBe(percent);
  });
});

const person = (personId: string, name: string): PersonRecord =>
  ({
    tenantId: 'acme',
    personId,
    name,
    idNumberMasked: '3301**********0011',
    employer: { type: 'own' },
    homeSiteId: 'site_A',
    status: { color: 'green', reasons: [] },
  }) as unknown as PersonRecord;

function world(options: { docBytes?: number; failPdf?: boolean } = {}) {
  const archives = new Map<string, ArchiveRecord>();
  const updates: ArchiveRecord[] = [];
  const shares = new Map<string, Share>();
  const files = new Map<string, Uint8Array>();
  const people = [person('per_1', '王一'), person('per_2', '李二')];
  const doc: DocumentRecord = {
    documentId: 'doc_1',
    tenantId: 'acme',
    personId: 'per_1',
    kind: 'exam_video',
    title: '考试视频',
    fileName: 'exam.mp4',
    contentType: 'video/mp4',
    bytes: options.docBytes ?? 4,
    key: 'records/doc_1',
    state: 'stored',
    createdAt: 'x',
    createdBy: 'u',
  };
  files.set(doc.key, new Uint8Array(4));
  const deps: ArchiveDeps = {
    archives: {
      create: async (_a, a) => void archives.set(a.archiveId, a),
      get: async (_t, id) => archives.get(id),
      update: async (a) => {
        archives.set(a.archiveId, a);
        updates.push(a);
      },
      createShare: async (_a, s) => void shares.set(s.tokenHash, s),
      shares: async () => [...shares.values()],
      shareByToken: async (h) => shares.get(h),
      revokeShare: async (_a, s) => void shares.set(s.tokenHash, s),
      auditAccess: async () => {},
    },
    documents: {
      list: async (_t, p) =>
        p === 'per_1' ? [doc, { ...doc, documentId: 'doc_2', state: 'uploading' }] : [],
    },
    files: {
      get: async (k: string) => (files.has(k) ? Buffer.from(files.get(k) as Uint8Array) : undefined),
      put: async (k: string, b: Uint8Array) => void files.set(k, b),
      readUrl: async (k: string) => `https://s3.example/${k}`,
    } as never,
    people: { get: async (_t: string, id: string) => people.find((p) => p.personId === id) } as never,
    recordsOf: async (_t, p) => ({
      profile: [{ personId: p }],
      certificates: [{ category: 'N1', scheme: 'SAMR' }],
    }),
    peopleOfSite: async () => people,
    siteName: async (_t, id) => (id === 'site_A' ? '石化' : undefined),
    queueBuild: async () => {},
    auditExport: async () => ({ records: [], seals: [], keys: [] }),
    renderIndexPdf: async () => {
      if (options.failPdf) throw new Error('font missing');
      return new TextEncoder().encode('%PDF-1.7');
    },
    clock: new TestClock('2027-01-02T02:00:00Z'),
  };
  const queued: ArchiveRecord = {
    archiveId: 'arc_1',
    tenantId: 'acme',
    scope: 'site',
    subjectId: 'site_A',
    subjectName: '石化',
    state: 'queued',
    total: 0,
    processed: 0,
    createdAt: '2027-01-02T02:00:00.000Z',
    createdBy: 'admin',
  };
  archives.set('arc_1', queued);
  return { deps, archives, updates, files, shares };
}

describe('building an archive (use case, fakes)', () => {
  it('puts every person’s records and stored documents in the ZIP, with the index and the manifest', async () => {
    const w = world();
    const built = await buildArchive(w.deps, 'acme', 'arc_1');
    expect(built).toMatchObject({ state: 'ready', total: 2, processed: 2, files: 9 });
    expect(w.updates[0]).toMatchObject({ state: 'building', total: 2 });
    const zip = unzipSync(w.files.get('archives/t/acme/arc_1.zip') as Uint8Array);
    expect(Object.keys(zip).sort()).toEqual([
      'README.txt',
      'index.json',
      'index.pdf',
      'manifest.sha256',
      'people/per_1/documents/doc_1-exam.mp4',
      'people/per_1/records/certificates.json',
      'people/per_1/records/profile.json',
      'people/per_2/records/certificates.json',
      'people/per_2/records/profile.json',
    ]);
    const manifest = new TextDecoder().decode(zip['manifest.sha256']);
    expect(manifest.trim().split('\n')).toHaveLength(8);
    const index = JSON.parse(new TextDecoder().decode(zip['index.json']));
    expect(index.people.map((p: { name: string }) => p.name)).toEqual(['李二', '王一']);
    expect(index.people[1].documents).toEqual([
      { documentId: 'doc_1', kind: 'exam_video', title: '考试视频', bytes: 4, inArchive: true },
    ]);
    // Built once: asked again, it is left alone.
    expect((await buildArchive(w.deps, 'acme', 'arc_1'))?.sha256).toBe(built?.sha256);
  });

  it('lists a document over the inline budget instead of carrying it', async () => {
    const w = world({ docBytes: 300 * MB });
    await buildArchive(w.deps, 'acme', 'arc_1');
    const zip = unzipSync(w.files.get('archives/t/acme/arc_1.zip') as Uint8Array);
    expect(Object.keys(zip).some((k) => k.includes('/documents/'))).toBe(false);
    const index = JSON.parse(new TextDecoder().decode(zip['index.json']));
    expect(index.people[1].documents[0]).toMatchObject({ documentId: 'doc_1', inArchive: false });
  });

  it('records a failure on the archive', async () => {
    const w = world({ failPdf: true });
    await expect(buildArchive(w.deps, 'acme', 'arc_1')).rejects.toThrow('font missing');
    expect(w.archives.get('arc_1')).toMatchObject({ state: 'failed', failure: 'Error' });
  });
});

describe('a shared link (use case, fakes)', () => {
  const admin = callerIn('acme')('group_admin');

  it('is refused before the archive is ready, and outside 15 minutes … 30 days', async () => {
    const w = world();
    await expect(shareArchive(w.deps, admin, 'arc_1', { expiresIn: 3600 }, 'r')).rejects.toMatchObject({
      status: 409,
    });
    await buildArchive(w.deps, 'acme', 'arc_1');
    for (const expiresIn of [899, 30 * 24 * 3600 + 1])
      await expect(shareArchive(w.deps, admin, 'arc_1', { expiresIn }, 'r')).rejects.toMatchObject({
        status: 400,
      });
  });

  it('opens until it expires or is revoked; an unknown or ill-formed token opens nothing', async () => {
    const w = world();
    await buildArchive(w.deps, 'acme', 'arc_1');
    const { token, share } = await shareArchive(w.deps, admin, 'arc_1', { expiresIn: 900 }, 'r');
    expect(await openShare(w.deps, token)).toMatchObject({ archive: { archiveId: 'arc_1' } });
    expect(await openShare(w.deps, 'A'.repeat(43))).toEqual({ refusal: 'unknown' });
    expect(await openShare(w.deps, `${token}x`)).toEqual({ refusal: 'unknown' });
    (w.deps.clock as TestClock).set('2027-01-02T02:15:01Z');
    expect(await openShare(w.deps, token)).toEqual({ refusal: 'expired' });
    w.shares.set(share.tokenHash, { ...share, revokedAt: 'now' });
    expect(await openShare(w.deps, token)).toEqual({ refusal: 'revoked' });
  });

  it('is another site manager’s archive only for that site’s managers', async () => {
    const w = world();
    const elsewhere = callerIn('acme')('site_manager', { siteIds: ['site_B'] });
    await expect(findArchive(w.deps, elsewhere, 'arc_1')).rejects.toMatchObject({ status: 404 });
    const here = callerIn('acme')('site_manager', { siteIds: ['site_A'] });
    await expect(findArchive(w.deps, here, 'arc_1')).resolves.toMatchObject({ archiveId: 'arc_1' });
  });
});

describe('an archive’s last day (the bucket deletes archives/ after 90 days)', () => {
  const admin = callerIn('acme')('group_admin');

  it.each([
    // Requested … (UTC)          offered through (China time)
    ['2027-01-02T02:00:00.000Z', '2027-04-01'],
    // 01:30 in China on the 2nd is still the 1st in UTC: S3 counts from the write, the API from
    // the China day, so the API stops first.
    ['2027-01-01T17:30:00.000Z', '2027-04-01'],
    ['2027-01-01T15:59:59.000Z', '2027-03-31'],
  ])('requested at %s → offered through %s', (createdAt, last) => {
    expect(ARCHIVE_KEEP_DAYS).toBe(90);
    expect(archiveExpiresOn({ createdAt })).toBe(last);
    // S3's earliest deletion: ARCHIVE_KEEP_DAYS days after the write, at a UTC midnight; the
    // last day offered ends (China time) no later than that.
    const earliestDeletion = Date.parse(createdAt) + ARCHIVE_KEEP_DAYS * 86_400_000;
    expect(Date.parse(`${last}T24:00:00+08:00`)).toBeLessThanOrEqual(earliestDeletion + 86_400_000);
    expect(Date.parse(`${last}T16:00:00Z`)).toBeLessThanOrEqual(earliestDeletion);
    expect(archiveExpired({ createdAt }, new Date(`${last}T23:59:00+08:00`))).toBe(false);
    expect(archiveExpired({ createdAt }, new Date(`${last}T24:00:00+08:00`))).toBe(true);
  });

  it('answers 410 once past it, and its shared links open nothing from then on', async () => {
    const w = world();
    await buildArchive(w.deps, 'acme', 'arc_1');
    const clock = w.deps.clock as TestClock;
    clock.set('2027-03-22T02:00:00Z'); // day 80: a 30-day link outlives the archive
    const { token } = await shareArchive(w.deps, admin, 'arc_1', { expiresIn: 30 * 24 * 3600 }, 'r');
    clock.set('2027-04-01T15:59:00Z'); // 23:59 in China on its last day
    await expect(findArchive(w.deps, admin, 'arc_1')).resolves.toMatchObject({ archiveId: 'arc_1' });
    expect(await openShare(w.deps, token)).toMatchObject({ archive: { archiveId: 'arc_1' } });
    clock.set('2027-04-01T16:00:00Z');
    await expect(findArchive(w.deps, admin, 'arc_1')).rejects.toMatchObject({
      status: 410,
      detailCode: 'archive_expired',
    });
    await expect(shareArchive(w.deps, admin, 'arc_1', { expiresIn: 900 }, 'r')).rejects.toMatchObject({
      status: 410,
    });
    expect(await openShare(w.deps, token)).toEqual({ refusal: 'expired' });
  });
});
