// Importing a ledger over the API (issue 28): a generated ledger with faults → the row report
// (each refusal with its column and reason), the people, certificates and badges written
// through the product's own use cases; the same file again → nothing changes; a dry run
// writes nothing; the template downloads. Rows are written by the worker from the queue.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeRepository } from '../../functions/composition-root.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, allItems, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, today } from '../support/fixtures.ts';
import { generateLedger } from '../support/ledger.ts';
import { captureMetrics } from '../support/metrics.ts';

const TENANT = 'ledger';
let api: TestApi;
let hr: ApiClient;
let poller: WorkPoller;

beforeAll(async () => {
  api = await startTestApi();
  const admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  await admin.post('/sites', { name: '镇海', code: 'ZH1', location: { lat: 29.95, lng: 121.71 } });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
});
afterAll(async () => {
  await poller?.stop();
  await api.close();
});

async function finished(importId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await hr.get(`/imports/${importId}`);
    if (res.body.status === 'completed' || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('importing the ledger', () => {
  // 50 people (~63 rows, three work chunks) hold every fault the generator makes (each kind
  // repeats every 20 people) and a duplicate line; the 2,000- and 10,000-row runs are the
  // benchmark's (docs/benchmarks.md), row rules are pinned on fakes (import-use-cases.test.ts).
  const ledger = generateLedger(50, { siteCode: 'ZH1', today: today() });

  it('checks a dry run without writing anything', async () => {
    const before = await allItems();
    const res = await hr.post('/imports', { format: 'csv', content: ledger.csv, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, total: ledger.rows, counts: { refused: ledger.faulty } });
    expect(res.body.counts.create).toBe(ledger.people);
    expect(await allItems()).toEqual(before);
  });

  it('imports it: people, certificates and badges written, every fault refused with its column and reason', {
    timeout: 180_000,
  }, async () => {
    const metrics = captureMetrics();
    const res = await hr.post('/imports', { format: 'csv', content: ledger.csv, fileName: '台账.csv' });
    expect(res.status).toBe(202);
    const done = await finished(res.body.importId);
    // Every row counted once by outcome (no tenant, no import id): those refused on reading
    // in one point with the import's start, each row worked on in its own.
    const rows = (await metrics.stop()).filter((p) => p.name === 'ImportRow');
    const sum = (list: typeof rows) => list.reduce((n, p) => n + p.value, 0);
    expect(sum(rows)).toBe(ledger.rows);
    expect(sum(rows.filter((p) => p.dimensions.outcome === 'refused'))).toBe(ledger.faulty);
    expect(sum(rows.filter((p) => p.dimensions.outcome === 'created'))).toBe(ledger.people);
    for (const p of rows) expect(Object.keys(p.dimensions).sort()).toEqual(['outcome', 'service']);
    expect(done).toMatchObject({ status: 'completed', total: ledger.rows, processed: ledger.rows });
    expect(done.counts.refused).toBe(ledger.faulty);
    expect(done.counts.created).toBe(ledger.people);
    expect(done.counts.created + done.counts.updated + done.counts.unchanged + done.counts.refused).toBe(
      ledger.rows,
    );
    const refused = await hr.get(`/imports/${res.body.importId}/rows?outcome=refused&limit=100`, {
      'accept-language': 'zh-CN',
    });
    expect(refused.body.items).toHaveLength(ledger.faulty);
    const codes = refused.body.items.flatMap((r: { problems: { code: string }[] }) =>
      r.problems.map((p) => p.code),
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        'id_number_check_digit',
        'date_unreadable',
        'ledger_site_unknown',
        'certificate_incomplete',
        'id_number_missing',
      ]),
    );
    const checkDigit = refused.body.items.find((r: { problems: { code: string }[] }) =>
      r.problems.some((p) => p.code === 'id_number_check_digit'),
    );
    expect(checkDigit.problems[0]).toMatchObject({ column: '身份证号', message: '身份证号校验位错误。' });
    // A written person: green with their certificate, their badge bound.
    const created = (await hr.get(`/imports/${res.body.importId}/rows?outcome=created&limit=1`)).body
      .items[0];
    const person = (await hr.get(`/people/${created.personId}`)).body;
    expect(person).toMatchObject({ color: 'green', employeeId: expect.stringMatching(/^E\d+$/) });
    const certificates = (await hr.get(`/people/${created.personId}/certificates`)).body.items;
    expect(certificates.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(refused.body)).not.toMatch(/330106\d{11}[\dX]/);
  });

  it('imports the same file again without duplicating anything', { timeout: 180_000 }, async () => {
    const res = await hr.post('/imports', { format: 'csv', content: ledger.csv });
    const done = await finished(res.body.importId);
    expect(done.counts).toMatchObject({ created: 0, updated: 0, refused: ledger.faulty });
    expect(done.counts.unchanged).toBe(ledger.rows - ledger.faulty);
  });

  it('refuses a file it cannot use with a clear 400, and keeps other roles and tenants out', async () => {
    for (const body of [
      { format: 'csv', content: '名字,电话\n张三,138' },
      { format: 'xlsx', content: Buffer.from('not a zip').toString('base64') },
      { format: 'csv', content: '姓名,身份证号\n' },
      { format: 'pdf', content: 'x' },
    ]) {
      const r = await hr.post('/imports', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: ['site_x0000000'] });
    expect((await manager.post('/imports', { format: 'csv', content: ledger.csv })).status).toBe(403);
    const mine = await hr.post('/imports', { format: 'csv', content: '姓名,身份证号\n无效,123' });
    const other = await api.as({ tenantId: `${TENANT}-other`, role: 'hr' });
    expect((await other.get(`/imports/${mine.body.importId}`)).status).toBe(404);
  });

  it('gives the template with the zh-CN headers, and reads it back as a ledger', async () => {
    const res = await hr.fetch('/imports/template.xlsx');
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const header = workbook.worksheets[0]?.getRow(1).values as string[];
    expect(header.slice(1, 4)).toEqual(['姓名', '身份证号', '工号']);
  });
});

