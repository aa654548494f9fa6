// The regulator's file over the API (E3): documents uploaded whole or in parts (resumed after
// a dropped part), checked against what was declared; a person's and a site's archive built
// by the worker — a ZIP whose manifest `sha256sum -c` accepts, with a Chinese PDF index; a
// shared link to the inspector's page, opened in Debian's Chromium (the Chinese shows: a
// screenshot is kept), its originals audited, and refused once revoked.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RecordFiles } from '../../functions/archives/record-file-store.ts';
import { allAdapters } from '../../functions/composition-root.ts';
import { jobsAdapters, jobsHandler } from '../../functions/jobs/handler.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, allItems, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';
import { dropRecordFiles } from '../support/record-files.ts';

const TENANT = 'archived';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let poller: WorkPoller;
let siteId: string;
let otherSiteId: string;
let personId: string;
const out = mkdtempSync(join(tmpdir(), 'archives-'));

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (
    await admin.post('/sites', { name: '宁波石化基地', code: 'NBSH', location: { lat: 29.9, lng: 121.6 } })
  ).body.siteId;
  otherSiteId = (
    await admin.post('/sites', { name: '舟山码头', code: 'ZSMT', location: { lat: 30.0, lng: 122.1 } })
  ).body.siteId;
  for (const name of ['王建国', '李焊工', '赵电工']) {
    const res = await hr.post('/people', { name, idNumber: newIdNumber(), homeSiteId: siteId });
    expect(res.status).toBe(201);
    await hr.post(`/people/${res.body.personId}/certificates`, samrCertificate(400));
    personId ??= res.body.personId;
  }
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
});
afterAll(async () => {
  await poller?.stop();
  await api.close();
  await dropRecordFiles([`records/t/${TENANT}/`, `archives/t/${TENANT}/`]);
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const pdfBytes = Buffer.from('%PDF-1.4\n% 培训记录\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('documents', () => {
  it('takes a training record by one signed PUT, checked against its declared size', async () => {
    const declared = await hr.post(`/people/${personId}/documents`, {
      kind: 'training_record',
      title: '2026 年度安全培训记录',
      fileName: 'training.pdf',
      contentType: 'application/pdf',
      bytes: pdfBytes.length,
    });
    expect(declared.status).toBe(201);
    expect(declared.body.upload).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
    });
    const put = await fetch(declared.body.upload.url, {
      method: 'PUT',
      headers: declared.body.upload.headers,
      body: pdfBytes,
    });
    expect(put.status).toBe(200);
    const id = declared.body.document.documentId;
    const done = await hr.post(`/people/${personId}/documents/${id}/completion`, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'stored', kind: 'training_record' });
    expect(done.body.keepUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await hr.post(`/people/${personId}/documents/${id}/completion`, {})).status).toBe(409);
    const got = await admin.get(`/people/${personId}/documents/${id}`);
    expect(Buffer.from(await (await fetch(got.body.downloadUrl)).arrayBuffer())).toEqual(pdfBytes);
  });

  it('refuses a wrong type or size up front, and deletes an upload that is not what was declared', async () => {
    const base = { kind: 'medical_report', fileName: 'a.pdf', contentType: 'application/pdf', bytes: 100 };
    expect(
      (await hr.post(`/people/${personId}/documents`, { ...base, contentType: 'text/html' })).status,
    ).toBe(400);
    expect(
      (await hr.post(`/people/${personId}/documents`, { ...base, bytes: 30 * 1024 * 1024 })).status,
    ).toBe(400);
    expect((await hr.post(`/people/${personId}/documents`, { ...base, kind: 'exam_video' })).status).toBe(
      400,
    );
    const declared = await hr.post(`/people/${personId}/documents`, base);
    // The emulator takes any body on a signed PUT (real S3 would refuse the size): completion checks it.
    await fetch(declared.body.upload.url, {
      method: 'PUT',
      headers: declared.body.upload.headers,
      body: 'short',
    });
    const done = await hr.post(
      `/people/${personId}/documents/${declared.body.document.documentId}/completion`,
      {},
    );
    expect(done.status).toBe(422);
    expect(done.body.violations[0]).toMatchObject({ code: 'document_size_mismatch' });
    const other = await api.as({ tenantId: 'archived-other', role: 'group_admin' });
    expect((await other.get(`/people/${personId}/documents`)).status).toBe(404);
  });

  it('takes an exam video in parts, resumed after a dropped part', async () => {
    const partSize = 64 * 1024 * 1024;
    const video = Buffer.alloc(partSize + 4096, 7);
    const declared = await hr.post(`/people/${personId}/documents`, {
      kind: 'exam_video',
      title: '实操考试视频',
      fileName: 'exam.mp4',
      contentType: 'video/mp4',
      bytes: video.length,
    });
    expect(declared.status).toBe(201);
    expect(declared.body.upload).toMatchObject({ partSize, partsDone: [] });
    expect(declared.body.upload.parts).toHaveLength(2);
    const id = declared.body.document.documentId;
    // The first part arrives; the connection drops before the second.
    const first = await fetch(declared.body.upload.parts[0].url, {
      method: 'PUT',
      body: video.subarray(0, partSize),
    });
    expect(first.status).toBe(200);
    const early = await hr.post(`/people/${personId}/documents/${id}/completion`, {});
    expect(early.status).toBe(422);
    expect(early.body.violations[0]).toMatchObject({
      code: 'document_parts_missing',
      detail: { missing: 1 },
    });
    const resumed = await hr.get(`/people/${personId}/documents/${id}/upload`);
    expect(resumed.body.upload.partsDone).toEqual([1]);
    expect(resumed.body.upload.parts.map((p: { partNumber: number }) => p.partNumber)).toEqual([2]);
    await fetch(resumed.body.upload.parts[0].url, { method: 'PUT', body: video.subarray(partSize) });
    const done = await hr.post(`/people/${personId}/documents/${id}/completion`, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'stored', bytes: video.length });
    // The adapter reads S3's NoSuchUpload as "no longer open", so a completion retried after
    // its deadline (503) finds the object instead of failing (test/unit/document-uploads.test.ts).
    const files = new S3RecordFiles(process.env.EVIDENCE_BUCKET as string);
    const key = `records/t/${TENANT}/p/${personId}/${id}`;
    const uploadId = declared.body.upload.uploadId;
    expect(await files.partsDone(key, uploadId)).toBeUndefined();
    await files.completeParts(key, uploadId, [{ partNumber: 1, etag: '"gone"' }]);
    expect(await files.head(key)).toEqual({ bytes: video.length, contentType: 'video/mp4' });
  });
});

describe('archives and the inspector’s page', () => {
  let archiveId: string;
  let zip: Uint8Array;

  it('builds a site’s archive whose manifest sha256sum -c accepts, with a Chinese PDF index', async () => {
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [otherSiteId] });
    expect((await manager.post('/archives', { scope: 'site', id: siteId })).status).toBe(404);
    expect((await hr.post('/archives', { scope: 'site', id: siteId })).status).toBe(403);
    const started = await admin.post('/archives', { scope: 'site', id: siteId });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'queued', subjectName: '宁波石化基地', percent: 0 });
    archiveId = started.body.archiveId;
    const ready = await until(
      async () => (await admin.get(`/archives/${archiveId}`)).body,
      (a) => a.state === 'ready' || a.state === 'failed',
    );
    expect(ready).toMatchObject({ state: 'ready', percent: 100, total: 3, processed: 3 });
    zip = new Uint8Array(await (await fetch(ready.downloadUrl)).arrayBuffer());
    const files = unzipSync(zip);
    const dir = join(out, 'site');
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const checked = execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: dir, encoding: 'utf8' });
    expect(checked.split('\n').filter((l) => l.endsWith(': OK')).length).toBe(Object.keys(files).length - 1);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'index.pdf',
        'index.json',
        'README.txt',
        `people/${personId}/records/certificates.json`,
        `people/${personId}/records/status_history.json`,
      ]),
    );
    expect(
      Object.keys(files).some(
        (f) => f.startsWith(`people/${personId}/documents/`) && f.endsWith('training.pdf'),
      ),
    ).toBe(true);
    const pdf = Buffer.from(files['index.pdf'] as Uint8Array);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes(Buffer.from('NotoSansSC'))).toBe(true);
    const index = JSON.parse(Buffer.from(files['index.json'] as Uint8Array).toString('utf8'));
    expect(index.people.map((p: { name: string }) => p.name).sort()).toEqual(['李焊工', '王建国', '赵电工']);
    // A record changed in the archive no longer checks.
    writeFileSync(join(dir, `people/${personId}/records/certificates.json`), '[]');
    expect(() =>
      execFileSync('sha256sum', ['-c', '--quiet', 'manifest.sha256'], { cwd: dir, stdio: 'pipe' }),
    ).toThrow();
    writeFileSync(join(out, 'index.pdf'), pdf);
  });

  it('shares it with an inspector: a page in a real browser, originals audited, refused once revoked', async () => {
    const shared = await admin.post(`/archives/${archiveId}/share`, { expiresIn: 3600 });
    expect(shared.status).toBe(201);
    expect(shared.body.qrSvg).toContain('<svg');
    expect(shared.body.path).toMatch(/^\/inspect\/[A-Za-z0-9_-]{43}$/);
    const pageUrl = `${api.gateway.url}${shared.body.path}`;
    // The token's item carries epoch seconds for the table's TTL (a day after the link ends)
    // and the link's own time beside them; the page below reads it back.
    const tokenItem = (await allItems()).find(
      (i) => i.entity === 'share-token' && i.shareId === shared.body.shareId,
    );
    expect(shared.body.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(tokenItem?.linkExpiresAt).toBe(shared.body.expiresAt);
    expect(tokenItem?.expiresAt).toBe(Math.ceil(Date.parse(shared.body.expiresAt) / 1000) + 86_400);

    expect(existsSync(CHROMIUM), `Debian's chromium at ${CHROMIUM} (.ci/run installs it)`).toBe(true);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
      const res = await page.goto(pageUrl);
      expect(res?.status()).toBe(200);
      await expect(page.locator('h1').innerText()).resolves.toBe('特种作业人员电子档案');
      const text = await page.locator('body').innerText();
      expect(text).toContain('宁波石化基地');
      expect(text).toContain('王建国');
      expect(text).toContain('2026 年度安全培训记录');
      await page.screenshot({ path: join(out, 'inspector-page.png'), fullPage: true });
      // The document's link goes through us (audited) to the original.
      const href = await page.locator('a', { hasText: '2026 年度安全培训记录' }).getAttribute('href');
      const original = await fetch(`${api.gateway.url}${href}`, { redirect: 'manual' });
      expect(original.status).toBe(302);
      expect(
        Buffer.from(await (await fetch(original.headers.get('location') as string)).arrayBuffer()),
      ).toEqual(pdfBytes);

      expect(
        (await admin.raw('DELETE', `/archives/${archiveId}/share/${shared.body.shareId}`, undefined)).status,
      ).toBe(204);
      const after = await page.goto(pageUrl);
      expect(after?.status()).toBe(410);
      expect(await page.locator('[role=alert]').innerText()).toContain('此链接已被撤销');
      await page.screenshot({ path: join(out, 'inspector-revoked.png') });
      expect((await fetch(`${api.gateway.url}${href}`, { redirect: 'manual' })).status).toBe(410);
      const unknown = await page.goto(`${api.gateway.url}/inspect/${'x'.repeat(43)}`);
      expect(unknown?.status()).toBe(404);
    } finally {
      await browser.close();
    }
    const trail = await admin.get(`/audit?entityId=${archiveId}&limit=50`);
    expect(trail.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining([
        'archive.create',
        'archive.share',
        'archive.share_view',
        'archive.share_download',
        'archive.revoke_share',
      ]),
    );
    console.log(`inspector page screenshots and the PDF index: ${out}`);
  });

  it('builds one person’s archive; another tenant never reads it', async () => {
    const started = await hr.post('/archives', { scope: 'person', id: personId });
    expect(started.status).toBe(403);
    const mine = await admin.post('/archives', { scope: 'person', id: personId });
    expect(mine.status).toBe(202);
    const ready = await until(
      async () => (await admin.get(`/archives/${mine.body.archiveId}`)).body,
      (a) => a.state === 'ready' || a.state === 'failed',
    );
    expect(ready).toMatchObject({ state: 'ready', total: 1, scope: 'person' });
    const other = await api.as({ tenantId: 'archived-other', role: 'group_admin' });
    expect((await other.get(`/archives/${mine.body.archiveId}`)).status).toBe(404);
    expect((await other.post('/archives', { scope: 'person', id: personId })).status).toBe(404);
  });
});