describe('a large ledger through an upload, and a retried POST', () => {
  const small = generateLedger(12, { seed: 31, siteCode: 'ZH1', today: today() });

  it('takes a file uploaded through the presigned PUT, and only the caller’s own upload', {
    timeout: 120_000,
  }, async () => {
    const bytes = Buffer.from(small.csv, 'utf8');
    const upload = await hr.post('/imports/uploads', { format: 'csv', bytes: bytes.length });
    expect(upload.status).toBe(201);
    expect(upload.body.uploadKey).toMatch(new RegExp(`^imports/t/${TENANT}/upl_[0-9A-Z]{26}\\.csv$`));
    // The signed request carries the declared size (real S3 refuses any other body).
    expect(new URL(upload.body.url).searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    const put = await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: bytes });
    expect(put.status).toBe(200);
    const other = await api.as({ tenantId: `${TENANT}-other`, role: 'hr' });
    expect((await other.post('/imports', { format: 'csv', uploadKey: upload.body.uploadKey })).status).toBe(
      404,
    );
    expect(
      (await hr.post('/imports', { format: 'csv', uploadKey: upload.body.uploadKey, content: small.csv }))
        .status,
    ).toBe(400);
    const missing = upload.body.uploadKey.replace(/upl_\w+/, 'upl_01JD0000000000000000000000');
    expect((await hr.post('/imports', { format: 'csv', uploadKey: missing })).status).toBe(404);
    const res = await hr.post('/imports', { format: 'csv', uploadKey: upload.body.uploadKey });
    expect(res.status).toBe(202);
    const done = await finished(res.body.importId);
    expect(done).toMatchObject({ status: 'completed', total: small.rows });
    expect(done.counts.refused).toBe(small.faulty);
    expect((await hr.post('/imports/uploads', { format: 'csv', bytes: 60 * 1024 * 1024 })).status).toBe(400);
  });

  it('answers a retried POST with the same Idempotency-Key by the same import, and refuses the key for another body', async () => {
    const key = `retry-${Date.now()}`;
    const body = { format: 'csv', content: '姓名,身份证号\n无效,123' };
    const first = await hr.post('/imports', body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    const again = await hr.post('/imports', body, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.body.importId).toBe(first.body.importId);
    const other = await hr.post('/imports', { ...body, fileName: 'x.csv' }, { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect((await hr.post('/imports', body, { 'idempotency-key': 'short' })).status).toBe(400);
    // Without a key, each POST is a new import.
    const a = await hr.post('/imports', body);
    const b = await hr.post('/imports', body);
    expect(a.body.importId).not.toBe(b.body.importId);
  });

  it('binds a badge the import saw free without reading it again, and never over someone who bound it since', async () => {
    const person = async (name: string) =>
      (await hr.post('/people', { name, idNumber: newIdNumber() })).body.personId as string;
    const [first, second] = [await person('甲工'), await person('乙工')];
    const principal = { tenantId: TENANT, subject: 'importer', role: 'hr' } as never;
    const badges = badgeRepository();
    const uid = `04${Date.now().toString(16).toUpperCase()}`;
    await badges.bind(principal, first, uid, 'r1', true);
    expect(await badges.holder(TENANT, uid)).toBe(first);
    // Taken since it was seen free: refused, the first binding stands.
    await expect(badges.bind(principal, second, uid, 'r2', true)).rejects.toMatchObject({ status: 409 });
    expect(await badges.holder(TENANT, uid)).toBe(first);
    // Given back, it is free again for the next row that saw it so.
    await badges.revoke(principal, first, uid, 'r3');
    await badges.bind(principal, second, uid, 'r4', true);
    expect(await badges.holder(TENANT, uid)).toBe(second);
    expect(await badges.activeOf(TENANT, first)).toEqual([]);
  });
});