describe('the daily records expiry (against the emulator)', () => {
  it('deletes a document the day after its keepUntil, file and record, audited by the job', async () => {
    const declared = await hr.post(`/people/${personId}/documents`, {
      kind: 'medical_report',
      fileName: 'medical.pdf',
      contentType: 'application/pdf',
      bytes: pdfBytes.length,
    });
    const id = declared.body.document.documentId;
    await fetch(declared.body.upload.url, {
      method: 'PUT',
      headers: declared.body.upload.headers,
      body: pdfBytes,
    });
    const stored = await hr.post(`/people/${personId}/documents/${id}/completion`, {});
    expect(stored.status).toBe(200);
    const keepUntil: string = stored.body.keepUntil;
    const files = new S3RecordFiles(process.env.EVIDENCE_BUCKET as string);
    const key = `records/t/${TENANT}/p/${personId}/${id}`;
    // Run as the deployed jobs function: its table grants are checked (infra/table-access.ts).
    const run = (date: string) =>
      asFunction('jobs', () => jobsHandler(jobsAdapters())({ job: 'records-expiry', date }));
    // Through its keepUntil day it stays (the exam video stored above, kept three years, goes).
    await run(keepUntil);
    expect((await admin.get(`/people/${personId}/documents/${id}`)).status).toBe(200);
    expect(await files.head(key)).toMatchObject({ bytes: pdfBytes.length });
    const dayAfter = new Date(Date.parse(`${keepUntil}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // Every document of this file is past its retention by then: the others go too.
    const { expired } = (await run(dayAfter)) as { expired: number };
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await files.head(key)).toBeUndefined();
    expect((await admin.get(`/people/${personId}/documents/${id}`)).status).toBe(404);
    // Only declarations never completed are left (they hold no file).
    const left = (await admin.get(`/people/${personId}/documents`)).body.items as {
      state: string;
      documentId: string;
    }[];
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((d) => d.state !== 'uploading')).toEqual([]);
    expect(await run(dayAfter)).toMatchObject({ expired: 0, discarded: 0 });
    // Declared more than a week ago (as if): discarded by the next run, and gone from reads.
    const { db, table } = allAdapters();
    const weekAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    for (const d of left)
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.document(TENANT, personId, d.documentId),
          UpdateExpression: 'SET createdAt = :at, gsi4sk = :sk',
          ExpressionAttributeValues: {
            ':at': weekAgo,
            ':sk': keys.documentDeclared(weekAgo, TENANT, personId, d.documentId).gsi4sk,
          },
        }),
      );
    expect(await run(dayAfter)).toMatchObject({ expired: 0, discarded: left.length });
    expect((await admin.get(`/people/${personId}/documents`)).body.items).toEqual([]);
    const trail = await admin.get(`/audit?entityId=${personId}&action=document.expire&limit=50`);
    expect(trail.status).toBe(200);
    expect(trail.body.items).toContainEqual(
      expect.objectContaining({
        action: 'document.expire',
        actionName: '档案文件保存期满删除',
        actor: { subject: 'system:records-expiry', role: 'system' },
        details: { documentId: id, kind: 'medical_report', keepUntil },
      }),
    );
  });
});
